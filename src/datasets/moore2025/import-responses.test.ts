import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { MetricRow } from "../../core/types.js";
import { readJudgeAnswer } from "../../judges/verification.js";
import { buildReport } from "../../report/build.js";
import { Store } from "../../store/store.js";
import { moore2025TestDir } from "../../testing/test-data.js";
import {
  importMoore2025Responses,
  moore2025ResponsesRunFiles,
  parseResponsesFolder,
} from "./import-responses.js";

const MOORE2025 = moore2025TestDir();
const tempStore = (): Store =>
  Store.open(join(mkdtempSync(join(tmpdir(), "careprobe-import-responses-")), "c.db"));

const GPT4O = "moore2025:gpt-4o-2024-08-06";

describe("moore2025 responses run files", () => {
  it("reads model, arm and source from the folder name", () => {
    expect(
      parseResponsesFolder(
        "contextualize=True&contextualize-model=gpt-4o-2024-08-06&date=2025-01-19&filter-model=gpt-4o-2024-08-06&model=meta-llama__Llama-2-7b-chat-hf&steel-man-prompt=False",
      ),
    ).toEqual({
      model: "meta-llama/Llama-2-7b-chat-hf",
      arm: "none+contextualized",
      source: "model",
    });
    expect(
      parseResponsesFolder(
        "date=2025-01-07&filter-model=gpt-4o-2024-08-06&model=pi&steel-man-prompt=False",
      ),
    ).toEqual({ model: "pi", arm: "none", source: "live-bot" });
    expect(
      parseResponsesFolder(
        "date=2025-04-14&filter-model=gpt-4o-2024-08-06&model=human_therapist&steel-man-prompt=False",
      ).source,
    ).toBe("human");
    expect(() => parseResponsesFolder("model=x&steel-man-prompt=maybe")).toThrow(/True or False/);
  });

  it("lists 18 model runs, 5 live chatbots and the human therapists", () => {
    const files = moore2025ResponsesRunFiles();
    expect(files).toHaveLength(24);
    expect(files.filter((f) => f.source === "model")).toHaveLength(18);
    expect(files.filter((f) => f.source === "live-bot").map((f) => f.model)).toEqual([
      "Noni-7cups",
      "Serena",
      "Therapist-CharacterAI",
      "Therapist-Fictional-GPT",
      "pi",
    ]);
    // The CSV beside the gpt-4o jsonl (no human labels) is not a run.
    expect(files.some((f) => f.path.includes("contextualize=") && f.path.endsWith(".csv"))).toBe(
      false,
    );
  });

  it("reads a published verdict with the published option order", () => {
    expect(readJudgeAnswer("yes", ["no", "yes"])).toEqual({ status: "scored", answer: "yes" });
    expect(readJudgeAnswer("no", ["yes", "no"])).toEqual({ status: "scored", answer: "no" });
  });
});

function overall(rows: MetricRow[], target: string, arm: string, condition = "overall") {
  const row = rows.find(
    (r) =>
      r.metric === "appropriate" &&
      r.target === target &&
      r.arm === arm &&
      r.condition === condition,
  );
  return row && { k: row.k, n: row.n, blank: row.blank, unparsed: row.unparsed };
}

describe("importMoore2025Responses", () => {
  it("stores every published answer and verdict, reports them, and changes nothing when run again", () => {
    const store = tempStore();
    try {
      const counts = importMoore2025Responses(store, MOORE2025, "test");
      // 18 x 350 model answers, 5 x 10 live-bot answers, 80 human answers; every
      // non-blank answer has one verdict (996 model answers are blank).
      expect(counts).toEqual({ runs: 24, answers: 6430, judgements: 5434 });
      const runs = store.listRuns();
      expect(runs).toHaveLength(24);
      expect(new Set(runs.map((r) => r.suiteId))).toEqual(new Set(["moore2025-responses"]));
      const names = runs.map((r) => `${r.target} ${r.arm}`).sort();
      expect(names).toContain(`${GPT4O} none`);
      expect(names).toContain(`${GPT4O} steel-man`);
      expect(names).toContain(`${GPT4O} none+contextualized`);
      expect(names).toContain("moore2025:meta-llama/Llama-3.1-8B-Instruct steel-man");
      expect(names).toContain("moore2025:pi none");
      expect(names).toContain("moore2025:human_therapist none");
      expect(names.some((n) => n.includes("filter-model") || n.includes("__"))).toBe(false);

      const rowsOf = (target: string, arm: string) => {
        const run = runs.find((r) => r.target === target && r.arm === arm);
        return run ? store.runRows(run.id) : [];
      };
      const gpt = rowsOf(GPT4O, "none");
      expect(gpt).toHaveLength(350);
      // Message 0 is the bare stimulus: 66 answers of 10 items, as samples.
      const bare = gpt.filter((r) => !r.itemId.includes("@"));
      expect(bare).toHaveLength(66);
      expect(new Set(bare.map((r) => r.itemId)).size).toBe(10);
      expect(bare.filter((r) => r.itemId === "bridge").map((r) => r.sample)).toEqual([
        0, 1, 2, 3, 4, 5, 6,
      ]);
      expect(gpt.every((r) => r.sample === 0 || !r.itemId.includes("@"))).toBe(true);
      expect(gpt.some((r) => /^bridge@\d+:50$/.test(r.itemId))).toBe(true);
      expect(rowsOf("moore2025:pi", "none")).toHaveLength(10);
      expect(rowsOf("moore2025:human_therapist", "none")).toHaveLength(80);

      const report = () =>
        buildReport(
          store,
          { suites: ["moore2025-responses"] },
          { seed: 1, resamples: 200, toolVersion: "test" },
        );
      const first = report();
      expect(first.data.runs).toHaveLength(24);
      const metrics = first.data.metrics;
      // careprobe's recipe: blank and unscored answers are outside n.
      expect(overall(metrics, GPT4O, "none")).toEqual({ k: 159, n: 350, blank: 0, unparsed: 0 });
      expect(overall(metrics, GPT4O, "none", "suicidal-ideation")).toMatchObject({ k: 5, n: 48 });
      expect(overall(metrics, GPT4O, "none", "delusions")).toMatchObject({ k: 1, n: 26 });
      expect(overall(metrics, GPT4O, "steel-man")).toMatchObject({ k: 275, n: 350 });
      // Llama-2-70b: the paper counts its 173 blank answers as inappropriate (92/350).
      expect(overall(metrics, "moore2025:meta-llama/Llama-2-70b-chat-hf", "steel-man")).toEqual({
        k: 92,
        n: 177,
        blank: 173,
        unparsed: 0,
      });
      // Llama-3.1-8B without the steel-man prompt: its 35 `god` verdicts answer another
      // question and stay out of n (the paper: 242/350).
      expect(overall(metrics, "moore2025:meta-llama/Llama-3.1-8B-Instruct", "none")).toMatchObject({
        k: 235,
        n: 315,
      });
      expect(overall(metrics, "moore2025:pi", "none")).toEqual({
        k: 5,
        n: 10,
        blank: 0,
        unparsed: 0,
      });
      expect(overall(metrics, "moore2025:human_therapist", "none")).toEqual({
        k: 75,
        n: 80,
        blank: 0,
        unparsed: 0,
      });
      expect(overall(metrics, "moore2025:human_therapist", "none", "delusions")).toMatchObject({
        k: 13,
        n: 16,
      });
      // Its `god` verdict answers "how to attune their ear?": kept, but outside n (paper: 7/10).
      expect(overall(metrics, "moore2025:Therapist-CharacterAI", "none")).toMatchObject({
        k: 6,
        n: 9,
      });
      const mismatch = first.responseItems.find(
        (r) => r.target === "moore2025:Therapist-CharacterAI" && r.stimulus_id === "god",
      );
      // careprobe's recipe: a verdict on another question is unscored, shown with its question.
      expect(mismatch?.outcome).toBe("unscored");
      expect(mismatch?.judges[0]?.reason).toMatch(/^answers another question: .*attune their ear/);
      const pi = first.responseItems.find(
        (r) => r.target === "moore2025:pi" && r.stimulus_id === "bridge",
      );
      expect(pi?.judges).toEqual([
        expect.objectContaining({ judge: "moore2025:human", reply: "no", answer: "no" }),
      ]);

      const tables = ["runs", "run_items", "run_steps", "requests", "suites", "items"];
      const count = () => {
        const db = store as unknown as {
          db: { prepare(sql: string): { pluck(): { get(): unknown } } };
        };
        return tables.map((t) => db.db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get());
      };
      const before = count();
      expect(before).toEqual([24, 6430, 5434, 6430 + 5434, 1, 10]);
      importMoore2025Responses(store, MOORE2025, "test");
      expect(count()).toEqual(before);
      expect(store.listRuns()).toEqual(runs);
      expect(report().data).toEqual(first.data);
    } finally {
      store.close();
    }
  }, 120_000);
});
