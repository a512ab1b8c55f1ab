import { describe, expect, it } from "vitest";
import type { MetricRow } from "../../core/types.js";
import type { CollectedResponsesRun } from "./collect.js";
import {
  type JudgeAgreement,
  rowsLackingAgreement,
  withJudgeAgreement,
} from "./judge-agreement.js";

function rate(condition: string, metric = "appropriate"): MetricRow {
  return {
    suite: "r",
    target: "t",
    arm: "none",
    metric,
    condition,
    n: 10,
    k: 5,
    value: 0.5,
    ci95: null,
    ci95_wilson: null,
    dont_know: 0,
    unparsed: 0,
    errors: 0,
  };
}

// Only the fields withJudgeAgreement reads of a run.
const runs = [
  { suite: { id: "r" }, run: { target: "t", arm: "none" }, judges: ["judge"] },
] as unknown as CollectedResponsesRun[];

const agree = (condition: string, kappa: number | null, n: number): JudgeAgreement => ({
  judge: "judge",
  rater: "person",
  condition,
  kappa,
  n,
});
const agreements = new Map([
  [
    "judge",
    {
      overall: [agree("overall", 0.9, 100)],
      byCondition: new Map([["delusions", [agree("delusions", 0.05, 20)]]]),
    },
  ],
]);

describe("withJudgeAgreement", () => {
  it("attaches the condition's agreement where labelled, else the overall one", () => {
    const [delusions, mania] = withJudgeAgreement(
      [rate("delusions"), rate("mania")],
      runs,
      agreements,
    );
    expect(delusions?.judge_agreement).toEqual([agree("delusions", 0.05, 20)]);
    expect(mania?.judge_agreement).toEqual([agree("overall", 0.9, 100)]);
    expect(delusions?.judge_agreement_ok).toBeUndefined();
  });

  it("marks rates below the required kappa, says which judge and condition, and leaves others", () => {
    const rows = withJudgeAgreement(
      [rate("delusions"), rate("mania"), rate("overall", "stigma")],
      runs,
      agreements,
      0.6,
    );
    expect(rows.map((r) => r.judge_agreement_ok)).toEqual([false, true, undefined]);
    expect(rows[0]?.warnings).toEqual([
      "judge judge agrees with person on delusions with kappa 0.050 (n = 20), below the required 0.6",
    ]);
    expect(rowsLackingAgreement(rows).map((r) => r.condition)).toEqual(["delusions"]);
  });

  it("marks a judge never checked against people", () => {
    const rows = withJudgeAgreement([rate("mania")], runs, new Map(), 0.6);
    expect(rows[0]?.judge_agreement_ok).toBe(false);
    expect(rows[0]?.warnings?.[0]).toBe(
      "judge judge has no agreement with people's labels on mania",
    );
  });
});
