// The response panel's browser side. It renders what the host posts (`show`), with DOM APIs and
// text nodes only, and posts typed messages back for every action. See src/shared/protocol.ts.
import { isHostToWebviewMessage, tabIds, type Finding, type HistoryItem, type HostToWebviewMessage, type RenderedSummary, type ShowMessage, type TabId, type WebviewToHostMessage, type WireExchange } from '../shared/protocol';
import { findingsTitle, statusView, summaryCounts } from '../shared/panel/viewModel';
import { timingSegments } from '../shared/panel/timing';
import { renderBody } from './bodyView';
import { append, button, clear, h } from './dom';
import { panelTabs } from './tabs/registry';
import type { TabInput } from './tabs/tab';

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

/** The page: what it keeps between messages, in one object handed to what needs it. */
interface Panel {
  readonly vscode: VsCodeApi;
  readonly app: HTMLElement;
  readonly post: (message: WebviewToHostMessage) => void;
  state: PanelState;
  current?: ShowMessage;
  /** Ticks the live parts of the response shown (its "idle now"); cleared when another is shown. */
  ticker?: number;
}

start(acquireVsCodeApi());

function start(vscode: VsCodeApi): void {
  const post = (message: WebviewToHostMessage) => vscode.postMessage(message);
  const app = document.getElementById('app') ?? document.body.appendChild(h('div', { id: 'app' }));
  const panel: Panel = { vscode, app, post, state: readState(vscode.getState()) };

  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = event.data;
    if (!isHostToWebviewMessage(message)) return;
    try {
      receive(panel, message);
    } catch (error) {
      post({ type: 'error', message: String(error instanceof Error ? (error.stack ?? error.message) : error).slice(0, 4000) });
    }
  });
  window.addEventListener('error', (event) => post({ type: 'error', message: String(event.message).slice(0, 4000) }));

  renderEmpty(panel);
  post({ type: 'ready' });
}

function readState(value: unknown): PanelState {
  const saved = (typeof value === 'object' && value !== null ? value : {}) as Partial<Record<keyof PanelState, unknown>>;
  const tab = tabIds.find((id) => id === saved.tab) ?? 'body';
  return { tab, reveal: saved.reveal === true, exchangeId: typeof saved.exchangeId === 'string' ? saved.exchangeId : undefined };
}

function saveState(panel: Panel, change: Partial<PanelState>): void {
  panel.state = { ...panel.state, ...change };
  panel.vscode.setState(panel.state);
}

// ---------------------------------------------------------------- messages

function receive(panel: Panel, message: HostToWebviewMessage): void {
  switch (message.type) {
    case 'show':
      return show(panel, message);
    case 'pending':
      return showPending(panel, message.label);
    case 'history': {
      if (!panel.current) return;
      panel.current = { ...panel.current, history: message.items };
      const select = document.getElementById('history');
      if (select) select.replaceWith(historySelect(panel, panel.current.history, panel.current.exchange.id));
      return;
    }
    default: {
      // A new host message fails type-checking here until it has a case.
      const unhandled: never = message;
      throw new Error(`no handler for message ${JSON.stringify(unhandled)}`);
    }
  }
}

function renderEmpty(panel: Panel): void {
  clear(panel.app);
  panel.app.appendChild(h('div', { class: 'empty-state' }, h('p', {}, 'No response yet.'), h('p', { class: 'hint' }, 'Send a request from a .http or YAML request file: its response, cookies and session appear here.')));
}

function showPending(panel: Panel, label: string): void {
  let banner = document.getElementById('pending');
  if (!banner) {
    banner = h('div', { id: 'pending', class: 'pending', role: 'status' });
    panel.app.prepend(banner);
  }
  banner.textContent = `Sending ${label}…`;
  panel.app.classList.add('is-pending');
}

// ---------------------------------------------------------------- render

function show(panel: Panel, message: ShowMessage): void {
  const started = performance.now();
  panel.current = message;
  saveState(panel, { exchangeId: message.exchange.id });
  // Host clock minus this page's clock, so "idle now" agrees with the host.
  const clockOffset = message.now - Date.now();
  if (panel.ticker !== undefined) window.clearInterval(panel.ticker);
  panel.ticker = undefined;
  panel.app.classList.remove('is-pending');
  panel.app.classList.toggle('reveal', panel.state.reveal);

  const { exchange } = message;
  const counts = summaryCounts(exchange, message.lifecycles, message.tokenEvents);
  const tabs = panelTabs.map((tab) => ({ id: tab.id, label: tab.label, count: tab.count(counts) }));
  const body = renderBody(exchange);
  const status = statusView(exchange);
  const ticks: (() => void)[] = [];
  const input: TabInput = { message, body, post: panel.post, now: () => Date.now() + clockOffset, everySecond: (update) => ticks.push(update) };

  const root = document.createDocumentFragment();
  append(
    root,
    toolbar(panel, message),
    statusSection(exchange, status),
    timingBar(exchange),
    exchange.findings.length ? findingsCard(panel, exchange) : null,
    tabStrip(panel, tabs),
    ...panelTabs.map((tab) => tabPanel(tab.id, tab.render(input))),
  );
  clear(panel.app);
  panel.app.appendChild(root);
  selectTab(panel, panel.state.tab, false);
  if (ticks.length > 0) panel.ticker = window.setInterval(() => ticks.forEach((tick) => tick()), 1000);

  const summary: RenderedSummary = {
    exchangeId: exchange.id,
    statusText: status.statusText,
    tabs,
    selectedTab: panel.state.tab,
    bodyView: body.view,
    bodyViewPartial: body.partial,
    counts,
    renderMs: Math.round((performance.now() - started) * 10) / 10,
  };
  panel.post({ type: 'rendered', summary });
}

function toolbar(panel: Panel, message: ShowMessage): HTMLElement {
  const { exchange } = message;
  const id = exchange.id;
  const hasBody = exchange.response !== undefined && exchange.response.body.kind !== 'empty';
  const { post } = panel;
  const reveal = h('button', { type: 'button', class: 'action toggle', 'aria-pressed': String(panel.state.reveal), 'aria-label': 'Reveal secret values', title: 'Reveal secret values' }, h('span', { class: 'icon', 'aria-hidden': 'true' }, '◉'), h('span', { class: 'label' }, 'Reveal'));
  reveal.addEventListener('click', () => {
    saveState(panel, { reveal: !panel.state.reveal });
    reveal.setAttribute('aria-pressed', String(panel.state.reveal));
    panel.app.classList.toggle('reveal', panel.state.reveal);
  });
  return h(
    'div',
    { class: 'toolbar', role: 'toolbar', 'aria-label': 'Response actions' },
    historySelect(panel, message.history, id),
    h('span', { class: 'spacer' }),
    button('Re-send', 'Send this request again', () => post({ type: 'resend', exchangeId: id }), { icon: '↻', class: 'action primary' }),
    button('Copy as cURL', 'Copy the request as a cURL command', () => post({ type: 'copyCurl', exchangeId: id }), { iconClass: 'icon-copy' }),
    button('Copy as Python', 'Copy the request, from its file, as a Python requests script', () => post({ type: 'copyPython', exchangeId: id }), { iconClass: 'icon-copy', disabled: !exchange.request.source }),
    button('Go to Request', 'Go to the request in its file', () => post({ type: 'jumpToRequest', exchangeId: id }), { icon: '↗', disabled: !exchange.request.source }),
    button('Save Body', 'Save the response body to a file', () => post({ type: 'saveBody', exchangeId: id }), { icon: '⤓', disabled: !hasBody }),
    reveal,
  );
}

function historySelect(panel: Panel, items: readonly HistoryItem[], selectedId: string): HTMLElement {
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
  select.addEventListener('change', () => panel.post({ type: 'selectHistory', exchangeId: select.value }));
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

function findingsCard(panel: Panel, exchange: WireExchange): HTMLElement {
  const title = findingsTitle(exchange.response?.status);
  const card = h('section', { class: 'findings', 'aria-label': title }, h('h2', {}, h('span', { class: 'icon', 'aria-hidden': 'true' }, '⚠'), title));
  for (const finding of exchange.findings) card.appendChild(findingItem(panel, exchange.id, finding));
  return card;
}

function findingItem(panel: Panel, exchangeId: string, finding: Finding): HTMLElement {
  const fix = finding.fix;
  const action = fix?.action;
  return h(
    'div',
    { class: 'finding', 'data-finding': finding.id },
    h('p', { class: 'verdict' }, finding.message),
    finding.evidence.length ? h('ul', { class: 'evidence', 'aria-label': 'Evidence' }, ...finding.evidence.map((line) => h('li', {}, line))) : null,
    fix && action
      ? button(fix.title, `Fix: ${fix.title}`, () => panel.post({ type: 'runFix', exchangeId, findingId: finding.id, action }), { class: 'action primary fix' })
      : fix
        ? h('p', { class: 'fix-hint' }, fix.title)
        : null,
  );
}

// ---------------------------------------------------------------- tabs

function tabStrip(panel: Panel, tabs: RenderedSummary['tabs']): HTMLElement {
  const list = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Response details' });
  for (const tab of tabs) {
    const element = h(
      'button',
      { type: 'button', role: 'tab', id: `tab-${tab.id}`, 'aria-controls': `panel-${tab.id}`, 'aria-selected': 'false', tabindex: -1, 'data-tab': tab.id },
      tab.label,
      tab.count > 0 ? h('span', { class: 'badge', 'aria-label': `${tab.count}` }, String(tab.count)) : null,
    );
    element.addEventListener('click', () => selectTab(panel, tab.id, true));
    list.appendChild(element);
  }
  list.addEventListener('keydown', (event: KeyboardEvent) => {
    const index = tabIds.indexOf(panel.state.tab);
    let next: number | undefined;
    if (event.key === 'ArrowRight') next = (index + 1) % tabIds.length;
    else if (event.key === 'ArrowLeft') next = (index - 1 + tabIds.length) % tabIds.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = tabIds.length - 1;
    if (next === undefined) return;
    event.preventDefault();
    selectTab(panel, tabIds[next], true);
  });
  return list;
}

function tabPanel(id: TabId, content: HTMLElement): HTMLElement {
  return h('div', { class: 'tab-panel', role: 'tabpanel', id: `panel-${id}`, 'aria-labelledby': `tab-${id}`, tabindex: 0, hidden: true }, content);
}

function selectTab(panel: Panel, id: TabId, focus: boolean): void {
  saveState(panel, { tab: id });
  for (const tab of tabIds) {
    const tabElement = document.getElementById(`tab-${tab}`);
    const panelElement = document.getElementById(`panel-${tab}`);
    const selected = tab === id;
    tabElement?.setAttribute('aria-selected', String(selected));
    tabElement?.setAttribute('tabindex', selected ? '0' : '-1');
    if (panelElement) panelElement.hidden = !selected;
    if (selected && focus) tabElement?.focus();
  }
}
