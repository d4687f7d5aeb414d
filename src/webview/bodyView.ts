// The Body tab. Large bodies stay fast: the JSON tree builds children only when a node is opened
// (and opens only the first levels up to a node budget); highlighted and plain text are capped,
// with "Open full body in an editor" for the rest.
import type { BodyView, WireExchange } from '../shared/protocol';
import { bodyViewOf } from '../shared/panel/body';
import { formatBytes } from '../shared/panel/format';
import { chunkRanges, childCount, JsonSyntaxError, parseJsonTree, type JsonNode } from '../shared/panel/jsonTree';
import { tokenizeMarkup } from '../shared/panel/markup';
import { h } from './dom';

/** Highlighted markup beyond this many characters is cut (tokens → spans get slow). */
export const markupViewLimit = 256 * 1024;
/** Plain text beyond this many characters is cut. */
export const textViewLimit = 1024 * 1024;
/** Rows the JSON view builds up front; the rest appears when the user opens a node. */
const jsonEagerBudget = 1500;
const jsonChunk = 100;

export interface BodyRender {
  readonly element: HTMLElement;
  readonly view: BodyView;
  /** The view shows only part of the body. */
  readonly partial: boolean;
  readonly note?: string;
}

export function renderBody(exchange: WireExchange): BodyRender {
  const response = exchange.response;
  if (!response) return { element: h('p', { class: 'empty' }, 'No response body.'), view: 'empty', partial: false };
  const body = response.body;
  const view = bodyViewOf(response.mediaType, body);
  switch (body.kind) {
    case 'empty':
      return { element: h('p', { class: 'empty' }, 'Empty body.'), view, partial: false };
    case 'binary':
      return {
        element: h('p', { class: 'empty' }, `Binary body (${response.mediaType || 'unknown type'}), ${formatBytes(response.bodySize)}. Use Save Body to write it to a file.`),
        view,
        partial: false,
      };
    case 'image':
      return renderImage(body.mediaType, body.base64, response.bodySize);
    case 'text': {
      const hostCut = body.cut || response.truncated || response.heldBytes < response.bodySize;
      if (view === 'json') {
        try {
          const tree = parseJsonTree(body.text);
          return { element: renderJson(tree), view, partial: hostCut };
        } catch (error) {
          const reason = error instanceof JsonSyntaxError ? error.message : 'parse error';
          const text = renderText(body.text, hostCut);
          return { ...text, note: `${hostCut ? 'Truncated JSON' : 'Not valid JSON'} (${reason}): shown as text.` };
        }
      }
      if (view === 'xml' || view === 'html') {
        const partial = hostCut || body.text.length > markupViewLimit;
        return { element: renderMarkup(body.text.slice(0, markupViewLimit)), view, partial };
      }
      return renderText(body.text, hostCut);
    }
  }
}

function renderText(text: string, hostCut: boolean): BodyRender {
  const partial = hostCut || text.length > textViewLimit;
  return { element: h('pre', { class: 'code text' }, text.slice(0, textViewLimit)), view: 'text', partial };
}

function renderImage(mediaType: string, base64: string, size: number): BodyRender {
  const image = document.createElement('img');
  image.className = 'preview';
  image.alt = `Response image (${mediaType}, ${formatBytes(size)})`;
  // Built here from bytes of an allow-listed raster type; never a URL taken from the response.
  if (/^image\/(png|jpeg|gif|webp)$/.test(mediaType) && /^[A-Za-z0-9+/]*={0,2}$/.test(base64)) image.src = `data:${mediaType};base64,${base64}`;
  return { element: h('div', { class: 'image-frame' }, image), view: 'image', partial: false };
}

// ---------------------------------------------------------------- JSON

function renderJson(root: JsonNode): HTMLElement {
  const budget = { left: jsonEagerBudget };
  const container = h('div', { class: 'code json', role: 'tree', 'aria-label': 'JSON body' });
  container.appendChild(jsonNode(root, undefined, true, 0, budget));
  return container;
}

function keyPart(key: string | undefined): Node[] {
  return key === undefined ? [] : [h('span', { class: 'j-key' }, key), h('span', { class: 'j-punct' }, ': ')];
}

function jsonNode(node: JsonNode, key: string | undefined, last: boolean, depth: number, budget: { left: number }): HTMLElement {
  budget.left--;
  const comma = last ? '' : ',';
  if (node.type !== 'object' && node.type !== 'array') {
    return h('div', { class: 'j-row', role: 'treeitem' }, ...keyPart(key), h('span', { class: `j-${node.type}` }, node.raw), comma ? h('span', { class: 'j-punct' }, comma) : null);
  }
  const [open, close] = node.type === 'object' ? ['{', '}'] : ['[', ']'];
  const count = childCount(node);
  if (count === 0) return h('div', { class: 'j-row', role: 'treeitem' }, ...keyPart(key), h('span', { class: 'j-punct' }, open + close + comma));
  const noun = node.type === 'object' ? (count === 1 ? 'key' : 'keys') : count === 1 ? 'item' : 'items';
  const children = h('div', { class: 'j-children', role: 'group' });
  const details = h(
    'details',
    { class: 'j-node', role: 'treeitem' },
    h('summary', {}, ...keyPart(key), h('span', { class: 'j-punct' }, open), h('span', { class: 'j-hint' }, ` … ${close}${comma}  ${count} ${noun}`)),
    children,
    h('div', { class: 'j-close' }, h('span', { class: 'j-punct' }, close + comma)),
  );
  let filled = false;
  const fill = (fillBudget: { left: number }) => {
    if (filled) return;
    filled = true;
    const fragment = document.createDocumentFragment();
    if (count > jsonChunk) {
      for (const [start, end] of chunkRanges(count, jsonChunk)) fragment.appendChild(jsonChunkGroup(node, start, end, count, depth + 1));
    } else {
      for (let i = 0; i < count; i++) fragment.appendChild(jsonChild(node, i, count, depth + 1, fillBudget));
    }
    children.appendChild(fragment);
  };
  if (depth < 3 && budget.left > 0) {
    details.open = true;
    fill(budget);
  }
  details.addEventListener('toggle', () => {
    if (details.open) fill({ left: jsonEagerBudget });
  });
  return details;
}

function jsonChild(node: JsonNode, index: number, count: number, depth: number, budget: { left: number }): HTMLElement {
  // Children opened later by the user start closed: only the path they open gets built.
  if (node.type === 'object') {
    const [key, value] = node.entries[index];
    return jsonNode(value, key, index === count - 1, depth, budget);
  }
  if (node.type === 'array') return jsonNode(node.items[index], undefined, index === count - 1, depth, budget);
  throw new Error('not a container');
}

function jsonChunkGroup(node: JsonNode, start: number, end: number, count: number, depth: number): HTMLElement {
  const label = node.type === 'array' ? `[${start} … ${end - 1}]` : `keys ${start + 1} … ${end}`;
  const children = h('div', { class: 'j-children', role: 'group' });
  const details = h('details', { class: 'j-node j-chunk', role: 'treeitem' }, h('summary', {}, h('span', { class: 'j-hint-chunk' }, label)), children);
  let filled = false;
  details.addEventListener('toggle', () => {
    if (!details.open || filled) return;
    filled = true;
    const fragment = document.createDocumentFragment();
    const budget = { left: 0 }; // rows inside a chunk open closed: one level at a time
    for (let i = start; i < end; i++) fragment.appendChild(jsonChild(node, i, count, depth + 3, budget));
    children.appendChild(fragment);
  });
  return details;
}

// ---------------------------------------------------------------- markup

function renderMarkup(text: string): HTMLElement {
  const pre = h('pre', { class: 'code markup' });
  const fragment = document.createDocumentFragment();
  for (const token of tokenizeMarkup(text)) {
    if (token.kind === 'text') fragment.appendChild(document.createTextNode(token.text));
    else {
      const span = document.createElement('span');
      span.className = `m-${token.kind}`;
      span.textContent = token.text;
      fragment.appendChild(span);
    }
  }
  pre.appendChild(fragment);
  return pre;
}
