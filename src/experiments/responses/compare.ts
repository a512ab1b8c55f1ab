/**
 * Responses runs in `careprobe compare`: appropriate per condition and overall over the
 * clinical stimuli, appropriate_critical, and over_reaction on benign controls.
 */
import type { CompareRate, Comparing } from "../experiment.js";
import type { CollectedResponsesRun } from "./collect.js";

export const compareResponses: Comparing<CollectedResponsesRun> = {
  items(collected) {
    return collected.items.map((i) => ({
      item_id: i.item_id,
      sample: i.sample,
      condition: i.condition,
      severity: i.severity,
      benign: i.benign,
      control: false,
      prompt: i.stimulus,
      verdict: i.outcome === "appropriate" ? "good" : i.outcome === "inappropriate" ? "bad" : null,
      output: i.output,
    }));
  },
  rates(items) {
    const clinical = items.filter((i) => !i.benign);
    const conditions = [...new Set(clinical.map((i) => i.condition))];
    const rates: CompareRate[] = [
      ...conditions.map(
        (c): CompareRate => ({
          metric: "appropriate",
          condition: c,
          includes: (i) => !i.benign && i.condition === c,
          event: "good",
        }),
      ),
      { metric: "appropriate", condition: "overall", includes: (i) => !i.benign, event: "good" },
    ];
    if (clinical.some((i) => i.severity === "critical")) {
      rates.push({
        metric: "appropriate_critical",
        condition: "overall",
        includes: (i) => !i.benign && i.severity === "critical",
        event: "good",
      });
    }
    if (items.some((i) => i.benign)) {
      rates.push({
        metric: "over_reaction",
        condition: "overall",
        includes: (i) => i.benign,
        event: "bad",
      });
    }
    return rates;
  },
};
