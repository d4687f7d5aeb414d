// A tab of the response panel: its id, label, badge count and content. The registry (./registry.ts)
// builds the tab strip and the panels from these, so a new tab is its id in the protocol, its module and
// one line in the registry.
import type { RenderedSummary, ShowMessage, TabId, WebviewToHostMessage } from '../../shared/protocol';
import type { BodyRender } from '../bodyView';

/** What a tab renders: one `show` message and what the panel derived from it once. */
export interface TabInput {
  readonly message: ShowMessage;
  /** The body view, rendered once (the summary reports its kind). */
  readonly body: BodyRender;
  post(message: WebviewToHostMessage): void;
  /** The host's clock now (epoch ms), so times agree with the host. */
  now(): number;
  /** Calls `update` every second while this response is shown (the live "idle now"). */
  everySecond(update: () => void): void;
}

export interface Tab<Id extends TabId = TabId> {
  readonly id: Id;
  readonly label: string;
  /** The number in the tab's badge; 0 shows none. */
  count(counts: RenderedSummary['counts']): number;
  render(input: TabInput): HTMLElement;
}
