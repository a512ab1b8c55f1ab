/**
 * In-place upgrades of older databases, one version at a time, each in one transaction.
 * Version 1 (careprobe 0.1.0) kept placements inside item ids (`stimulus@transcript:pos`),
 * step kinds inside step names (`judge:<check>:<judge>`) and roles inside the run's config;
 * version 2 stores each as columns, and stores requests' warnings.
 */
import type Database from "better-sqlite3";
import type { StoredRoles } from "../core/run-record.js";
import { parsePlacementId, parseStepName } from "./names.js";
import { readJson, runConfigSchema } from "./records.js";

type Upgrade = (db: Database.Database) => void;

const COLUMNS_V2 = [
  "ALTER TABLE runs ADD COLUMN kind TEXT NOT NULL DEFAULT ''",
  "ALTER TABLE runs ADD COLUMN roles TEXT NOT NULL DEFAULT '{}'",
  "ALTER TABLE requests ADD COLUMN warnings TEXT",
  "ALTER TABLE run_items ADD COLUMN stimulus_id TEXT",
  "ALTER TABLE run_items ADD COLUMN transcript TEXT",
  "ALTER TABLE run_items ADD COLUMN transcript_position INTEGER NOT NULL DEFAULT 0",
  "ALTER TABLE run_steps ADD COLUMN role TEXT NOT NULL DEFAULT ''",
  "ALTER TABLE run_steps ADD COLUMN turn INTEGER",
  "ALTER TABLE run_steps ADD COLUMN check_index INTEGER",
  "ALTER TABLE run_steps ADD COLUMN judge_index INTEGER",
];

function toVersion2(db: Database.Database): void {
  for (const sql of COLUMNS_V2) db.exec(sql);
  db.exec("UPDATE runs SET kind = (SELECT kind FROM suites WHERE suites.hash = runs.suite_hash)");
  const runs = db
    .prepare("SELECT id, target, target_identity AS identity, kind, config FROM runs")
    .all() as Array<{ id: string; target: string; identity: string; kind: string; config: string }>;
  const setRoles = db.prepare("UPDATE runs SET roles = ? WHERE id = ?");
  for (const run of runs) {
    const config = readJson(runConfigSchema, run.config, `the config of run ${run.id}`);
    const roles: StoredRoles = {
      target: { spec: run.target, identity: run.identity },
      judges: config.judges ?? [],
      ...(config.contextualizer ? { contextualizer: config.contextualizer } : {}),
    };
    setRoles.run(JSON.stringify(roles), run.id);
  }
  const items = db
    .prepare(
      `SELECT ri.run_id AS runId, ri.item_id AS itemId, r.kind AS kind FROM run_items ri
       JOIN runs r ON r.id = ri.run_id GROUP BY ri.run_id, ri.item_id`,
    )
    .all() as Array<{ runId: string; itemId: string; kind: string }>;
  const setPlacement = db.prepare(
    `UPDATE run_items SET stimulus_id = ?, transcript = ?, transcript_position = ?
     WHERE run_id = ? AND item_id = ?`,
  );
  for (const item of items) {
    // Only responses runs placed stimuli in transcripts; other ids may contain '@'.
    const where =
      item.kind === "responses"
        ? parsePlacementId(item.itemId)
        : { stimulus: item.itemId, transcript: null, position: 0 };
    setPlacement.run(where.stimulus, where.transcript, where.position, item.runId, item.itemId);
  }
  const steps = db.prepare("SELECT DISTINCT step FROM run_steps").pluck().all() as string[];
  const setStep = db.prepare(
    "UPDATE run_steps SET role = ?, turn = ?, check_index = ?, judge_index = ? WHERE step = ?",
  );
  for (const name of steps) {
    const ref = parseStepName(name);
    setStep.run(ref.role, ref.turn ?? null, ref.check ?? null, ref.judge ?? null, name);
  }
}

/** UPGRADES[n] takes a database from version n to n + 1. */
const UPGRADES: Record<number, Upgrade> = { 1: toVersion2 };

/** Upgrades `db` from `from` to `to`, all or nothing. */
export function upgrade(db: Database.Database, from: number, to: number): void {
  db.transaction(() => {
    for (let version = from; version < to; version++) {
      const step = UPGRADES[version];
      if (!step) throw new Error(`no upgrade from schema ${version}`);
      step(db);
    }
    db.prepare("UPDATE meta SET value = ? WHERE key = 'schema_version'").run(String(to));
  })();
}
