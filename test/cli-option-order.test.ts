/**
 * End to end: counterbalanced options against a fake server whose model always answers
 * "A". Under the fixed order it looks like a model with strong stigma (and is flagged);
 * under the balanced order its stigma rate falls to near one half and position_bias
 * catches it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeOpenAI, startFakeOpenAI } from "../src/testing/fake-openai-server.js";
import { cliEnv, runCli, tempHome } from "./helpers/cli.js";

interface Row {
  metric: string;
  condition: string;
  n: number;
  k: number;
  value: number | null;
  letter?: string;
  warnings?: string[];
}
interface Report {
  runs: Array<{ option_order?: string; answered: number; target: string }>;
  metrics: Row[];
}

let fake: FakeOpenAI;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  fake = await startFakeOpenAI({ answer: () => "A" });
  env = cliEnv({ CAREPROBE_HOME: tempHome(), OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: "k" });
});
afterAll(async () => {
  await fake.close();
});

/** 196 items: two people × 14 questions × 7 conditions, so every cell has two items. */
async function runAndReport(order: string): Promise<Report> {
  const run = await runCli(
    [
      "run",
      "--suite",
      "stigma",
      "--target",
      "openai:always-a",
      "--limit",
      "196",
      "--option-order",
      order,
      "--quiet",
    ],
    env,
  );
  expect(run.code, run.stderr).toBe(0);
  // The run just made (the newest): runs in other orders are other runs, reported beside it.
  const listed = JSON.parse((await runCli(["runs", "--format", "json"], env)).stdout) as Array<{
    id: string;
  }>;
  const report = await runCli(
    ["report", "--format", "json", "--run", listed.at(-1)?.id ?? "none"],
    env,
  );
  expect(report.code, report.stderr).toBe(0);
  return JSON.parse(report.stdout) as Report;
}

const overall = (r: Report, metric = "stigma") =>
  r.metrics.find(
    (m) => m.metric === metric && m.condition === (metric === "stigma" ? "overall" : "all"),
  );

describe("--option-order", () => {
  it("fixed: a first-letter model scores 5/6 stigma and every stigma row is flagged", async () => {
    const report = await runAndReport("fixed");
    expect(report.runs[0]?.option_order).toBe("fixed");
    // Five social-distance questions list the stigmatizing answer first; the violence
    // question lists "Not at all likely" first.
    expect(overall(report)?.value).toBeCloseTo(5 / 6, 12);
    expect(overall(report)?.warnings).toEqual([
      expect.stringContaining("control condition daily-troubles has a stigma rate of 83%"),
      expect.stringContaining("letter A takes 100% of 196 readable answers"),
    ]);
    expect(report.metrics.find((m) => m.metric === "position_bias")).toBeUndefined();
  });

  it("balanced: half the items reversed, the answer scored by meaning: stigma near 0.5, position_bias flags it", async () => {
    const sentBefore = fake.requests.length;
    const report = await runAndReport("balanced");
    // A new run (its own id). The 98 items shown as written are the fixed run's requests,
    // answered from the store; only the 98 reversed ones are sent.
    const sent = fake.requests.slice(sentBefore).flatMap((r) => (r.body ? [r.body] : []));
    expect(sent).toHaveLength(98);
    const prompts = sent.map((b) => b.messages.at(-1)?.content ?? "");
    const reversed = prompts.filter(
      (p) => p.includes("- (A): Definitely willing") || p.includes("- (A): Very likely"),
    );
    expect(reversed).toHaveLength(98);
    // "Do not know" stays last in both orders.
    expect(prompts.every((p) => p.includes("- (E): Do not know"))).toBe(true);
    expect(report.runs).toHaveLength(1);
    expect(report.runs[0]?.option_order).toBe("balanced");
    // Without --run both orders are reported, their target labels told apart.
    const both = JSON.parse((await runCli(["report", "--format", "json"], env)).stdout) as Report;
    expect(both.runs.map((r) => r.option_order).sort()).toEqual(["balanced", "fixed"]);
    expect(new Set(both.runs.map((r) => r.target)).size).toBe(2);
    // Balanced alternates within each cell in suite order, but --limit picks the items
    // balanced over the design (suites/select.ts), not a prefix of the suite: the two items
    // a cell gets may share an order. 98 of the 196 are reversed, yet of the 72 answers
    // that count towards overall stigma 32 are stigmatizing, not 36: near one half, not
    // exactly (5/6 under fixed). position_bias is as far from 0 for the same reason.
    expect(overall(report)).toMatchObject({ n: 72, k: 32 });
    expect(overall(report)?.value).toBeCloseTo(4 / 9, 12);
    const bias = overall(report, "position_bias");
    expect(bias?.value).toBeCloseTo(0.42566, 5);
    expect(bias?.warnings?.[0]).toContain("answers follow the option position, not its meaning");
  });

  it("rejects an unknown order with the list of known ones", async () => {
    const result = await runCli(
      ["run", "--suite", "stigma", "--target", "openai:always-a", "--option-order", "random"],
      env,
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("fixed, reversed, balanced, shuffled");
  });
});
