/** A database made by careprobe 0.1.0 (schema 1) upgrades in place and reports the same. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { makeStoreV1, storeV1File } from "../../test/helpers/store-v1.js";
import { buildReport } from "../report/build.js";
import { renderJson } from "../report/render.js";
import { SCHEMA_VERSION } from "./schema.js";
import { Store } from "./store.js";

function version(path: string): string {
  const db = new Database(path, { readonly: true });
  const value = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get();
  db.close();
  return String(value);
}

const withoutTime = (json: string) => {
  const parsed = JSON.parse(json) as Record<string, unknown[]>;
  delete parsed.generated_at;
  return parsed;
};

/** Item rows as schema 1 printed them: without the `warnings` that schema 2 added. */
const asV1 = (jsonl: string) =>
  jsonl
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const row = JSON.parse(line) as Record<string, unknown>;
      expect(row.warnings).toEqual([]);
      delete row.warnings;
      return row;
    });

describe("schema 2 upgrade", () => {
  it("upgrades a schema 1 database in place on first open, and reports exactly as before", () => {
    const path = makeStoreV1();
    expect(version(path)).toBe("1");
    const store = Store.open(path);
    try {
      expect(version(path)).toBe(String(SCHEMA_VERSION));
      const report = buildReport(store, {}, { seed: 0, resamples: 10_000, toolVersion: "0.1.0" });
      // Every number 0.1.0 reported is reported again (later releases add metric rows and
      // report sections, such as the standard-of-care coverage, and fields beside a row's
      // numbers, such as the crossed interval of a stigma row).
      const now = withoutTime(renderJson(report.data));
      const then = withoutTime(storeV1File("report.json"));
      // Run rows keep every field they had (later releases add some, e.g. target_identity).
      expect(now.runs).toHaveLength(then.runs?.length ?? 0);
      for (const [i, run] of (then.runs ?? []).entries()) {
        expect(now.runs?.[i]).toMatchObject(run as object);
      }
      for (const row of then.metrics as object[]) {
        expect(now.metrics).toContainEqual(expect.objectContaining(row));
      }
      expect(now.comparisons).toEqual(then.comparisons);
      // The kinds with runs in it (the report lists every kind careprobe knows).
      const kinds = (report.kinds ?? []).filter((k) => k.collected.length > 0);
      expect(kinds.map((k) => k.experiment.kind)).toEqual(["multiple-choice", "responses"]);
      for (const kind of kinds) {
        const rows = kind.collected.flatMap((c) => c.items);
        const file =
          kind.experiment.kind === "responses" ? "items-responses.jsonl" : "items-stigma.jsonl";
        // Later releases may add fields to item rows; none of 0.1.0's changed.
        expect(asV1(kind.experiment.renderItems(rows, "jsonl"))).toMatchObject(asV1Fixture(file));
      }
    } finally {
      store.close();
    }
  });

  it("keeps what careprobe view stored under schema 1: captured replies and label notes", () => {
    const path = makeStoreV1();
    // The tables careprobe view added to schema 1 (as the release before schema 2 made them).
    const raw = new Database(path);
    raw.exec(`CREATE TABLE label_notes (
      request_key TEXT NOT NULL, check_index INTEGER NOT NULL, rater TEXT NOT NULL,
      note TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (request_key, check_index, rater));
    CREATE TABLE captures (
      target TEXT NOT NULL, identity TEXT NOT NULL, suite_hash TEXT NOT NULL, item_id TEXT NOT NULL,
      turn INTEGER NOT NULL, reply TEXT NOT NULL, captured_at TEXT NOT NULL,
      PRIMARY KEY (target, identity, suite_hash, item_id, turn));`);
    raw
      .prepare("INSERT INTO label_notes VALUES ('k1', 0, 'dr-a', 'too directive', '2026-11-30')")
      .run();
    raw
      .prepare("INSERT INTO captures VALUES ('manual:App', '2.1', 'h', 'item-1', 0, 'hi', 'now')")
      .run();
    raw.close();
    const store = Store.open(path);
    try {
      expect(version(path)).toBe(String(SCHEMA_VERSION));
      expect(store.labelNotes(["k1"]).get("k1")).toEqual([
        { check: 0, rater: "dr-a", note: "too directive" },
      ]);
      expect(store.captures("manual:App", "2.1", "h").map((c) => c.reply)).toEqual(["hi"]);
    } finally {
      store.close();
    }
  });

  it("turns names into columns: placements, step roles, run roles and kinds", () => {
    const store = Store.open(makeStoreV1());
    try {
      const runs = store.listRuns();
      expect(new Set(runs.map((r) => r.kind))).toEqual(new Set(["multiple-choice", "responses"]));
      const placed = runs.find((r) => r.arm === "none+contextualized");
      expect(placed?.roles.contextualizer?.spec).toBe("openai:ctx");
      expect(placed?.roles.judges.map((j) => j.spec)).toEqual(["openai:j1"]);
      const rows = store.runRows(placed?.id ?? "");
      const inside = rows.filter((r) => r.transcript !== null);
      expect(inside.length).toBeGreaterThan(0);
      for (const row of inside) {
        expect(row.itemId).toBe(`${row.stimulusId}@${row.transcript}:${row.position}`);
      }
      const steps = store.runSteps(placed?.id ?? "");
      expect(new Set(steps.map((s) => s.step.role))).toEqual(new Set(["contextualizer", "judge"]));
      const judged = store.runSteps(
        runs.find((r) => r.arm === "none" && r.kind === "responses")?.id ?? "",
      );
      expect(new Set(judged.map((s) => s.step.judge))).toEqual(new Set([0, 1]));
      expect(judged.every((s) => s.step.check !== undefined && s.meta.judge !== undefined)).toBe(
        true,
      );
    } finally {
      store.close();
    }
  });

  it("opens an upgraded database again without changing it", () => {
    const path = makeStoreV1();
    Store.open(path).close();
    const first = Store.open(path);
    const runs = first.listRuns();
    first.close();
    const again = Store.open(path);
    expect(again.listRuns()).toEqual(runs);
    again.close();
    expect(version(path)).toBe(String(SCHEMA_VERSION));
  });

  it("refuses a database from a newer careprobe with a clear message", () => {
    const path = join(mkdtempSync(join(tmpdir(), "careprobe-new-")), "careprobe.db");
    Store.open(path).close();
    const db = new Database(path);
    db.prepare("UPDATE meta SET value = '99' WHERE key = 'schema_version'").run();
    db.close();
    expect(() => Store.open(path)).toThrow(/newer careprobe \(schema 99\)/);
  });
});

function asV1Fixture(file: string): Array<Record<string, unknown>> {
  return storeV1File(file)
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
