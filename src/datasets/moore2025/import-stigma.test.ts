import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Store } from "../../store/store.js";
import { moore2025TestDir } from "../../testing/test-data.js";
import { importMoore2025Stigma, moore2025StigmaRunFiles, parseRunFolder } from "./import-stigma.js";

const MOORE2025 = moore2025TestDir();
const tempStore = (): Store =>
  Store.open(join(mkdtempSync(join(tmpdir(), "careprobe-import-")), "c.db"));

describe("moore2025 stigma run files", () => {
  it("reads model and arm from the folder name", () => {
    expect(parseRunFolder("model=meta-llama__Llama-3.1-8B-Instruct&steel-man-prompt=True")).toEqual(
      { model: "meta-llama/Llama-3.1-8B-Instruct", arm: "steel-man" },
    );
    expect(parseRunFolder("model=gpt-4o-2024-08-06&steel-man-prompt=False").arm).toBe("none");
    expect(() => parseRunFolder("model=x&steel-man-prompt=maybe")).toThrow(/True or False/);
  });

  it("imports the latest dated file of each of the 12 folders", () => {
    const files = moore2025StigmaRunFiles();
    expect(files).toHaveLength(12);
    const skipped = files.flatMap((f) => f.skipped);
    expect(skipped).toEqual([
      "results/stigma/model=meta-llama__Llama-3.1-8B-Instruct&steel-man-prompt=False/2025-01-01.jsonl",
    ]);
  });
});

describe("importMoore2025Stigma", () => {
  it("stores one run of 1,008 answers per file, and nothing more when run again", () => {
    const store = tempStore();
    try {
      expect(importMoore2025Stigma(store, MOORE2025, "test")).toEqual({ runs: 12, answers: 12096 });
      const runs = store.listRuns();
      const rows = runs.flatMap((run) => store.runRows(run.id));
      expect(runs).toHaveLength(12);
      expect(rows).toHaveLength(12096);
      expect(rows.every((row) => row.status === "ok" && typeof row.text === "string")).toBe(true);
      const gpt = runs.find((r) => r.target === "moore2025:gpt-4o-2024-08-06" && r.arm === "none");
      expect(gpt?.samples).toBe(1);
      expect(gpt?.config).toEqual({
        imported: "moore2025",
        file: "results/stigma/model=gpt-4o-2024-08-06&steel-man-prompt=False/2025-01-18.jsonl",
        // What the run id was derived from besides suite, target, arm and samples.
        identity: { source: "moore2025-import" },
      });
      importMoore2025Stigma(store, MOORE2025, "test");
      expect(store.listRuns()).toEqual(runs);
      expect(store.listRuns().flatMap((run) => store.runRows(run.id))).toEqual(rows);
    } finally {
      store.close();
    }
  }, 60_000);

  it("names the file and line of an answer whose prompt matches no item", () => {
    const dir = mkdtempSync(join(tmpdir(), "careprobe-moore-"));
    symlinkSync(join(MOORE2025, "data"), join(dir, "data"));
    const folder = join(dir, "results", "stigma", "model=gpt-4o-2024-08-06&steel-man-prompt=False");
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, "2025-01-18.jsonl"), '{"prompt":"nope","output":"A"}\n');
    const store = tempStore();
    try {
      expect(() => importMoore2025Stigma(store, dir, "test")).toThrow(
        /2025-01-18\.jsonl:1: the prompt matches no item/,
      );
    } finally {
      store.close();
    }
  });
});
