import { describe, expect, it } from "vitest";
import { CareprobeError } from "../core/errors.js";
import type { MetricRow } from "../core/types.js";
import { describeGate, evaluateGates, parseGateRule, parseGateRules } from "./gates.js";

function row(
  metric: string,
  value: number | null,
  ci: [number, number] | null,
  extra: Partial<MetricRow> = {},
): MetricRow {
  return {
    suite: "responses",
    target: "openai:bot",
    arm: "none",
    metric,
    condition: "overall",
    n: value === null ? 0 : 40,
    k: 0,
    value,
    ci95: ci,
    ci95_wilson: null,
    dont_know: 0,
    unparsed: 0,
    errors: 0,
    ...extra,
  };
}

const rows = [
  row("appropriate", 0.92, [0.85, 0.97]),
  row("appropriate", 0.6, [0.4, 0.8], { condition: "suicidal_ideation" }),
  row("stigma", 0.15, [0.1, 0.25]),
  row("critical_failure", 0, [0, 0]),
  row("over_reaction", null, null),
  // A reference row is never gated.
  row("stigma", 0.9, null, { target: "moore2025:humans-2018" }),
];

describe("parseGateRule", () => {
  it("reads metric, optional condition, comparison and threshold", () => {
    expect(parseGateRule("appropriate>=0.9")).toEqual({
      text: "appropriate>=0.9",
      metric: "appropriate",
      condition: "overall",
      op: ">=",
      threshold: 0.9,
    });
    expect(parseGateRule("stigma:overall<=0.2")).toMatchObject({
      condition: "overall",
      op: "<=",
      threshold: 0.2,
    });
    expect(parseGateRule(" appropriate:suicidal_ideation > 90% ")).toMatchObject({
      condition: "suicidal_ideation",
      op: ">",
      threshold: 0.9,
    });
    expect(parseGateRule("critical_failure<0")).toMatchObject({ op: "<", threshold: 0 });
  });

  it("rejects malformed rules with the syntax in the hint", () => {
    for (const bad of [
      "appropriate=0.9",
      "appropriate>=",
      ">=0.9",
      "appropriate>=0.9x",
      "a:b:c>=1",
      "",
    ]) {
      let error: unknown;
      try {
        parseGateRule(bad);
      } catch (e) {
        error = e;
      }
      expect(error, bad).toBeInstanceOf(CareprobeError);
      expect((error as CareprobeError).code).toBe("BAD_ARGUMENT");
      expect((error as CareprobeError).hint).toContain("metric[:condition](>=|<=|>|<)threshold");
    }
  });
});

describe("evaluateGates", () => {
  it("judges >= on the lower bound and <= on the upper bound by default", () => {
    // value 0.92 >= 0.9 but the lower bound 0.85 is not.
    expect(evaluateGates(parseGateRules(["appropriate>=0.9"]), rows).passed).toBe(false);
    expect(evaluateGates(parseGateRules(["appropriate>=0.85"]), rows).passed).toBe(true);
    // value 0.15 <= 0.2 but the upper bound 0.25 is not.
    expect(evaluateGates(parseGateRules(["stigma<=0.2"]), rows).passed).toBe(false);
    expect(evaluateGates(parseGateRules(["stigma<=0.25"]), rows).passed).toBe(true);
    expect(evaluateGates(parseGateRules(["stigma<0.25"]), rows).passed).toBe(false);
    expect(evaluateGates(parseGateRules(["critical_failure<=0"]), rows).passed).toBe(true);
  });

  it("judges the point estimate with on = value", () => {
    expect(evaluateGates(parseGateRules(["appropriate>=0.9"]), rows, "value").passed).toBe(true);
    expect(evaluateGates(parseGateRules(["stigma<=0.2"]), rows, "value").passed).toBe(true);
    expect(evaluateGates(parseGateRules(["appropriate>0.92"]), rows, "value").passed).toBe(false);
  });

  it("reads a named condition, and fails a row without a value", () => {
    const report = evaluateGates(
      parseGateRules(["appropriate:suicidal_ideation>=0.5", "over_reaction<=0.1"]),
      rows,
    );
    expect(report.results.map((r) => r.pass)).toEqual([false, false]);
    expect(describeGate(report.results[1] ?? (undefined as never))).toContain("no value (n = 0)");
  });

  it("names rule, value, interval, bound and threshold when it fails", () => {
    const [result] = evaluateGates(parseGateRules(["appropriate>=0.9"]), rows).failed;
    const text = describeGate(result ?? (undefined as never));
    expect(text).toContain("FAIL appropriate>=0.9");
    expect(text).toContain("= 0.920 [0.850, 0.970]");
    expect(text).toContain("lower 95% bound 0.850");
    expect(text).toContain("threshold >= 0.9");
  });

  it("treats a rule over rows that do not exist as bad input, not a pass", () => {
    expect(() => evaluateGates(parseGateRules(["apropriate>=0.9"]), rows)).toThrow(
      /matches no metric row/,
    );
    expect(() => evaluateGates(parseGateRules(["appropriate:nowhere>=0.9"]), rows)).toThrow(
      /matches no metric row/,
    );
    // Only the human baseline has this condition: still no row to gate.
    expect(() =>
      evaluateGates(parseGateRules(["stigma:x<=1"]), [
        row("stigma", 0.5, null, { target: "moore2025:humans-2018", condition: "x" }),
      ]),
    ).toThrow(CareprobeError);
  });
});
