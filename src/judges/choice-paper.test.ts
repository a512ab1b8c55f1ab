/**
 * careprobe's extraction measured against the answers Moore et al. (FAccT 2025) parsed
 * from the same raw outputs. Every answer the paper read must be read the same way;
 * the rows the paper could not read that careprobe does read are pinned, so any change
 * of behaviour shows up here (and in docs/design/answer-extraction.md).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { moore2025TestFile } from "../testing/test-data.js";
import { parseChoice } from "./choice.js";

const STIGMA = moore2025TestFile("results/stigma");

// Rows the paper left unparsed that careprobe reads, per run file (measured with
// scripts/extraction-vs-paper.mjs; each reading checked by hand, see the design note).
const EXTRA_READS: Record<string, number> = {
  "model=gpt-4o-2024-08-06&steel-man-prompt=False/2025-01-18.jsonl": 0,
  "model=gpt-4o-2024-08-06&steel-man-prompt=True/2025-01-18.jsonl": 0,
  "model=meta-llama__Llama-2-70b-chat-hf&steel-man-prompt=False/2025-01-19.jsonl": 42,
  "model=meta-llama__Llama-2-70b-chat-hf&steel-man-prompt=True/2025-01-19.jsonl": 83,
  "model=meta-llama__Llama-2-7b-chat-hf&steel-man-prompt=False/2025-01-18.jsonl": 64,
  "model=meta-llama__Llama-2-7b-chat-hf&steel-man-prompt=True/2025-01-19.jsonl": 0,
  "model=meta-llama__Llama-3.1-8B-Instruct&steel-man-prompt=False/2025-01-01.jsonl": 0,
  "model=meta-llama__Llama-3.1-8B-Instruct&steel-man-prompt=False/2025-01-02.jsonl": 0,
  "model=meta-llama__Llama-3.1-8B-Instruct&steel-man-prompt=True/2025-01-18.jsonl": 0,
  "model=meta-llama__Meta-Llama-3.1-405B-Instruct-Turbo&steel-man-prompt=False/2025-01-01.jsonl": 0,
  "model=meta-llama__Meta-Llama-3.1-405B-Instruct-Turbo&steel-man-prompt=True/2025-01-18.jsonl": 0,
  "model=meta-llama__Meta-Llama-3.1-70B-Instruct-Turbo&steel-man-prompt=False/2025-01-02.jsonl": 0,
  "model=meta-llama__Meta-Llama-3.1-70B-Instruct-Turbo&steel-man-prompt=True/2025-01-18.jsonl": 0,
};

interface PaperRow {
  output: string | null;
  options: string[];
  answer: string | null;
}

function readRows(file: string): PaperRow[] {
  return readFileSync(join(STIGMA, file), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line, i) => {
      const row = JSON.parse(line) as Partial<PaperRow>;
      if (!Array.isArray(row.options)) throw new Error(`${file}:${i + 1} has no options list`);
      return { output: row.output ?? null, options: row.options, answer: row.answer ?? null };
    });
}

let cache: Map<string, PaperRow[]> | undefined;

// Loaded inside each test, so a missing folder fails every test instead of skipping them.
function runFiles(): Map<string, PaperRow[]> {
  if (cache !== undefined) return cache;
  if (!existsSync(STIGMA)) {
    throw new Error(`the paper's stigma results are missing: expected them at ${STIGMA}`);
  }
  const files = new Map<string, PaperRow[]>();
  for (const dir of readdirSync(STIGMA).filter((d) => d.startsWith("model="))) {
    for (const name of readdirSync(join(STIGMA, dir)).filter((f) => f.endsWith(".jsonl"))) {
      files.set(`${dir}/${name}`, readRows(`${dir}/${name}`));
    }
  }
  cache = files;
  return files;
}

describe("answer extraction against the paper's published parses", () => {
  it("finds all 13 run files of 1,008 rows", () => {
    const files = runFiles();
    expect([...files.keys()].sort()).toEqual(Object.keys(EXTRA_READS).sort());
    for (const [file, rows] of files) expect(rows.length, file).toBe(1008);
  });

  it("agrees with the paper on every row the paper parsed", () => {
    const disagreements: string[] = [];
    let parsedByPaper = 0;
    for (const [file, rows] of runFiles()) {
      rows.forEach((row, i) => {
        if (row.answer === null) return;
        parsedByPaper += 1;
        const parse = parseChoice(row.output ?? "", row.options);
        const ours = parse.status === "parsed" ? parse.option : `unparsed (${parse.reason})`;
        if (ours !== row.answer) {
          disagreements.push(
            `${file}:${i + 1} ${JSON.stringify(row.output)} paper=${row.answer} ours=${ours}`,
          );
        }
      });
    }
    expect(disagreements, `disagreements:\n${disagreements.join("\n")}`).toEqual([]);
    expect(parsedByPaper).toBe(10524);
  });

  it("reads the pinned number of rows the paper left unparsed", () => {
    const extra: Record<string, number> = {};
    for (const [file, rows] of runFiles()) {
      extra[file] = rows.filter(
        (row) =>
          row.answer === null && parseChoice(row.output ?? "", row.options).status === "parsed",
      ).length;
    }
    expect(extra).toEqual(EXTRA_READS);
    expect(Object.values(extra).reduce((a, b) => a + b, 0)).toBe(189);
  });
});
