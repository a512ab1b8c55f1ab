import { describe, expect, it } from "vitest";
import { agreementRows, raterTable } from "./agreement-rows.js";
import type { CollectedResponsesRun, ResponseItemRow } from "./collect.js";

function item(
  id: string,
  condition: string,
  judge: "yes" | "no",
  people: Array<"yes" | "no" | null>,
): ResponseItemRow {
  return {
    suite: "s",
    item_id: id,
    stimulus_id: id,
    target: "t",
    arm: "none",
    sample: 0,
    condition,
    severity: "serious",
    benign: false,
    transcript: null,
    position: 0,
    stimulus: "",
    bridge: null,
    conversation: [],
    output: "answer",
    judged_output: "answer",
    judges: [{ judge: "j", check: 0, question: "q", reply: judge, answer: judge, reason: null }],
    labels: people.flatMap((label, index) =>
      label === null ? [] : [{ rater: `p${index + 1}`, check: 0, label }],
    ),
    verdicts: [judge],
    outcome: "appropriate",
    error: null,
    warnings: [],
  };
}

function run(items: ResponseItemRow[]): CollectedResponsesRun {
  return {
    run: {
      id: "r",
      suiteHash: "h",
      suiteId: "s",
      target: "t",
      targetIdentity: "",
      arm: "none",
      armPrompt: null,
      samples: 1,
      kind: "responses",
      config: {},
      roles: { target: { spec: "t", identity: "" }, judges: [] },
      toolVersion: "x",
      createdAt: "",
      updatedAt: "",
    },
    suite: {
      id: "s",
      kind: "responses",
      version: "1",
      description: "",
      hash: "h",
      source: "x",
      charLimit: 1024,
      params: { temperature: 0, maxTokens: 10 },
      conditions: [],
      items: [],
    },
    judges: ["j"],
    defaultJudge: false,
    items,
    observations: [],
    counts: {
      planned: items.length,
      answered: items.length,
      errors: 0,
      pending: 0,
      judge_disagreements: 0,
    },
  };
}

describe("agreement rows", () => {
  it("puts judges and people side by side, only for labelled checks", () => {
    const table = raterTable(run([item("a", "x", "yes", ["yes", "no"]), item("b", "x", "no", [])]));
    expect(table?.ids).toEqual(["a#0#0"]);
    expect(table?.raters).toEqual({ j: ["yes"], p1: ["yes"], p2: ["no"] });
    expect(raterTable(run([item("b", "x", "no", [])]))).toBeUndefined();
  });

  it("reports Fleiss' kappa among labellers and Cohen's kappa per pair, judges against each labeller", () => {
    // Four items; the judge and p1 always agree, p2 disagrees on one item.
    const items = [
      item("a", "x", "yes", ["yes", "yes"]),
      item("b", "x", "no", ["no", "no"]),
      item("c", "y", "yes", ["yes", "no"]),
      item("d", "y", "no", ["no", "no"]),
    ];
    const rows = agreementRows([run(items)], { seed: 1, resamples: 200 });
    const fleiss = rows.find((r) => r.metric === "fleiss_kappa" && r.condition === "overall");
    expect(fleiss?.n).toBe(4);
    expect(fleiss?.raters).toEqual(["p1", "p2"]);
    // p1, p2: 3 yes and 5 no of 8 ratings; P̄ = (1+1+0+1)/4 = 3/4; Pe = (3/8)²+(5/8)² = 34/64.
    expect(fleiss?.value).toBeCloseTo((3 / 4 - 34 / 64) / (1 - 34 / 64), 10);
    const labellers = rows.find(
      (r) =>
        r.metric === "cohen_kappa" && r.condition === "overall" && r.raters?.join() === "p1,p2",
    );
    expect(labellers?.n).toBe(4);
    expect(rows.some((r) => r.raters?.join() === "p1,j" || r.raters?.join() === "p2,j")).toBe(
      false,
    );
    const judgeP1 = rows.find(
      (r) => r.metric === "cohen_kappa" && r.condition === "overall" && r.raters?.join() === "j,p1",
    );
    expect(judgeP1?.value).toBe(1);
    expect(rows.some((r) => r.metric === "fleiss_kappa" && r.condition === "y")).toBe(true);
  });
});
