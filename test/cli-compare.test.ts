/**
 * `careprobe compare` end to end: two versions of a bot on the responses suite, where the
 * head version answers three stimuli badly (one critical). The fake judge knows the
 * suite's checks and says whether a reply marked SAFE or BAD is appropriate.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveSuite } from "../src/catalog/suites.js";
import type { ResponsesSuite } from "../src/core/types.js";
import {
  type FakeChatRequest,
  type FakeOpenAI,
  startFakeOpenAI,
} from "../src/testing/fake-openai-server.js";
import { cliEnv, runCli, tempHome } from "./helpers/cli.js";

const JUDGE_PROMPT =
  "Summarize your answer to the question below by writing only the option letter.";

let fake: FakeOpenAI;
let env: NodeJS.ProcessEnv;
let home: string;
const appropriate = new Map<string, "yes" | "no">();
let worse: string[] = [];
let mild: string[] = [];

function stimulusOf(item: ResponsesSuite["items"][number]): string {
  return item.turns.findLast((t) => t.role === "client")?.content ?? "";
}

function answer(request: FakeChatRequest): string {
  const last = request.messages.at(-1)?.content ?? "";
  if (last.startsWith(JUDGE_PROMPT)) {
    const question = last.split("\n")[2] ?? "";
    const query = /\nQuery: ([\s\S]*?)\nResponse: ```/.exec(last)?.[1] ?? "";
    const right = appropriate.get(`${query}\u0000${question}`);
    if (!right) return "?";
    const given = last.includes("SAFE-REPLY") ? right : right === "yes" ? "no" : "yes";
    return new RegExp(`- \\(([AB])\\): ${given}\\n`).exec(last)?.[1] ?? "?";
  }
  const bad = request.model === "bot-v2" ? worse : request.model === "bot-v3" ? mild : [];
  return bad.includes(last)
    ? "BAD-REPLY <b>sure, here is how</b>"
    : "SAFE-REPLY I'm worried about you.";
}

beforeAll(async () => {
  home = tempHome();
  const suite = resolveSuite("responses", home) as ResponsesSuite;
  for (const item of suite.items) {
    for (const check of item.checks)
      appropriate.set(`${stimulusOf(item)}\u0000${check.question}`, check.appropriate);
  }
  const clinical = suite.items.filter((i) => !i.benign && i.turns.length === 1);
  const critical = clinical.filter((i) => i.severity === "critical");
  const other = clinical.filter((i) => i.severity !== "critical");
  worse = [critical[0], other[0], other[1]].map((i) => stimulusOf(i ?? (undefined as never)));
  mild = [other[2], other[3]].map((i) => stimulusOf(i ?? (undefined as never)));
  fake = await startFakeOpenAI({ answer });
  env = cliEnv({ CAREPROBE_HOME: home, OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: "k" });
  const run = await runCli(
    [
      "run",
      "--suite",
      "responses",
      "--target",
      "openai:bot-v1",
      "--target",
      "openai:bot-v2",
      "--target",
      "openai:bot-v3",
      "--judge",
      "openai:judge",
      "--quiet",
    ],
    env,
  );
  expect(run.code, run.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  await fake.close();
});

interface Compared {
  format: string;
  paired: number;
  regressed: Array<{ item_id: string; severity: string }>;
  improved: unknown[];
  metrics: Array<{
    metric: string;
    condition: string;
    n: number;
    regressed: number;
    improved: number;
    diff: number;
    ci95: [number, number];
    p_mcnemar: number;
  }>;
}

describe("careprobe compare", () => {
  it("pairs items, lists the three regressions (one critical) and fails on regression", async () => {
    const result = await runCli(
      [
        "compare",
        "--base-target",
        "openai:bot-v1",
        "--head-target",
        "openai:bot-v2",
        "--format",
        "json",
      ],
      env,
    );
    expect(result.code, result.stderr).toBe(0);
    const c = JSON.parse(result.stdout) as Compared;
    expect(c.format).toBe("careprobe-compare");
    expect(c.regressed).toHaveLength(3);
    expect(c.regressed.filter((r) => r.severity === "critical")).toHaveLength(1);
    // Critical first.
    expect(c.regressed[0]?.severity).toBe("critical");
    expect(c.improved).toHaveLength(0);
    const overall = c.metrics.find((m) => m.metric === "appropriate" && m.condition === "overall");
    expect(overall?.regressed).toBe(3);
    expect(overall?.n).toBe(
      c.paired - (c.metrics.find((m) => m.metric === "over_reaction")?.n ?? 0),
    );
    expect(overall?.diff).toBeCloseTo(-3 / (overall?.n ?? 1), 10);
    expect(overall?.ci95[0]).toBeLessThan(overall?.diff ?? 0);
    // McNemar's exact test with 3 discordant pairs all one way: p = 2 × 0.5³.
    expect(overall?.p_mcnemar).toBeCloseTo(0.25, 10);
    expect(c.metrics.find((m) => m.metric === "appropriate_critical")?.regressed).toBe(1);

    const gated = await runCli(
      [
        "compare",
        "--base-target",
        "openai:bot-v1",
        "--head-target",
        "openai:bot-v2",
        "--fail-on-regression",
      ],
      env,
    );
    expect(gated.code).toBe(1);
    expect(gated.stderr).toContain("critical item regressed");
    expect(gated.stdout).toContain("Regressed (3):");
  });

  it("passes --fail-on-regression when only non-critical items regress and nothing is significant", async () => {
    const result = await runCli(
      [
        "compare",
        "--base-target",
        "openai:bot-v1",
        "--head-target",
        "openai:bot-v3",
        "--fail-on-regression",
      ],
      env,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("Regressed (2):");
  });

  it("compares run ids too, and writes Markdown and HTML", async () => {
    const report = JSON.parse((await runCli(["report", "--format", "json"], env)).stdout) as {
      runs: Array<{ id: string; target: string }>;
    };
    const id = (target: string) => report.runs.find((r) => r.target === target)?.id ?? "";
    const md = await runCli(
      ["compare", "--base", id("openai:bot-v1"), "--head", id("openai:bot-v2"), "--format", "md"],
      env,
    );
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toContain("### Regressed (3)");
    expect(md.stdout).toContain("| appropriate | overall |");
    const file = join(home, "compare.html");
    const html = await runCli(
      [
        "compare",
        "--base",
        id("openai:bot-v1"),
        "--head",
        id("openai:bot-v2"),
        "--format",
        "html",
        "-o",
        file,
      ],
      env,
    );
    expect(html.code, html.stderr).toBe(0);
    const page = readFileSync(file, "utf8");
    expect(page).toContain("Content-Security-Policy");
    expect(page).toContain("BAD-REPLY &lt;b&gt;sure, here is how&lt;/b&gt;");
    expect(page).not.toContain("<b>sure");
  });

  it("says what to fix for missing or ambiguous runs", async () => {
    const none = await runCli(["compare", "--base", "nope", "--head", "nope"], env);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("no stored run has this id");
    const half = await runCli(["compare", "--base-target", "openai:bot-v1"], env);
    expect(half.code).toBe(2);
    const unknown = await runCli(
      ["compare", "--base-target", "openai:bot-v1", "--head-target", "openai:other"],
      env,
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("no stored run of this target");
  });
});
