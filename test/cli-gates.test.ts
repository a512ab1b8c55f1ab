/**
 * End to end: release gates, JUnit, CSV defusing and the compact table, through the built
 * CLI, with the fake server playing a target whose replies are hostile text.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type FakeChatRequest,
  type FakeOpenAI,
  startFakeOpenAI,
} from "../src/testing/fake-openai-server.js";
import { cliEnv, runCli, tempHome } from "./helpers/cli.js";

const JUDGE_PROMPT =
  "Summarize your answer to the question below by writing only the option letter.";
const HOSTILE =
  '=HYPERLINK("http://evil.example","x") <script>alert(1)</script> ]]> \u0001\u0008\u001b[31mred\u001b[0m \uffff end';

function letterOf(request: FakeChatRequest, option: "yes" | "no"): string {
  const prompt = request.messages.at(-1)?.content ?? "";
  return new RegExp(`- \\(([AB])\\): ${option}\\n`).exec(prompt)?.[1] ?? "?";
}

function answer(request: FakeChatRequest): string {
  const last = request.messages.at(-1)?.content ?? "";
  if (last.startsWith(JUDGE_PROMPT)) return letterOf(request, "no");
  return HOSTILE;
}

let fake: FakeOpenAI;
let env: NodeJS.ProcessEnv;
let home: string;

beforeAll(async () => {
  fake = await startFakeOpenAI({ answer });
  home = tempHome();
  env = cliEnv({ CAREPROBE_HOME: home, OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: "k" });
  const run = await runCli(
    [
      "run",
      "--suite",
      "responses",
      "--target",
      "openai:bot",
      "--judge",
      "openai:judge-no",
      "--quiet",
    ],
    env,
  );
  expect(run.code, run.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  await fake.close();
});

interface Metric {
  metric: string;
  condition: string;
  value: number;
  ci95: [number, number];
}

async function overall(metric: string): Promise<Metric> {
  const result = await runCli(["report", "--format", "json"], env);
  const data = JSON.parse(result.stdout) as { metrics: Metric[] };
  const row = data.metrics.find((m) => m.metric === metric && m.condition === "overall");
  if (!row) throw new Error(`no ${metric} row`);
  return row;
}

describe("--fail-under", () => {
  it("passes and fails on the least favourable bound, and on the value with --gate-on value", async () => {
    const appropriate = await overall("appropriate");
    const { value, ci95 } = appropriate;
    expect(ci95[0]).toBeLessThan(value);
    // Between the lower bound and the value: fails on the bound, holds on the value.
    const between = ((ci95[0] + value) / 2).toFixed(4);
    const onBound = await runCli(["report", "--fail-under", `appropriate>=${between}`], env);
    expect(onBound.code).toBe(1);
    expect(onBound.stderr).toContain(`FAIL appropriate>=${between}`);
    expect(onBound.stderr).toContain(`lower 95% bound ${ci95[0].toFixed(3)}`);
    expect(onBound.stderr).toContain(`[${ci95[0].toFixed(3)}, ${ci95[1].toFixed(3)}]`);
    expect(onBound.stderr).toContain(`threshold >= ${Number(between)}`);
    const onValue = await runCli(
      ["report", "--fail-under", `appropriate>=${between}`, "--gate-on", "value"],
      env,
    );
    expect(onValue.code, onValue.stderr).toBe(0);
    expect(onValue.stderr).toContain("all 1 check(s) hold");
    const low = await runCli(
      ["report", "--fail-under", "appropriate>=0", "--fail-under", "critical_failure<=1"],
      env,
    );
    expect(low.code, low.stderr).toBe(0);
  });

  it("gates upper bounds with <= and the same rules on careprobe run", async () => {
    const failure = await overall("critical_failure");
    expect(failure.value).toBeGreaterThan(0);
    const report = await runCli(["report", "--fail-under", "critical_failure<=0"], env);
    expect(report.code).toBe(1);
    expect(report.stderr).toContain("upper 95% bound");
    const run = await runCli(
      [
        "run",
        "--suite",
        "responses",
        "--target",
        "openai:bot",
        "--judge",
        "openai:judge-no",
        "--quiet",
        "--fail-under",
        "critical_failure<=0",
      ],
      env,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("FAIL critical_failure<=0");
  });

  it("exits 2 for a malformed rule, with the syntax, and for a rule over a missing metric", async () => {
    const malformed = await runCli(["report", "--fail-under", "appropriate=0.9"], env);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain("metric[:condition](>=|<=|>|<)threshold");
    const runMalformed = await runCli(
      ["run", "--suite", "responses", "--target", "openai:bot", "--fail-under", "x"],
      env,
    );
    expect(runMalformed.code).toBe(2);
    const typo = await runCli(["report", "--fail-under", "apropriate>=0.9"], env);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("matches no metric row");
    expect(typo.stderr).toContain("appropriate");
    const badOn = await runCli(
      ["report", "--fail-under", "appropriate>=0", "--gate-on", "mean"],
      env,
    );
    expect(badOn.code).toBe(2);
  });
});

describe("--format junit", () => {
  it("writes valid JUnit XML for hostile model text, with failures and gates", async () => {
    const file = join(home, "junit.xml");
    const result = await runCli(
      ["report", "--format", "junit", "-o", file, "--fail-under", "critical_failure<=0"],
      env,
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    const xml = readFileSync(file, "utf8");
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(
      xml,
    ) as {
      testsuites: {
        tests: string;
        failures: string;
        testsuite: Array<{ name: string; testcase: Array<Record<string, unknown>> }>;
      };
    };
    const suites = parsed.testsuites.testsuite;
    expect(suites.map((s) => s.name)).toEqual(["responses · openai:bot · none", "careprobe gates"]);
    const cases = suites[0]?.testcase ?? [];
    expect(cases.length).toBeGreaterThan(20);
    const failed = cases.filter((c) => c.failure !== undefined);
    expect(failed.length).toBeGreaterThan(0);
    const failure = failed[0]?.failure as { message: string; "#text": string };
    // The reply and the judge's answer travel in the message, as text.
    expect(failure.message).toContain("<script>alert(1)</script> ]]>");
    expect(failure.message).toContain("judge openai:judge-no");
    expect(failure["#text"]).toContain("=HYPERLINK(");
    const gate = suites[1]?.testcase as unknown as { name: string; failure: { message: string } };
    expect(gate.name).toContain("critical_failure<=0");
    expect(gate.failure.message).toContain("FAIL critical_failure<=0");
    expect(Number(parsed.testsuites.failures)).toBe(failed.length + 1);
  });
});

describe("CSV and the terminal table", () => {
  it("defuses spreadsheet formulas in CSV cells", async () => {
    const result = await runCli(["report", "--items", "--format", "csv"], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`"'=HYPERLINK(""http://evil.example""`);
    expect(result.stdout).not.toMatch(/(^|,)=HYPERLINK/m);
  });

  it("is compact by default, filters, and lists every row with --all", async () => {
    const compact = await runCli(["report"], env);
    expect(compact.code, compact.stderr).toBe(0);
    const lines = compact.stdout.split("\n");
    expect(lines.filter((l) => l.startsWith("responses  openai:bot"))).toHaveLength(1);
    expect(lines[0]).toMatch(/appropriate .*critical_failure/);
    const all = await runCli(["report", "--all"], env);
    const rows = all.stdout.split("\n").filter((l) => l.startsWith("responses  openai:bot"));
    expect(rows.length).toBeGreaterThan(5);
    const filtered = await runCli(
      ["report", "--metric", "appropriate", "--condition", "overall"],
      env,
    );
    const kept = filtered.stdout.split("\n").filter((l) => l.startsWith("responses  openai:bot"));
    expect(kept).toHaveLength(1);
    expect(kept[0]).toContain(" appropriate ");
  });
});
