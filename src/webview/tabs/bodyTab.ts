// The Body tab: the body view (../bodyView.ts) under a bar with its media type, size and actions.
import type { WebviewToHostMessage, WireExchange } from '../../shared/protocol';
import { formatBytes } from '../../shared/panel/format';
import type { BodyRender } from '../bodyView';
import { button, h } from '../dom';
import type { Tab } from './tab';

export const bodyTab: Tab<'body'> = {
  id: 'body',
  label: 'Body',
  count: () => 0,
  render: ({ message, body, post }) => bodyPanel(message.exchange, body, post),
};

function bodyPanel(exchange: WireExchange, body: BodyRender, post: (message: WebviewToHostMessage) => void): HTMLElement {
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
