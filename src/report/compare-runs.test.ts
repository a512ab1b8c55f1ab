import { describe, expect, it } from "vitest";
import { mcnemarExact, pairedDifferenceInterval } from "../analysis/mcnemar.js";
import { renderCompareMarkdown, renderCompareTable } from "./compare-render.js";
import { type CompareMetric, intervalNote, type RunComparison } from "./compare-runs.js";

describe("careprobe compare: an interval that disagrees with its p says so", () => {
  // 5 of 100 pairs changed, all for the worse: the bootstrap over pairs excludes 0,
  // McNemar's exact test (p = 2 × 0.5⁵ = 0.0625) does not reject.
  const ci95 = pairedDifferenceInterval(5, 0, 100, { seed: 1 });
  const p = mcnemarExact(5, 0);

  it("notes the disagreement, and only then", () => {
    expect(ci95[1]).toBeLessThan(0);
    expect(p).toBeCloseTo(0.0625, 12);
    expect(intervalNote(ci95, p)).toMatch(
      /bootstrap interval excludes 0 but McNemar's exact p = 0\.0625/,
    );
    expect(intervalNote([-0.1, 0.05], 0.4)).toBeNull();
    expect(intervalNote([-0.1, -0.05], 0.01)).toBeNull();
    expect(intervalNote([-0.1, 0.05], 0.01)).toMatch(
      /p = 0\.0100 but the bootstrap interval includes 0/,
    );
  });

  it("marks the row and prints the note in the table and Markdown", () => {
    const metric: CompareMetric = {
      metric: "appropriate",
      condition: "overall",
      n: 100,
      base_value: 0.9,
      head_value: 0.85,
      diff: -0.05,
      ci95,
      ci95_note: intervalNote(ci95, p),
      regressed: 5,
      improved: 0,
      p_mcnemar: p,
      significantly_worse: false,
    };
    const side = {
      id: "r",
      suite: "s",
      suite_hash: "h",
      target: "t",
      arm: "none",
      updated_at: "d",
    };
    const c: RunComparison = {
      kind: "responses",
      base: side,
      head: side,
      suite_changed: false,
      paired: 100,
      only_base: 0,
      only_head: 0,
      metrics: [metric],
      regressed: [],
      improved: [],
    };
    const table = renderCompareTable(c);
    expect(table).toContain("McNemar exact p");
    expect(table).toContain("95% CI bootstrap");
    expect(table).toMatch(/0\.0625 †/);
    expect(table).toContain("† appropriate · overall: the bootstrap interval excludes 0");
    expect(renderCompareMarkdown(c)).toContain("the bootstrap interval excludes 0");
  });
});
