// The Redirects tab: each hop with its Location and the cookies it sent, set and had rejected.
import type { WireExchange } from '../../shared/protocol';
import { cookieTables, type CookieRow } from '../../shared/panel/cookies';
import { statusLine } from '../../shared/panel/statusPhrase';
import { h, secret } from '../dom';
import type { Tab } from './tab';

export const redirectsTab: Tab<'redirects'> = {
  id: 'redirects',
  label: 'Redirects',
  count: (counts) => counts.redirects,
  render: ({ message }) => redirectsPanel(message.exchange),
};

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
