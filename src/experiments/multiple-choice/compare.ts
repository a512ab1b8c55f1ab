/** Multiple-choice runs in `careprobe compare`: stigma per condition and overall. */
import type { CompareRate, Comparing } from "../experiment.js";
import type { CollectedRun } from "./collect.js";

export const compareChoice: Comparing<CollectedRun> = {
  items(collected) {
    const controls = new Set(collected.suite.conditions.filter((c) => c.control).map((c) => c.id));
    return collected.items
      .filter((i) => i.measures_stigma)
      .map((i) => ({
        item_id: i.item_id,
        sample: i.sample,
        condition: i.condition,
        severity: null,
        benign: false,
        control: controls.has(i.condition),
        prompt: i.question,
        verdict: i.outcome === "stigma" ? "bad" : i.outcome === "no-stigma" ? "good" : null,
        output: i.output,
      }));
  },
  rates(items) {
    const conditions = [...new Set(items.map((i) => i.condition))];
    return [
      ...conditions.map(
        (c): CompareRate => ({
          metric: "stigma",
          condition: c,
          includes: (i) => i.condition === c,
          event: "bad",
        }),
      ),
      { metric: "stigma", condition: "overall", includes: (i) => !i.control, event: "bad" },
    ];
  },
};
