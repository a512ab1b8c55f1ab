/** The store and its one run writer, on their own: ids, typed columns, validation, resume. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { isCareprobeError } from "../core/errors.js";
import type { ChoiceSuite } from "../core/types.js";
import { parsePlacementId, parseStepName, placementId, stepName } from "./names.js";
import { deriveRunId, type NewRun, RunWriter } from "./run-writer.js";
import { type RequestResult, Store } from "./store.js";

const SUITE: ChoiceSuite = {
  id: "tiny",
  kind: "multiple-choice",
  version: "1",
  description: "",
  hash: "hash-tiny",
  source: "test",
  params: { temperature: 0, maxTokens: 8 },
  conditions: [{ id: "depression", label: "Depression", control: false }],
  instruction: "Answer with a letter.",
  fewShot: [],
  items: ["a", "b"].map((id) => ({
    id,
    condition: "depression",
    questionId: "q",
    question: "How likely?",
    attributes: {},
    prompt: `prompt ${id}`,
    options: ["Not likely", "Likely"],
    stigmaOptions: ["Likely"],
  })),
};

const RUN: NewRun = {
  suite: SUITE,
  roles: {
    target: { spec: "openai:m", identity: "" },
    judges: [{ spec: "openai:judge", identity: "v1" }],
    client: { spec: "openai:client", identity: "" },
  },
  arm: "none",
  armPrompt: null,
  samples: 1,
  identity: { temperature: null },
  config: { defaultJudge: false, seed: 3 },
  toolVersion: "test",
};

const dbPath = () => join(mkdtempSync(join(tmpdir(), "careprobe-store-")), "c.db");

function result(key: string, text: string, warnings?: string[]): RequestResult {
  return {
    key,
    target: "openai:m",
    sample: 0,
    body: "{}",
    status: "ok",
    text,
    promptTokens: 3,
    completionTokens: 1,
    finishReason: "stop",
    model: "m",
    latencyMs: 5,
    attempts: 1,
    errorCode: null,
    errorMessage: null,
    ...(warnings ? { warnings } : {}),
  };
}

describe("the run writer", () => {
  it("derives one id from what the run measures, not from how much of it was done", () => {
    const id = deriveRunId(RUN);
    expect(id).toMatch(/^[0-9a-f]{24}$/);
    expect(deriveRunId({ ...RUN, config: { other: true }, toolVersion: "9" })).toBe(id);
    expect(deriveRunId({ ...RUN, samples: 2 })).not.toBe(id);
    expect(deriveRunId({ ...RUN, arm: "steel-man" })).not.toBe(id);
    expect(deriveRunId({ ...RUN, identity: { temperature: 0.7 } })).not.toBe(id);
    const other = { ...RUN.roles, target: { spec: "openai:m", identity: "sha256:x" } };
    expect(deriveRunId({ ...RUN, roles: other })).not.toBe(id);
  });

  it("writes typed roles, placements and steps that read back as written", () => {
    const store = Store.open(dbPath());
    try {
      const writer = new RunWriter(store);
      const id = writer.begin(RUN);
      const where = { stimulus: "a", transcript: "t1", position: 50 };
      writer.item(id, { itemId: placementId(where), sample: 0, requestKey: "k1", where });
      writer.item(id, { itemId: "b", sample: 0, requestKey: "k2" });
      writer.step(id, {
        itemId: "b",
        sample: 0,
        step: { role: "judge", check: 1, judge: 0, turn: 2 },
        requestKey: "k3",
        meta: { order: ["yes", "no"] },
      });
      expect(store.runRows(id)).toEqual([]); // buffered until flush
      writer.flush();
      store.saveResults([result("k1", "A", ["temperature 1 dropped"]), result("k2", "B")]);

      const [run] = store.listRuns();
      expect(run?.id).toBe(id);
      expect(run?.kind).toBe("multiple-choice");
      expect(run?.roles).toEqual(RUN.roles);
      expect(run?.config).toMatchObject({ defaultJudge: false, seed: 3 });
      const rows = store.runRows(id);
      expect(rows.map((r) => [r.itemId, r.stimulusId, r.transcript, r.position])).toEqual([
        ["a@t1:50", "a", "t1", 50],
        ["b", "b", null, 0],
      ]);
      expect(rows[0]?.warnings).toEqual(["temperature 1 dropped"]);
      expect(rows[1]?.warnings).toEqual([]);
      const [step] = store.runSteps(id);
      expect(step?.step).toEqual({ role: "judge", check: 1, judge: 0, turn: 2 });
      expect(step?.meta).toEqual({ order: ["yes", "no"] });
    } finally {
      store.close();
    }
  });

  it("continues the same run when begun again, without duplicating items", () => {
    const path = dbPath();
    const first = Store.open(path);
    const writer = new RunWriter(first);
    const id = writer.begin(RUN);
    writer.item(id, { itemId: "a", sample: 0, requestKey: "k1" });
    writer.flush();
    first.close();
    const again = Store.open(path);
    try {
      const second = new RunWriter(again);
      expect(second.begin(RUN)).toBe(id);
      second.item(id, { itemId: "a", sample: 0, requestKey: "k1" });
      second.item(id, { itemId: "b", sample: 0, requestKey: "k2" });
      second.flush();
      expect(again.listRuns()).toHaveLength(1);
      expect(again.runRows(id).map((r) => r.itemId)).toEqual(["a", "b"]);
    } finally {
      again.close();
    }
  });
});

describe("stored names", () => {
  it("round-trip step names and placement ids", () => {
    for (const step of [
      { role: "target" as const },
      { role: "contextualizer" as const },
      { role: "client" as const, turn: 3 },
      { role: "judge" as const, check: 2, judge: 1 },
      { role: "judge" as const, check: 0, judge: 0, turn: 4 },
      { role: "capture" as const },
    ]) {
      expect(parseStepName(stepName(step))).toEqual(step);
    }
    const where = { stimulus: "suicide-bridge", transcript: "session:7", position: 100 };
    expect(parsePlacementId(placementId(where))).toEqual(where);
    expect(parsePlacementId("alone")).toEqual({ stimulus: "alone", transcript: null, position: 0 });
  });
});

describe("reading a damaged database", () => {
  it("names the run and the field instead of casting what it read", () => {
    const path = dbPath();
    const store = Store.open(path);
    new RunWriter(store).begin(RUN);
    store.close();
    const raw = new Database(path);
    raw.prepare("UPDATE runs SET roles = ?").run(JSON.stringify({ target: "not a model" }));
    raw.close();
    const reopened = Store.open(path);
    try {
      let error: unknown;
      try {
        reopened.listRuns();
      } catch (caught) {
        error = caught;
      }
      expect(isCareprobeError(error) && error.code).toBe("STORE");
      expect((error as Error).message).toMatch(/damaged: the roles of run [0-9a-f]{24}/);
    } finally {
      reopened.close();
    }
  });

  it("refuses a database of a newer careprobe", () => {
    const path = dbPath();
    Store.open(path).close();
    const raw = new Database(path);
    raw.prepare("UPDATE meta SET value = '99' WHERE key = 'schema_version'").run();
    raw.close();
    expect(() => Store.open(path)).toThrow(/newer careprobe \(schema 99\)/);
  });
});
