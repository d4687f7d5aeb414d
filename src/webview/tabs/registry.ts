// The panel's tabs, in the order of `tabIds` (src/shared/protocol.ts). A tab id without its module here,
// or a module under another id, fails type-checking.
import { tabIds, type TabId } from '../../shared/protocol';
import { bodyTab } from './bodyTab';
import { cookiesTab } from './cookiesTab';
import { headersTab } from './headersTab';
import { redirectsTab } from './redirectsTab';
import { sessionTab } from './sessionTab';
import { testsTab } from './testsTab';
import type { Tab } from './tab';

const tabsById: { readonly [Id in TabId]: Tab<Id> } = {
  body: bodyTab,
  headers: headersTab,
  cookies: cookiesTab,
  redirects: redirectsTab,
  session: sessionTab,
  tests: testsTab,
};

export const panelTabs: readonly Tab[] = tabIds.map((id) => tabsById[id]);
