/**
 * `careprobe report --format csv --layout moore2025` on the paper's own imported gpt-4o run
 * (no system prompt) gives back the paper's result file: same prompt, output, answer and
 * code on all 1,008 rows (see docs/design/moore2025-layout.md).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "../src/core/csv.js";
import { cliEnv, MOORE2025, requirePath, runCli, tempHome } from "./helpers/cli.js";

const RUN_FILE = join(
  MOORE2025,
  "results/stigma/model=gpt-4o-2024-08-06&steel-man-prompt=False/2025-01-18.jsonl",
);

interface PaperRow {
  education: string;
  race: string;
  gender: string;
  condition: string;
  vignette: string;
  question: string;
  question_only: string;
  options: string[];
  prompt: string;
  output: string | null;
  answer: string | null;
  code: boolean | number | null;
}

let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  env = cliEnv({ CAREPROBE_HOME: tempHome() });
  const fetched = await runCli(
    ["fetch", "moore2025", "--from", requirePath(MOORE2025), "--quiet"],
    env,
  );
  expect(fetched.code, fetched.stderr).toBe(0);
  const imported = await runCli(["import", "moore2025"], env);
  expect(imported.code, imported.stderr).toBe(0);
}, 120_000);

function paperCode(code: PaperRow["code"]): string {
  if (code === null) return "";
  return Number(code) === 1 ? "1.0" : "0.0";
}

describe("careprobe report --layout moore2025", () => {
  it("writes the paper's gpt-4o run back row for row", async () => {
    const result = await runCli(
      [
        "report",
        "--format",
        "csv",
        "--layout",
        "moore2025",
        "--suite",
        "moore2025-stigma",
        "--target",
        "moore2025:gpt-4o-2024-08-06",
        "--arm",
        "none",
      ],
      env,
    );
    expect(result.code, result.stderr).toBe(0);
    const table = parseCsv(result.stdout);
    const column = (name: string) => table.header.indexOf(name);
    const paper = readFileSync(requirePath(RUN_FILE), "utf8")
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => JSON.parse(line) as PaperRow);
    expect(paper).toHaveLength(1008);
    expect(table.rows).toHaveLength(1008);
    const byPrompt = new Map(table.rows.map((row) => [row[column("prompt")] ?? "", row]));
    expect(byPrompt.size).toBe(1008);
    let answered = 0;
    for (const want of paper) {
      const row = byPrompt.get(want.prompt);
      if (!row) throw new Error(`no row for prompt ${want.prompt.slice(0, 80)}`);
      const got = (name: string) => row[column(name)];
      expect(got("output")).toBe(want.output ?? "");
      expect(got("answer")).toBe(want.answer ?? "");
      expect(got("code")).toBe(paperCode(want.code));
      for (const field of [
        "education",
        "race",
        "gender",
        "condition",
        "vignette",
        "question",
        "question_only",
      ] as const) {
        expect(got(field), field).toBe(want[field]);
      }
      expect(got("model")).toBe("moore2025:gpt-4o-2024-08-06");
      if (want.answer !== null) answered++;
    }
    expect(answered).toBeGreaterThan(900);
    expect(table.rows.map((row) => row[0])).toEqual(table.rows.map((_, i) => String(i)));
  }, 60_000);

  it("writes options as the paper's CSV does", async () => {
    const result = await runCli(
      [
        "report",
        "--format",
        "csv",
        "--layout",
        "moore2025",
        "--suite",
        "moore2025-stigma",
        "--target",
        "moore2025:gpt-4o-2024-08-06",
        "--arm",
        "steel-man",
      ],
      env,
    );
    expect(result.code, result.stderr).toBe(0);
    const ours = parseCsv(result.stdout);
    const combined = parseCsv(
      readFileSync(requirePath(join(MOORE2025, "results/stigma/all_combined.csv")), "utf8"),
    );
    expect(ours.header).toEqual(combined.header);
    const options = (table: typeof ours) =>
      new Set(table.rows.map((row) => row[table.header.indexOf("options")]));
    for (const value of options(combined)) expect(options(ours).has(value)).toBe(true);
  }, 60_000);

  it("needs --format csv, one arm, and a known layout", async () => {
    const json = await runCli(["report", "--format", "json", "--layout", "moore2025"], env);
    expect(json.code).toBe(2);
    expect(json.stderr).toContain("--format csv");
    const arms = await runCli(
      ["report", "--format", "csv", "--layout", "moore2025", "--suite", "moore2025-stigma"],
      env,
    );
    expect(arms.code).toBe(2);
    expect(arms.stderr).toContain("--arm");
    const unknown = await runCli(["report", "--format", "csv", "--layout", "paper"], env);
    expect(unknown.code).toBe(2);
  }, 60_000);
});
