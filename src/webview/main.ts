// The response panel's browser side. It renders what the host posts (`show`), with DOM APIs and
// text nodes only, and posts typed messages back for every action. See src/shared/protocol.ts.
import { isHostToWebviewMessage, tabIds, type CookieRecord, type Finding, type SessionCookieLifecycle, type HistoryItem, type RenderedSummary, type ShowMessage, type TabId, type WebviewToHostMessage, type WireExchange } from '../shared/protocol';
import { cookieTables, type CookieRow } from '../shared/panel/cookies';
import { formatBytes } from '../shared/panel/format';
import { displayHeaderValue, isSecretHeader, maskSecret } from '../shared/panel/mask';
import { idleNowText, sessionFacts, sessionTimeline } from '../shared/panel/session';
import { statusLine } from '../shared/panel/statusPhrase';
import { timingSegments } from '../shared/panel/timing';
import { findingsTitle, statusView, summaryCounts, tabsWithCounts } from '../shared/panel/viewModel';
import { renderBody } from './bodyView';
import { append, button, clear, h, secret } from './dom';

interface VsCodeApi {
  postMessage(message: WebviewToHostMessage): void;
  getState(): unknown;
  setState(state: PanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** Kept by VS Code across reloads; the host reads `exchangeId` to restore the panel for that request. */
interface PanelState {
  readonly tab: TabId;
  readonly reveal: boolean;
  readonly exchangeId?: string;
}

const vscode = acquireVsCodeApi();
let state: PanelState = readState(vscode.getState());
let current: ShowMessage | undefined;
/** Host clock minus this page's clock, so "idle now" agrees with the host. */
let clockOffset = 0;
let idleTimer: number | undefined;

function readState(value: unknown): PanelState {
  const saved = (typeof value === 'object' && value !== null ? value : {}) as Partial<Record<keyof PanelState, unknown>>;
  const tab = tabIds.find((id) => id === saved.tab) ?? 'body';
  return { tab, reveal: saved.reveal === true, exchangeId: typeof saved.exchangeId === 'string' ? saved.exchangeId : undefined };
}

function saveState(change: Partial<PanelState>): void {
  state = { ...state, ...change };
  vscode.setState(state);
}

const post = (message: WebviewToHostMessage) => vscode.postMessage(message);

const app = document.getElementById('app') ?? document.body.appendChild(h('div', { id: 'app' }));

// ---------------------------------------------------------------- messages

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = event.data;
  if (!isHostToWebviewMessage(message)) return;
  try {
    if (message.type === 'show') show(message);
    else if (message.type === 'pending') showPending(message.label);
    else if (message.type === 'history' && current) {
      current = { ...current, history: message.items };
      const select = document.getElementById('history');
      if (select) select.replaceWith(historySelect(current.history, current.exchange.id));
    }
  } catch (error) {
    post({ type: 'error', message: String(error instanceof Error ? (error.stack ?? error.message) : error).slice(0, 4000) });
  }
});

window.addEventListener('error', (event) => post({ type: 'error', message: String(event.message).slice(0, 4000) }));

renderEmpty();
post({ type: 'ready' });

function renderEmpty(): void {
  clear(app);
  app.appendChild(h('div', { class: 'empty-state' }, h('p', {}, 'No response yet.'), h('p', { class: 'hint' }, 'Send a request from a .http or YAML request file: its response, cookies and session appear here.')));
}

function showPending(label: string): void {
  let banner = document.getElementById('pending');
  if (!banner) {
    banner = h('div', { id: 'pending', class: 'pending', role: 'status' });
    app.prepend(banner);
  }
  banner.textContent = `Sending ${label}…`;
  app.classList.add('is-pending');
}

// ---------------------------------------------------------------- render

function show(message: ShowMessage): void {
  const started = performance.now();
  current = message;
  saveState({ exchangeId: message.exchange.id });
  clockOffset = message.now - Date.now();
  if (idleTimer !== undefined) window.clearInterval(idleTimer);
  idleTimer = undefined;
  app.classList.remove('is-pending');
  app.classList.toggle('reveal', state.reveal);

  const { exchange, lifecycles } = message;
  const counts = summaryCounts(exchange, lifecycles);
  const tabs = tabsWithCounts(counts);
  const body = renderBody(exchange);
  const status = statusView(exchange);

  const root = document.createDocumentFragment();
  append(
    root,
    toolbar(message),
    statusSection(exchange, status),
    timingBar(exchange),
    exchange.findings.length ? findingsCard(exchange) : null,
    tabStrip(tabs),
    tabPanel('body', bodyPanel(exchange, body)),
    tabPanel('headers', headersPanel(exchange)),
    tabPanel('cookies', cookiesPanel(exchange, message.jarCookies)),
    tabPanel('redirects', redirectsPanel(exchange)),
    tabPanel('session', sessionPanel(exchange, lifecycles)),
  );
  clear(app);
  app.appendChild(root);
  selectTab(state.tab, false);
  startIdleClock(lifecycles);

  const summary: RenderedSummary = {
    exchangeId: exchange.id,
    statusText: status.statusText,
    tabs,
    selectedTab: state.tab,
    bodyView: body.view,
    bodyViewPartial: body.partial,
    counts,
    renderMs: Math.round((performance.now() - started) * 10) / 10,
  };
  post({ type: 'rendered', summary });
}

function toolbar(message: ShowMessage): HTMLElement {
  const { exchange } = message;
  const id = exchange.id;
  const hasBody = exchange.response !== undefined && exchange.response.body.kind !== 'empty';
  const reveal = h('button', { type: 'button', class: 'action toggle', 'aria-pressed': String(state.reveal), 'aria-label': 'Reveal secret values', title: 'Reveal secret values' }, h('span', { class: 'icon', 'aria-hidden': 'true' }, '◉'), h('span', { class: 'label' }, 'Reveal'));
  reveal.addEventListener('click', () => {
    saveState({ reveal: !state.reveal });
    reveal.setAttribute('aria-pressed', String(state.reveal));
    app.classList.toggle('reveal', state.reveal);
  });
  return h(
    'div',
    { class: 'toolbar', role: 'toolbar', 'aria-label': 'Response actions' },
    historySelect(message.history, id),
    h('span', { class: 'spacer' }),
    button('Re-send', 'Send this request again', () => post({ type: 'resend', exchangeId: id }), { icon: '↻', class: 'action primary' }),
    button('Copy as cURL', 'Copy the request as a cURL command', () => post({ type: 'copyCurl', exchangeId: id }), { iconClass: 'icon-copy' }),
    button('Go to Request', 'Go to the request in its file', () => post({ type: 'jumpToRequest', exchangeId: id }), { icon: '↗', disabled: !exchange.request.source }),
    button('Save Body', 'Save the response body to a file', () => post({ type: 'saveBody', exchangeId: id }), { icon: '⤓', disabled: !hasBody }),
    reveal,
  );
}

function historySelect(items: readonly HistoryItem[], selectedId: string): HTMLElement {
  const select = h('select', { id: 'history', class: 'history', 'aria-label': 'Response history' });
  const known = items.some((item) => item.exchangeId === selectedId);
  for (const item of items) {
    const option = h('option', {}, item.label);
    option.value = item.exchangeId;
    option.selected = item.exchangeId === selectedId;
    select.appendChild(option);
  }
  if (!known) {
    const option = h('option', {}, 'Current response');
    option.value = selectedId;
    option.selected = true;
    select.prepend(option);
  }
  select.disabled = items.length <= 1 && known;
  select.addEventListener('change', () => post({ type: 'selectHistory', exchangeId: select.value }));
  return select;
}

function statusSection(exchange: WireExchange, status: ReturnType<typeof statusView>): HTMLElement {
  return h(
    'section',
    { class: 'status', 'aria-label': 'Response status' },
    h('span', { class: `status-badge status-${status.statusClass}`, id: 'status-text' }, status.statusText),
    h('span', { class: 'request-line', title: exchange.request.url }, h('span', { class: 'method' }, exchange.request.method), ' ', exchange.request.url),
    h(
      'span',
      { class: 'metrics' },
      h('span', { class: 'metric', 'aria-label': 'Total time' }, h('span', { class: 'metric-label' }, 'Time '), status.timeText),
      h('span', { class: 'metric', 'aria-label': 'Body size' }, h('span', { class: 'metric-label' }, 'Size '), status.sizeText),
      h('span', { class: `metric connection ${exchange.connectionReused ? 'reused' : 'new'}` }, status.connectionText),
    ),
    status.errorMessage ? h('p', { class: 'error-message', role: 'alert' }, status.errorMessage) : null,
  );
}

function timingBar(exchange: WireExchange): HTMLElement | null {
  const segments = timingSegments(exchange.timings);
  if (segments.length === 0) return null;
  const bar = h('div', { class: 'timing-bar', role: 'img', 'aria-label': `Timing: ${segments.map((s) => s.text).join(', ')}` });
  for (const segment of segments) {
    const part = h('span', { class: `timing-segment timing-${segment.phase}`, title: segment.text });
    // CSSOM, not a style attribute: allowed by the CSP without 'unsafe-inline'.
    part.style.left = `${segment.offsetPercent}%`;
    part.style.width = `max(2px, ${segment.widthPercent}%)`;
    bar.appendChild(part);
  }
  const legend = h('div', { class: 'timing-legend', 'aria-hidden': 'true' }, ...segments.map((s) => h('span', { class: 'legend-item' }, h('span', { class: `swatch timing-${s.phase}` }), s.text)));
  return h('div', { class: 'timing' }, bar, legend);
}

function findingsCard(exchange: WireExchange): HTMLElement {
  const title = findingsTitle(exchange.response?.status);
  const card = h('section', { class: 'findings', 'aria-label': title }, h('h2', {}, h('span', { class: 'icon', 'aria-hidden': 'true' }, '⚠'), title));
  for (const finding of exchange.findings) card.appendChild(findingItem(exchange.id, finding));
  return card;
}

function findingItem(exchangeId: string, finding: Finding): HTMLElement {
  const fix = finding.fix;
  const action = fix?.action;
  return h(
    'div',
    { class: 'finding', 'data-finding': finding.id },
    h('p', { class: 'verdict' }, finding.message),
    finding.evidence.length ? h('ul', { class: 'evidence', 'aria-label': 'Evidence' }, ...finding.evidence.map((line) => h('li', {}, line))) : null,
    fix && action
      ? button(fix.title, `Fix: ${fix.title}`, () => post({ type: 'runFix', exchangeId, findingId: finding.id, action }), { class: 'action primary fix' })
      : fix
        ? h('p', { class: 'fix-hint' }, fix.title)
        : null,
  );
}

// ---------------------------------------------------------------- tabs

function tabStrip(tabs: RenderedSummary['tabs']): HTMLElement {
  const list = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Response details' });
  for (const tab of tabs) {
    const element = h(
      'button',
      { type: 'button', role: 'tab', id: `tab-${tab.id}`, 'aria-controls': `panel-${tab.id}`, 'aria-selected': 'false', tabindex: -1, 'data-tab': tab.id },
      tab.label,
      tab.count > 0 ? h('span', { class: 'badge', 'aria-label': `${tab.count}` }, String(tab.count)) : null,
    );
    element.addEventListener('click', () => selectTab(tab.id, true));
    list.appendChild(element);
  }
  list.addEventListener('keydown', (event: KeyboardEvent) => {
    const index = tabIds.indexOf(state.tab);
    let next: number | undefined;
    if (event.key === 'ArrowRight') next = (index + 1) % tabIds.length;
    else if (event.key === 'ArrowLeft') next = (index - 1 + tabIds.length) % tabIds.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = tabIds.length - 1;
    if (next === undefined) return;
    event.preventDefault();
    selectTab(tabIds[next], true);
  });
  return list;
}

function tabPanel(id: TabId, content: HTMLElement): HTMLElement {
  return h('div', { class: 'tab-panel', role: 'tabpanel', id: `panel-${id}`, 'aria-labelledby': `tab-${id}`, tabindex: 0, hidden: true }, content);
}

function selectTab(id: TabId, focus: boolean): void {
  saveState({ tab: id });
  for (const tab of tabIds) {
    const tabElement = document.getElementById(`tab-${tab}`);
    const panel = document.getElementById(`panel-${tab}`);
    const selected = tab === id;
    tabElement?.setAttribute('aria-selected', String(selected));
    tabElement?.setAttribute('tabindex', selected ? '0' : '-1');
    if (panel) panel.hidden = !selected;
    if (selected && focus) tabElement?.focus();
  }
}

// ---------------------------------------------------------------- panels

function bodyPanel(exchange: WireExchange, body: ReturnType<typeof renderBody>): HTMLElement {
  const response = exchange.response;
  const hasBody = response !== undefined && response.body.kind !== 'empty';
  const canOpen = hasBody && response?.body.kind === 'text';
  const bar = h(
    'div',
    { class: 'panel-bar' },
    h('span', { class: 'body-kind' }, `${response?.mediaType || body.view}${response ? ` · ${formatBytes(response.bodySize)}` : ''}`),
    h('span', { class: 'spacer' }),
    button('Open in Editor', 'Open the full body in an editor', () => post({ type: 'openBody', exchangeId: exchange.id }), { disabled: !canOpen, icon: '✎' }),
    button('Save Body', 'Save the response body to a file', () => post({ type: 'saveBody', exchangeId: exchange.id }), { disabled: !hasBody, icon: '⤓' }),
  );
  const notes: HTMLElement[] = [];
  if (response?.decodingProblem) notes.push(h('p', { class: 'notice' }, response.decodingProblem));
  if (body.note) notes.push(h('p', { class: 'notice' }, body.note));
  if (body.partial) {
    notes.push(
      h(
        'p',
        { class: 'notice partial' },
        'Showing part of the body. ',
        button('Open full body in an editor', 'Open the full body in an editor', () => post({ type: 'openBody', exchangeId: exchange.id }), { class: 'link-button' }),
      ),
    );
  }
  return h('div', { class: 'body-panel' }, bar, ...notes, body.element);
}

function headerTable(headers: readonly (readonly [string, string])[], label: string): HTMLElement {
  if (headers.length === 0) return h('p', { class: 'empty' }, 'No headers.');
  return h(
    'table',
    { class: 'kv', 'aria-label': label },
    h(
      'tbody',
      {},
      ...headers.map(([name, value]) =>
        h('tr', {}, h('th', { scope: 'row' }, name), h('td', {}, isSecretHeader(name) ? secret(displayHeaderValue(name, value, false), value) : value)),
      ),
    ),
  );
}

function headersPanel(exchange: WireExchange): HTMLElement {
  const response = exchange.response;
  return h(
    'div',
    { class: 'headers-panel' },
    h('h3', {}, 'Request ', h('span', { class: 'sub' }, '(as sent)')),
    h('p', { class: 'start-line' }, `${exchange.request.method} ${exchange.request.url}`),
    headerTable(exchange.request.headers, 'Request headers'),
    h('h3', {}, 'Response'),
    response ? h('p', { class: 'start-line' }, `HTTP/${response.httpVersion} ${statusLine(response.status, response.statusText)}`) : null,
    response ? headerTable(response.headers, 'Response headers') : h('p', { class: 'empty' }, 'No response.'),
  );
}

function cookieTable(rows: readonly CookieRow[], kind: 'sent' | 'stored' | 'rejected', exchangeId: string): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'empty' }, kind === 'sent' ? 'No cookies were sent.' : kind === 'stored' ? 'No cookies were stored.' : 'No cookies were rejected.');
  const noteHeader = kind === 'sent' ? 'Source' : kind === 'rejected' ? 'Reason' : null;
  const head = h('tr', {}, ...['Name', 'Value', ...(noteHeader ? [noteHeader] : []), 'Domain', 'Path', 'Expires', 'Flags', ...(kind === 'rejected' ? [] : [''])].map((text) => h('th', { scope: 'col' }, text)));
  const body = h('tbody', {});
  rows.forEach((row, index) => {
    const tr = h(
      'tr',
      { 'data-cookie': kind },
      h('td', { class: 'name word' }, row.name),
      h('td', {}, secret(row.maskedValue, row.value)),
      noteHeader ? h('td', { class: kind === 'sent' ? 'source' : 'reason' }, kind === 'sent' ? h('span', { class: `pill source-${row.note.split(' ')[0]}` }, row.note) : row.note) : null,
      h('td', { class: 'word' }, row.domain),
      h('td', { class: 'word' }, row.path),
      h('td', { class: 'word' }, row.expires),
      h('td', { class: 'flags' }, ...row.flags.map((flag) => h('span', { class: 'pill' }, flag))),
    );
    if (kind !== 'rejected') {
      const list = kind;
      tr.appendChild(h('td', { class: 'row-actions' }, button('Copy', `Copy value of cookie ${row.name}`, () => post({ type: 'copyCookieValue', exchangeId, list, index }), { class: 'action small', iconClass: 'icon-copy' })));
    }
    body.appendChild(tr);
  });
  return h('table', { class: 'grid cookies', 'aria-label': `Cookies ${kind}` }, h('thead', {}, head), body);
}

function cookiesPanel(exchange: WireExchange, jar: readonly CookieRecord[]): HTMLElement {
  const tables = cookieTables(exchange.cookies, exchange.request.url, jar);
  return h(
    'div',
    { class: 'cookies-panel' },
    h('h3', {}, 'Sent ', h('span', { class: 'count' }, String(tables.sent.length))),
    cookieTable(tables.sent, 'sent', exchange.id),
    h('h3', {}, 'Stored ', h('span', { class: 'count' }, String(tables.stored.length))),
    cookieTable(tables.stored, 'stored', exchange.id),
    h('h3', {}, 'Rejected ', h('span', { class: 'count' }, String(tables.rejected.length))),
    cookieTable(tables.rejected, 'rejected', exchange.id),
  );
}

function redirectsPanel(exchange: WireExchange): HTMLElement {
  if (exchange.redirects.length === 0) return h('p', { class: 'empty' }, 'No redirects.');
  const list = h('ol', { class: 'redirects' });
  for (const hop of exchange.redirects) {
    const tables = cookieTables(hop.cookies, hop.url);
    const cookieNotes: HTMLElement[] = [];
    if (tables.sent.length) cookieNotes.push(h('div', { class: 'hop-cookies' }, h('span', { class: 'hop-label' }, 'Sent: '), ...tables.sent.map((c) => cookieChip(c, c.note))));
    if (tables.stored.length) cookieNotes.push(h('div', { class: 'hop-cookies' }, h('span', { class: 'hop-label' }, 'Set: '), ...tables.stored.map((c) => cookieChip(c))));
    if (tables.rejected.length) cookieNotes.push(h('div', { class: 'hop-cookies rejected' }, h('span', { class: 'hop-label' }, 'Rejected: '), ...tables.rejected.map((c) => cookieChip(c, c.note))));
    list.appendChild(
      h(
        'li',
        { class: 'hop' },
        h('div', { class: 'hop-line' }, h('span', { class: 'status-badge small status-redirect' }, statusLine(hop.status, '')), ' ', h('span', { class: 'method' }, hop.method), ' ', hop.url),
        h('div', { class: 'hop-location' }, '→ Location: ', hop.location),
        ...cookieNotes,
      ),
    );
  }
  const response = exchange.response;
  if (response) {
    list.appendChild(h('li', { class: 'hop final' }, h('div', { class: 'hop-line' }, h('span', { class: 'status-badge small' }, statusLine(response.status, response.statusText)), ' ', response.url)));
  }
  return list;
}

function cookieChip(row: CookieRow, note?: string): HTMLElement {
  return h('span', { class: 'chip' }, h('span', { class: 'name' }, row.name), '=', secret(row.maskedValue, row.value), note ? h('span', { class: 'chip-note' }, ` (${note})`) : null);
}

const idleCells: { element: HTMLElement; lifecycle: SessionCookieLifecycle }[] = [];

function sessionPanel(exchange: WireExchange, lifecycles: readonly SessionCookieLifecycle[]): HTMLElement {
  idleCells.length = 0;
  if (lifecycles.length === 0) {
    return h('p', { class: 'empty' }, 'No session cookie seen yet. The panel follows JSESSIONID, SESSION and the session cookie names set in the settings.');
  }
  const now = Date.now() + clockOffset;
  const container = h('div', { class: 'session-panel' });
  for (const lifecycle of lifecycles) {
    const value = currentValue(exchange, lifecycle.cookieName);
    const facts = h('dl', { class: 'facts' });
    for (const fact of sessionFacts(lifecycle, now)) {
      const dd = h('dd', {}, fact.value);
      if (fact.label === 'Idle now') {
        dd.classList.add('idle-now');
        idleCells.push({ element: dd, lifecycle });
      }
      append(facts, h('dt', {}, fact.label), dd);
    }
    const timeline = h('ol', { class: 'timeline', 'aria-label': `${lifecycle.cookieName} timeline` });
    for (const entry of sessionTimeline(lifecycle, exchange.id)) {
      timeline.appendChild(
        h(
          'li',
          { class: `event event-${entry.kind}${entry.current ? ' current' : ''}`, 'data-kind': entry.kind },
          h('span', { class: 'dot', 'aria-hidden': 'true' }),
          h('span', { class: 'event-time' }, entry.clock),
          h('span', { class: 'event-label' }, entry.label),
          entry.offset ? h('span', { class: 'event-offset' }, entry.offset) : null,
          h('span', { class: 'event-detail' }, entry.detail),
          entry.current ? h('span', { class: 'pill' }, 'this response') : null,
        ),
      );
    }
    container.appendChild(
      h(
        'section',
        { class: 'session-card', 'aria-label': `Session cookie ${lifecycle.cookieName}` },
        h('h3', {}, lifecycle.cookieName, ' ', h('span', { class: 'sub' }, `${lifecycle.domain} ${lifecycle.path}`)),
        value !== undefined ? h('p', { class: 'current-value' }, 'Value: ', secret(maskSecret(value), value)) : null,
        facts,
        lifecycle.events.length ? timeline : h('p', { class: 'empty' }, 'No events recorded.'),
      ),
    );
  }
  return container;
}

function currentValue(exchange: WireExchange, name: string): string | undefined {
  const stored = [...exchange.cookies.stored].reverse().find((c) => c.name === name);
  return stored?.value ?? exchange.cookies.sent.find((c) => c.name === name)?.value;
}

function startIdleClock(lifecycles: readonly SessionCookieLifecycle[]): void {
  if (lifecycles.length === 0 || idleCells.length === 0) return;
  idleTimer = window.setInterval(() => {
    const now = Date.now() + clockOffset;
    for (const cell of idleCells) cell.element.textContent = idleNowText(cell.lifecycle, now);
  }, 1000);
}
