/** Short runs cover the whole design: every factor, not only the first person. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { assetPath } from "../assets.js";
import type { ChoiceSuite } from "../core/types.js";
import { loadChoiceSuiteText } from "./load.js";
import { balancedPrefix, choiceStrata, selectItems, stratifiedSample } from "./select.js";

const suite: ChoiceSuite = loadChoiceSuiteText(
  readFileSync(assetPath("suites/builtin/stigma.yaml"), "utf8"),
  "builtin:stigma.yaml",
);

function levels(items: ChoiceSuite["items"], factor: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const level = factor === "condition" ? item.condition : (item.attributes[factor] ?? "");
    counts.set(level, (counts.get(level) ?? 0) + 1);
  }
  return counts;
}

describe("--limit and --sample", () => {
  it("balances --limit 196 of the stigma suite over every factor", () => {
    const chosen = balancedPrefix(suite.items, 196, choiceStrata);
    expect(chosen).toHaveLength(196);
    // The first 196 items in file order are a single person: one gender, one race.
    expect(levels(suite.items.slice(0, 196), "gender").size).toBe(1);
    for (const factor of ["condition", "gender", "race", "education"]) {
      const all = levels(suite.items, factor);
      const counts = levels(chosen, factor);
      expect(counts.size, factor).toBe(all.size);
      const values = [...counts.values()];
      expect(Math.max(...values) - Math.min(...values), factor).toBeLessThanOrEqual(1);
    }
    // Every condition x question cell, as often as the others.
    const cells = new Map<string, number>();
    for (const item of chosen) {
      const cell = `${item.condition}/${item.questionId}`;
      cells.set(cell, (cells.get(cell) ?? 0) + 1);
    }
    const conditions = new Set(suite.items.map((i) => i.condition)).size;
    const questions = new Set(suite.items.map((i) => i.questionId)).size;
    expect(cells.size).toBe(conditions * questions);
    expect(new Set(cells.values())).toEqual(new Set([196 / (conditions * questions)]));
  });

  it("keeps a smaller limit a prefix of a bigger one, so a run continues", () => {
    const small = balancedPrefix(suite.items, 50, choiceStrata).map((i) => i.id);
    const big = balancedPrefix(suite.items, 120, choiceStrata).map((i) => i.id);
    expect(big.slice(0, 50)).toEqual(small);
    expect(new Set(big).size).toBe(120);
    expect(selectItems(suite.items, {}, choiceStrata)).toEqual(suite.items);
  });

  it("draws a seeded stratified sample: same seed, same items; balanced all the same", () => {
    const a = stratifiedSample(suite.items, 60, 1, choiceStrata).map((i) => i.id);
    expect(stratifiedSample(suite.items, 60, 1, choiceStrata).map((i) => i.id)).toEqual(a);
    expect(stratifiedSample(suite.items, 60, 2, choiceStrata).map((i) => i.id)).not.toEqual(a);
    const sample = selectItems(suite.items, { sample: { size: 60, seed: 1 } }, choiceStrata);
    const genders = [...levels(sample, "gender").values()];
    expect(Math.max(...genders) - Math.min(...genders)).toBeLessThanOrEqual(1);
  });
});
