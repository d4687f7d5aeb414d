// The Cookies tab: the cookies sent, stored and rejected by this exchange (values masked, copyable).
import type { CookieRecord, WebviewToHostMessage, WireExchange } from '../../shared/protocol';
import { cookieTables, type CookieRow } from '../../shared/panel/cookies';
import { button, h, secret } from '../dom';
import type { Tab } from './tab';

export const cookiesTab: Tab<'cookies'> = {
  id: 'cookies',
  label: 'Cookies',
  count: (counts) => counts.cookiesSent + counts.cookiesStored + counts.cookiesRejected,
  render: ({ message, post }) => cookiesPanel(message.exchange, message.jarCookies, post),
};

function cookieTable(rows: readonly CookieRow[], kind: 'sent' | 'stored' | 'rejected', exchangeId: string, post: (message: WebviewToHostMessage) => void): HTMLElement {
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

function cookiesPanel(exchange: WireExchange, jar: readonly CookieRecord[], post: (message: WebviewToHostMessage) => void): HTMLElement {
  const tables = cookieTables(exchange.cookies, exchange.request.url, jar);
  return h(
    'div',
    { class: 'cookies-panel' },
    h('h3', {}, 'Sent ', h('span', { class: 'count' }, String(tables.sent.length))),
    cookieTable(tables.sent, 'sent', exchange.id, post),
    h('h3', {}, 'Stored ', h('span', { class: 'count' }, String(tables.stored.length))),
    cookieTable(tables.stored, 'stored', exchange.id, post),
    h('h3', {}, 'Rejected ', h('span', { class: 'count' }, String(tables.rejected.length))),
    cookieTable(tables.rejected, 'rejected', exchange.id, post),
  );
}
