// The Headers tab: the request as sent and the response, header by header (secret values masked).
import type { WireExchange } from '../../shared/protocol';
import { displayHeaderValue, isSecretHeader } from '../../shared/panel/mask';
import { statusLine } from '../../shared/panel/statusPhrase';
import { h, secret } from '../dom';
import type { Tab } from './tab';

export const headersTab: Tab<'headers'> = {
  id: 'headers',
  label: 'Headers',
  count: (counts) => counts.responseHeaders,
  render: ({ message }) => headersPanel(message.exchange),
};

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
