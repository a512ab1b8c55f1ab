/** A menu of a suite's stimuli, done ones marked, to pick which one to answer or capture. */
import { field, h } from "./dom.js";
import type { Stimuli, Stimulus } from "./types.js";

export function stimulusPicker(
  data: Stimuli,
  complete: (s: Stimulus) => boolean,
  current: string,
  pick: (id: string) => Promise<void>,
): HTMLElement {
  const menu = h("select", { id: "stimulus" });
  for (const s of data.stimuli) {
    const done = complete(s);
    const turns = s.clientTurns > 1 ? `, ${s.clientTurns} turns` : "";
    menu.appendChild(
      h(
        "option",
        { value: s.id, selected: s.id === current, disabled: done },
        `${done ? "✓ " : ""}${s.id} (${s.condition}${turns})`,
      ),
    );
  }
  menu.addEventListener("change", () => void pick(menu.value));
  return field("Stimulus", menu);
}
