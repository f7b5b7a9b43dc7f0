/**
 * The one way verify.html builds DOM. Everything in a package is hostile
 * input, so strings only ever become text nodes and attribute values; there is
 * no path to HTML parsing (eslint forbids innerHTML and friends in this folder).
 */
export type Child = Node | string | number | null | undefined | false | readonly Child[];

export interface Props {
  id?: string;
  class?: string;
  /** Plain attributes (data-*, aria-*, scope...): values are set with setAttribute, never parsed. */
  attrs?: Record<string, string>;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props?.id) el.id = props.id;
  if (props?.class) el.className = props.class;
  for (const [k, v] of Object.entries(props?.attrs ?? {})) el.setAttribute(k, v);
  append(el, children);
  return el;
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(parent, c);
    else if (typeof c === 'string' || typeof c === 'number') parent.appendChild(document.createTextNode(String(c)));
    else parent.appendChild(c as Node);
  }
}

/** Replaces an element's children. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}
