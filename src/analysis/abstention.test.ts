import { describe, expect, it } from "vitest";
import type { MetricRow } from "../core/types.js";
import { abstentionRows } from "./abstention.js";

const stigma: MetricRow = {
  suite: "s",
  target: "t",
  arm: "none",
  metric: "stigma",
  condition: "overall",
  n: 30,
  k: 12,
  value: 0.4,
  ci95: [0.2, 0.6],
  ci95_wilson: [0.2, 0.6],
  dont_know: 10,
  unparsed: 3,
  errors: 1,
};

describe("abstentionRows", () => {
  it("reports Do not know among the answers read, beside each stigma row", () => {
    const [row] = abstentionRows([stigma, { ...stigma, metric: "appropriate" }], {
      seed: 1,
      resamples: 500,
    });
    expect(row).toMatchObject({
      metric: "abstention",
      condition: "overall",
      n: 40,
      k: 10,
      value: 0.25,
      unparsed: 3,
      errors: 1,
    });
    expect(row?.ci95?.[0]).toBeLessThan(0.25);
    expect(row?.ci95?.[1]).toBeGreaterThan(0.25);
    expect(abstentionRows([{ ...stigma, n: 0, dont_know: 0 }], { seed: 1 })[0]?.value).toBeNull();
  });
});
