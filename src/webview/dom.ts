// The only way the panel builds DOM: elements from fixed tag names, attributes from fixed names,
// and every piece of data as a text node. Nothing here parses a string as HTML.

export type Child = Node | string | null | undefined | false;

export interface Attributes {
  readonly class?: string;
  readonly id?: string;
  readonly role?: string;
  readonly title?: string;
  readonly type?: string;
  readonly hidden?: boolean;
  readonly disabled?: boolean;
  readonly tabindex?: number;
  readonly [aria: `aria-${string}`]: string | undefined;
  readonly [data: `data-${string}`]: string | undefined;
  readonly scope?: string;
  readonly colspan?: number;
}

/** Creates an element; strings become text nodes, attribute values are plain strings (never URLs or handlers). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (/^on/i.test(name) || name === 'href' || name === 'src' || name === 'style') throw new Error(`refusing attribute ${name}`);
    element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

export function clear(element: Element): void {
  element.replaceChildren();
}

/** A secret shown masked; the panel's "Reveal secrets" toggle switches to the real value by CSS alone. */
export function secret(masked: string, real: string): HTMLElement {
  if (masked === real) return h('span', { class: 'value' }, real);
  return h('span', { class: 'value has-secret' }, h('span', { class: 'masked', 'aria-label': 'masked value' }, masked), h('span', { class: 'secret' }, real));
}

export function button(label: string, ariaLabel: string, onClick: () => void, options: { class?: string; disabled?: boolean; icon?: string; iconClass?: string } = {}): HTMLButtonElement {
  const element = h(
    'button',
    { type: 'button', class: options.class ?? 'action', 'aria-label': ariaLabel, title: ariaLabel, disabled: options.disabled ?? false },
    options.icon || options.iconClass ? h('span', { class: `icon ${options.iconClass ?? ''}`, 'aria-hidden': 'true' }, options.icon ?? '') : null,
    // In a span so a narrow toolbar can show the icon alone (the name stays in title and aria-label).
    h('span', { class: 'label' }, label),
  );
  element.addEventListener('click', onClick);
  return element;
}
