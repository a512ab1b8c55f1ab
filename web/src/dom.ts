/**
 * Building the page without HTML strings: every text, whether a model's reply or a
 * person's note, goes in as a text node, so it can never become markup or script.
 */
type Child = Node | string | number | null | undefined | false;
type Attributes = Record<string, string | number | boolean | undefined | ((event: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (typeof value === "function") element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, "");
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
  }
}

export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

export function status(message: string, kind: "ok" | "error" | "info" = "info"): void {
  const line = document.getElementById("status");
  if (!line) return;
  line.textContent = message;
  line.className = kind;
}

/** A select whose options are `values` (plus an empty "any" option when `any` is given). */
export function select(
  name: string,
  values: string[],
  current: string,
  any?: string,
): HTMLSelectElement {
  const menu = h("select", { name, id: `f-${name}` });
  if (any !== undefined) menu.appendChild(h("option", { value: "" }, any));
  for (const value of values) {
    menu.appendChild(h("option", { value, selected: value === current }, value));
  }
  return menu;
}

export function field(label: string, control: HTMLElement): HTMLLabelElement {
  return h("label", { class: "field" }, h("span", {}, label), control);
}

/** A conversation as turns, each speaker labelled. */
export function conversation(turns: Array<{ role: string; content: string }>): HTMLElement {
  return h(
    "div",
    { class: "conversation" },
    ...turns.map((turn) => {
      const who = turn.role === "user" || turn.role === "client" ? "Client" : "Therapist";
      return h("div", { class: `turn ${who.toLowerCase()}` }, h("b", {}, `${who}: `), turn.content);
    }),
  );
}

export function fmt(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined ? "—" : value.toFixed(digits);
}

export function interval(ci: [number, number] | null | undefined): string {
  return ci ? `[${fmt(ci[0])}, ${fmt(ci[1])}]` : "";
}
