import { describe, expect, it } from "vitest";
import { CareprobeError } from "../core/errors.js";
import type { ChoiceOutcome, StigmaObservation } from "../core/types.js";
import { wilsonInterval } from "./intervals.js";
import { stigmaByQuestion, stigmaMetrics } from "./stigma.js";

type Cell = Partial<StigmaObservation> & { condition: string; outcome: ChoiceOutcome };

function observe(cell: Cell): StigmaObservation {
  return {
    suite: "moore2025-stigma",
    target: "openai:gpt-test",
    arm: "none",
    control: cell.condition === "daily-troubles",
    questionId: "work-closely",
    cluster: `${cell.condition}/v1`,
    ...cell,
  };
}

/** `count` observations of one outcome in one cell. */
function repeat(count: number, cell: Cell): StigmaObservation[] {
  return Array.from({ length: count }, () => observe(cell));
}

/** One arm's answers: schizophrenia 6/10 stigma, depression 2/8, control 1/5, plus exclusions. */
function sampleRun(extra: Partial<StigmaObservation> = {}): StigmaObservation[] {
  return [
    ...repeat(6, { ...extra, condition: "schizophrenia", outcome: "stigma" }),
    ...repeat(4, { ...extra, condition: "schizophrenia", outcome: "no-stigma" }),
    ...repeat(3, { ...extra, condition: "schizophrenia", outcome: "dont-know" }),
    ...repeat(2, { ...extra, condition: "depression", outcome: "stigma" }),
    ...repeat(6, { ...extra, condition: "depression", outcome: "no-stigma" }),
    ...repeat(1, { ...extra, condition: "depression", outcome: "unparsed" }),
    ...repeat(2, { ...extra, condition: "depression", outcome: "error" }),
    ...repeat(1, { ...extra, condition: "daily-troubles", outcome: "stigma" }),
    ...repeat(4, { ...extra, condition: "daily-troubles", outcome: "no-stigma" }),
    ...repeat(5, { ...extra, condition: "daily-troubles", outcome: "dont-know" }),
  ];
}

const options = { seed: 2025, resamples: 2000 };

describe("stigmaMetrics", () => {
  const rows = stigmaMetrics(sampleRun(), options);

  it("puts control conditions first, then the rest in first-seen order, then overall", () => {
    expect(rows.map((row) => row.condition)).toEqual([
      "daily-troubles",
      "schizophrenia",
      "depression",
      "overall",
    ]);
    for (const row of rows) {
      expect(row).toMatchObject({
        suite: "moore2025-stigma",
        target: "openai:gpt-test",
        arm: "none",
        metric: "stigma",
      });
    }
  });

  it("counts n and k from answered items only and reports exclusions separately", () => {
    const byCondition = Object.fromEntries(rows.map((row) => [row.condition, row]));
    expect(byCondition.schizophrenia).toMatchObject({ n: 10, k: 6, value: 0.6, dont_know: 3 });
    expect(byCondition.depression).toMatchObject({
      n: 8,
      k: 2,
      value: 0.25,
      dont_know: 0,
      unparsed: 1,
      errors: 2,
    });
    expect(byCondition["daily-troubles"]).toMatchObject({ n: 5, k: 1, value: 0.2, dont_know: 5 });
  });

  it("pools only non-control conditions into overall", () => {
    const overall = rows.at(-1);
    // schizophrenia 6/10 + depression 2/8; the control's 1/5 and its 5 "do not know" stay out.
    expect(overall).toMatchObject({
      condition: "overall",
      n: 18,
      k: 8,
      dont_know: 3,
      unparsed: 1,
      errors: 2,
    });
    expect(overall?.value).toBeCloseTo(8 / 18, 12);
    expect(overall?.ci95_wilson).toEqual(wilsonInterval(8, 18));
  });

  it("gives intervals that contain the estimate", () => {
    for (const row of rows) {
      const [lower, upper] = row.ci95 ?? [Number.NaN, Number.NaN];
      const [wilsonLower, wilsonUpper] = row.ci95_wilson ?? [Number.NaN, Number.NaN];
      expect(lower).toBeLessThanOrEqual(row.value ?? Number.NaN);
      expect(upper).toBeGreaterThanOrEqual(row.value ?? Number.NaN);
      expect(wilsonLower).toBeLessThanOrEqual(row.value ?? Number.NaN);
      expect(wilsonUpper).toBeGreaterThanOrEqual(row.value ?? Number.NaN);
    }
  });

  it("reports null rate and intervals when nothing was answered", () => {
    const dodged = [
      ...repeat(3, { condition: "depression", outcome: "dont-know" }),
      ...repeat(1, { condition: "depression", outcome: "error" }),
    ];
    const [depression, overall] = stigmaMetrics(dodged, options);
    expect(depression).toMatchObject({ n: 0, k: 0, value: null, ci95: null, ci95_wilson: null });
    expect(depression).toMatchObject({ dont_know: 3, errors: 1 });
    expect(overall).toMatchObject({ condition: "overall", n: 0, value: null, ci95: null });
  });

  it("emits an overall row with n = 0 when only the control was asked", () => {
    const controlOnly = repeat(4, { condition: "daily-troubles", outcome: "no-stigma" });
    const result = stigmaMetrics(controlOnly, options);
    expect(result.map((row) => [row.condition, row.n])).toEqual([
      ["daily-troubles", 4],
      ["overall", 0],
    ]);
  });

  it("is deterministic and independent of the other targets in the input", () => {
    expect(stigmaMetrics(sampleRun(), options)).toEqual(rows);
    const withAnother = stigmaMetrics(
      [...sampleRun({ target: "anthropic:other" }), ...sampleRun()],
      options,
    );
    expect(withAnother.filter((row) => row.target === "openai:gpt-test")).toEqual(rows);
    expect(withAnother.map((row) => row.target).slice(0, 4)).toEqual(
      new Array(4).fill("anthropic:other"),
    );
  });

  it("gives each row its own stream: same counts in two arms need not share an interval", () => {
    // Large cells, so the bootstrap endpoints are not pinned to a few possible values.
    const arm = (id: string) => [
      ...repeat(300, { arm: id, condition: "depression", outcome: "stigma" }),
      ...repeat(700, { arm: id, condition: "depression", outcome: "no-stigma" }),
    ];
    const [first, , second] = stigmaMetrics([...arm("none"), ...arm("soc")], options);
    expect(first).toMatchObject({ arm: "none", n: 1000, k: 300 });
    expect(second).toMatchObject({ arm: "soc", n: 1000, k: 300 });
    expect(second?.ci95).not.toEqual(first?.ci95);
    expect(second?.ci95_wilson).toEqual(first?.ci95_wilson);
  });

  it("rejects a condition called overall or one marked both control and not", () => {
    expect(() =>
      stigmaMetrics(repeat(1, { condition: "overall", outcome: "stigma" }), options),
    ).toThrow(CareprobeError);
    const mixed = [
      observe({ condition: "depression", outcome: "stigma", control: false }),
      observe({ condition: "depression", outcome: "stigma", control: true }),
    ];
    expect(() => stigmaMetrics(mixed, options)).toThrow(/both control and non-control/);
  });

  it("returns no rows for no observations", () => {
    expect(stigmaMetrics([], options)).toEqual([]);
  });
});

describe("stigmaByQuestion", () => {
  const observations = [
    ...sampleRun(),
    ...repeat(3, { condition: "schizophrenia", outcome: "stigma", questionId: "violence" }),
    ...repeat(1, { condition: "schizophrenia", outcome: "no-stigma", questionId: "violence" }),
  ];
  const rows = stigmaByQuestion(observations, options);

  it("splits rows by question with the same condition order and an overall per question", () => {
    expect(rows.map((row) => [row.question, row.condition])).toEqual([
      ["work-closely", "daily-troubles"],
      ["work-closely", "schizophrenia"],
      ["work-closely", "depression"],
      ["work-closely", "overall"],
      ["violence", "schizophrenia"],
      ["violence", "overall"],
    ]);
    expect(rows[4]).toMatchObject({ metric: "stigma", n: 4, k: 3, value: 0.75 });
    expect(rows[5]).toMatchObject({ n: 4, k: 3 });
  });

  it("counts the same as stigmaMetrics on one question's answers", () => {
    const onlyWork = stigmaMetrics(sampleRun(), options);
    const strip = (row: { n: number; k: number; dont_know: number }) => [
      row.n,
      row.k,
      row.dont_know,
    ];
    expect(rows.slice(0, 4).map(strip)).toEqual(onlyWork.map(strip));
  });
});
