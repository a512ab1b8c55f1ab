import { describe, expect, it } from "vitest";
import type { BuiltReport } from "../report/build.js";
import type { SentTally } from "./progress.js";
import {
  describeGaps,
  isIncomplete,
  nothingMeasured,
  runExitCode,
  runGaps,
  unreachableTargets,
} from "./run-outcome.js";

const run = (id: string, suite: string, counts: Partial<Record<string, number>> = {}) => ({
  id,
  suite,
  target: "openai:m",
  arm: "none",
  ...{ planned: 4, answered: 4, errors: 0, pending: 0, ...counts },
});

type Judge = { judge: string; reply: string | null; answer: "yes" | "no" | null };
const item = (outcome: string, judges: Judge[], output: string | null = "an answer") => ({
  output,
  outcome,
  judges: judges.map((j) => ({ ...j, check: 0, question: "q", reason: null })),
});
const yes: Judge = { judge: "openai:j", reply: "A", answer: "yes" };

function report(
  runs: ReturnType<typeof run>[],
  responses: Record<string, ReturnType<typeof item>[]> = {},
): BuiltReport {
  return {
    data: { runs },
    collectedResponses: Object.entries(responses).map(([id, items]) => ({ run: { id }, items })),
  } as unknown as BuiltReport;
}

describe("runGaps", () => {
  it("counts failed and unsent answers from the run list", () => {
    const [gaps] = runGaps(report([run("a", "stigma", { answered: 1, errors: 2, pending: 1 })]));
    expect(gaps).toMatchObject({ label: "stigma · openai:m · none", failed: 2, notSent: 1 });
    expect(gaps && isIncomplete(gaps)).toBe(true);
    expect(describeGaps(runGaps(report([run("b", "stigma")])))).toEqual([]);
  });

  it("counts items not yet judged (a judgement failed or was never sent) and unreadable verdicts", () => {
    const failedJudge: Judge = { judge: "openai:j", reply: null, answer: null };
    const babble: Judge = { judge: "openai:j", reply: "it depends", answer: null };
    const [gaps] = runGaps(
      report([run("r", "responses")], {
        r: [
          item("appropriate", [yes]),
          item("unscored", [failedJudge]),
          item("pending", []),
          item("unscored", [babble]),
          item("blank", [], ""),
          item("error", [], null),
        ],
      }),
    );
    expect(gaps).toMatchObject({ notJudged: 2, unreadable: 1 });
    const lines = describeGaps(gaps ? [gaps] : []);
    expect(lines[0]).toBe(
      "incomplete: responses · openai:m · none: 2 answered item(s) not yet judged, 1 item(s) with a verdict no judge reply gave",
    );
    expect(lines[1]).toContain("Run the same command again to continue");
    expect(lines[2]).toContain("Unreadable verdicts stay unreadable");
  });

  it("does not promise that a rerun fixes verdicts that are only unreadable", () => {
    const babble: Judge = { judge: "openai:j", reply: "?", answer: null };
    const lines = describeGaps(
      runGaps(report([run("r", "responses")], { r: [item("unscored", [babble])] })),
    );
    expect(lines).toHaveLength(2);
    expect(lines.join("\n")).not.toContain("Run the same command again");
  });
});

describe("unreachableTargets", () => {
  it("names targets whose every request failed to connect, and no others", () => {
    const sent = new Map<string, SentTally>([
      ["openai:gone", { ok: 0, failed: 3, codes: { NETWORK: 3 } }],
      ["openai:flaky", { ok: 2, failed: 1, codes: { NETWORK: 1 } }],
      ["openai:slow", { ok: 0, failed: 2, codes: { TIMEOUT: 1, NETWORK: 1 } }],
      ["openai:fine", { ok: 5, failed: 0, codes: {} }],
    ]);
    expect(unreachableTargets(sent)).toEqual(["openai:gone"]);
  });
});

describe("runExitCode", () => {
  const none = { interrupted: false, blocked: false, incomplete: false, gatesPassed: undefined };
  it("is 0 complete, 1 a gate failed, 2 blocked, 3 incomplete, 130 interrupted", () => {
    expect(runExitCode(none)).toBe(0);
    expect(runExitCode({ ...none, gatesPassed: true })).toBe(0);
    expect(runExitCode({ ...none, gatesPassed: false })).toBe(1);
    expect(runExitCode({ ...none, blocked: true })).toBe(2);
    expect(runExitCode({ ...none, incomplete: true })).toBe(3);
    expect(runExitCode({ ...none, interrupted: true })).toBe(130);
  });

  it("lets incomplete win over a failed gate, and blocked and interrupted over both", () => {
    const both = { ...none, incomplete: true, gatesPassed: false };
    expect(runExitCode(both)).toBe(3);
    expect(runExitCode({ ...both, gatesPassed: true })).toBe(3);
    expect(runExitCode({ ...both, blocked: true })).toBe(2);
    expect(runExitCode({ ...both, blocked: true, interrupted: true })).toBe(130);
  });
});

describe("nothingMeasured", () => {
  it("says what was run and why it gave no metric", () => {
    const gaps = runGaps(report([run("a", "stigma", { answered: 0, errors: 4 })]));
    expect(nothingMeasured(gaps)).toBe(
      "No answer arrived, so nothing could be measured yet.\nstigma · openai:m · none: 0/4 answered, 4 failed, 0 not sent, 0 not yet judged\n",
    );
    expect(nothingMeasured(runGaps(report([run("b", "stigma")])))).toContain(
      "measure nothing on their own",
    );
    expect(nothingMeasured([])).toContain("No run was planned");
  });
});
