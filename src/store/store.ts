/**
 * The only code that writes SQL. Every finished request is committed on its own, so a
 * crash or kill -9 loses at most the requests that were in flight.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import Database from "better-sqlite3";
import { CareprobeError } from "../core/errors.js";
import type { Placement, StepRef, StoredRoles } from "../core/run-record.js";
import type { ChatMessage, Suite } from "../core/types.js";
import { stepName } from "./names.js";
import {
  type RunConfig,
  readJson,
  readWarnings,
  rolesSchema,
  runConfigSchema,
  stepMetaSchema,
} from "./records.js";
import { SCHEMA_SQL, SCHEMA_VERSION } from "./schema.js";
import { upgrade } from "./upgrade.js";

/** A step of a run item as stored: which request fills it, and what reads it back. */
export interface StepRow {
  itemId: string;
  sample: number;
  step: StepRef;
  requestKey: string;
  meta: Record<string, unknown>;
}

/** A stored outcome of a request. */
export interface StoredResult {
  status: "ok" | "error";
  text: string | null;
  error: string | null;
  warnings: string[];
}

/** A stored run, as read back (config and roles validated). */
export interface RunRecord {
  id: string;
  suiteHash: string;
  suiteId: string;
  /** The experiment kind (the suite's kind). */
  kind: string;
  target: string;
  targetIdentity: string;
  arm: string;
  armPrompt: string | null;
  samples: number;
  /** Settings beyond the columns (judges, transcripts, contextualizer, judge seed). */
  config: RunConfig;
  /** The models by role. */
  roles: StoredRoles;
  toolVersion: string;
  createdAt: string;
  updatedAt: string;
}

/** A run as written: config and roles as the JSON that is stored. */
export type RunRow = Omit<RunRecord, "config" | "roles"> & { config: string; roles: string };

export interface RequestResult {
  key: string;
  target: string;
  sample: number;
  body: string;
  status: "ok" | "error";
  text: string | null;
  promptTokens: number | null;
  completionTokens: number | null;
  finishReason: string | null;
  model: string | null;
  latencyMs: number | null;
  attempts: number;
  errorCode: string | null;
  errorMessage: string | null;
  /** What the target changed to send the request (a parameter dropped or clamped). */
  warnings?: string[];
}

/** One planned item of a run with whatever is known of its request. */
export interface RunItemRow {
  itemId: string;
  sample: number;
  requestKey: string;
  /** Where the item sits (a stimulus alone: transcript null, position 0). */
  stimulusId: string;
  transcript: string | null;
  position: number;
  warnings: string[];
  status: "ok" | "error" | null;
  text: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  latencyMs: number | null;
  promptTokens: number | null;
  completionTokens: number | null;
}

/** A reply typed or pasted by a person, one turn of an answer (see the captures table). */
export interface CaptureRow {
  target: string;
  identity: string;
  suiteHash: string;
  itemId: string;
  turn: number;
  reply: string;
  capturedAt: string;
}

export interface StoredSuite {
  suite: Suite;
  byId: Map<string, Suite["items"][number]>;
}

export class Store {
  /** Prepared once: preparing per call cost more than the insert itself. */
  private readonly statements = new Map<string, Database.Statement>();
  /** Suites by hash: immutable, so a suite saved or loaded once is not parsed again. */
  private readonly suites = new Map<string, StoredSuite>();

  private constructor(
    private readonly db: Database.Database,
    /** A private copy made to read a database in a folder careprobe may not write. */
    private readonly scratch?: string,
  ) {}

  private statement(sql: string): Database.Statement {
    let prepared = this.statements.get(sql);
    if (!prepared) {
      prepared = this.db.prepare(sql);
      this.statements.set(sql, prepared);
    }
    return prepared;
  }

  static open(path: string): Store {
    try {
      mkdirSync(dirname(path), { recursive: true });
      const db = new Database(path);
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
      db.pragma("busy_timeout = 5000");
      db.exec(SCHEMA_SQL);
      const row = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as
        | { value: string }
        | undefined;
      if (!row) {
        db.prepare("INSERT INTO meta (key, value) VALUES ('schema_version', ?)").run(
          String(SCHEMA_VERSION),
        );
      } else if (Number(row.value) > SCHEMA_VERSION) {
        throw new CareprobeError(
          "STORE",
          `${path} was written by a newer careprobe (schema ${row.value}); upgrade careprobe to read it.`,
        );
      } else if (Number(row.value) < SCHEMA_VERSION) {
        upgrade(db, Number(row.value), SCHEMA_VERSION);
      }
      return new Store(db);
    } catch (error) {
      if (error instanceof CareprobeError) throw error;
      throw new CareprobeError(
        "STORE",
        `Cannot open the database ${path}: ${(error as Error).message}`,
        {
          hint: "Check that the folder is writable, or pass another file with --db.",
          cause: error,
        },
      );
    }
  }

  /**
   * Opens a database only to read it: nothing is created, migrated or written, so a copy
   * in a read-only folder (a reviewer's) can be reported on. SQLite cannot open a WAL
   * database read-only where it may not create the `-shm` file; then careprobe reads a
   * private copy of the file (and its `-wal`, if any) in the temporary folder.
   */
  static openReadOnly(path: string): Store {
    let db: Database.Database | undefined;
    try {
      db = new Database(path, { readonly: true, fileMustExist: true });
      checkSchemaVersion(db, path);
      return new Store(db);
    } catch (error) {
      db?.close();
      if (error instanceof CareprobeError) throw error;
      if (!isReadOnlyFolder(error)) throw cannotOpen(path, error);
    }
    const scratch = mkdtempSync(join(tmpdir(), "careprobe-read-"));
    try {
      const copy = join(scratch, basename(path));
      copyFileSync(path, copy);
      if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${copy}-wal`);
      db = new Database(copy, { readonly: true, fileMustExist: true });
      checkSchemaVersion(db, path);
      return new Store(db, scratch);
    } catch (error) {
      db?.close();
      rmSync(scratch, { recursive: true, force: true });
      if (error instanceof CareprobeError) throw error;
      throw cannotOpen(path, error);
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
    if (this.scratch) rmSync(this.scratch, { recursive: true, force: true });
  }

  /** Stores the suite and its items once per content hash, so reports never need the file. */
  saveSuite(suite: Suite): void {
    this.suites.set(suite.hash, { suite, byId: indexItems(suite) });
    const insertSuite = this.statement(
      `INSERT OR IGNORE INTO suites (hash, id, kind, version, source, definition)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    const insertItem = this.statement(
      "INSERT OR IGNORE INTO items (suite_hash, item_id, position, data) VALUES (?, ?, ?, ?)",
    );
    this.db.transaction(() => {
      const { items, ...definition } = suite;
      const result = insertSuite.run(
        suite.hash,
        suite.id,
        suite.kind,
        suite.version,
        suite.source,
        JSON.stringify(definition),
      );
      if (result.changes === 0) return;
      items.forEach((item, position) => {
        insertItem.run(suite.hash, item.id, position, JSON.stringify(item));
      });
    })();
  }

  /** Writes a run's header (RunWriter calls this; it derives the id). */
  upsertRun(run: RunRow): void {
    this.statement(
      `INSERT INTO runs (id, suite_hash, suite_id, kind, target, target_identity, arm, arm_prompt, samples, config, roles, tool_version, created_at, updated_at)
         VALUES (@id, @suiteHash, @suiteId, @kind, @target, @targetIdentity, @arm, @armPrompt, @samples, @config, @roles, @toolVersion, @createdAt, @updatedAt)
         ON CONFLICT(id) DO UPDATE SET updated_at = excluded.updated_at, tool_version = excluded.tool_version`,
    ).run(run);
  }

  addRunItems(
    runId: string,
    rows: Array<{ itemId: string; sample: number; requestKey: string; where?: Placement }>,
  ): void {
    const insert = this.statement(
      `INSERT OR IGNORE INTO run_items (run_id, item_id, sample, request_key, stimulus_id, transcript, transcript_position)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.db.transaction(() => {
      for (const row of rows) {
        const where = row.where ?? { stimulus: row.itemId, transcript: null, position: 0 };
        insert.run(
          runId,
          row.itemId,
          row.sample,
          row.requestKey,
          where.stimulus,
          where.transcript,
          where.position,
        );
      }
    })();
  }

  addRunSteps(runId: string, rows: StepRow[]): void {
    const insert = this.statement(
      `INSERT INTO run_steps (run_id, item_id, sample, step, request_key, meta, role, turn, check_index, judge_index)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(run_id, item_id, sample, step) DO UPDATE SET request_key = excluded.request_key, meta = excluded.meta`,
    );
    this.db.transaction(() => {
      for (const r of rows) {
        const { step } = r;
        insert.run(
          runId,
          r.itemId,
          r.sample,
          stepName(step),
          r.requestKey,
          JSON.stringify(r.meta),
          step.role,
          step.turn ?? null,
          step.check ?? null,
          step.judge ?? null,
        );
      }
    })();
  }

  runSteps(runId: string): StepRow[] {
    const rows = this.statement(
      `SELECT item_id AS itemId, sample, step AS name, request_key AS requestKey, meta, role, turn,
              check_index AS "check", judge_index AS judge
       FROM run_steps WHERE run_id = ? ORDER BY item_id, sample, step`,
    ).all(runId) as Array<{
      itemId: string;
      sample: number;
      name: string;
      requestKey: string;
      meta: string;
      role: StepRef["role"];
      turn: number | null;
      check: number | null;
      judge: number | null;
    }>;
    return rows.map((r) => ({
      itemId: r.itemId,
      sample: r.sample,
      requestKey: r.requestKey,
      step: {
        role: r.role,
        ...(r.turn === null ? {} : { turn: r.turn }),
        ...(r.check === null ? {} : { check: r.check }),
        ...(r.judge === null ? {} : { judge: r.judge }),
      },
      meta: readJson(stepMetaSchema, r.meta, `step ${r.name} of run ${runId}`),
    }));
  }

  /** Stored outcomes of the given requests (absent keys were never finished). */
  results(keys: Iterable<string>): Map<string, StoredResult> {
    const select = this.statement(
      "SELECT status, text, error_code AS code, error_message AS message, warnings FROM requests WHERE key = ?",
    );
    const out = new Map<string, StoredResult>();
    for (const key of keys) {
      const row = select.get(key) as
        | {
            status: "ok" | "error";
            text: string | null;
            code: string | null;
            message: string | null;
            warnings: string | null;
          }
        | undefined;
      if (row) {
        out.set(key, {
          status: row.status,
          text: row.text,
          error: row.status === "error" ? `${row.code ?? "ERROR"}: ${row.message ?? ""}` : null,
          warnings: readWarnings(row.warnings),
        });
      }
    }
    return out;
  }

  /** Stores people's labels of responses (re-adding one replaces it). */
  addLabels(
    rows: Array<{
      requestKey: string;
      check: number;
      rater: string;
      label: string;
      source: string;
    }>,
  ): void {
    const insert = this.statement(
      `INSERT INTO labels (request_key, check_index, rater, label, source) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(request_key, check_index, rater) DO UPDATE SET label = excluded.label, source = excluded.source`,
    );
    this.db.transaction(() => {
      for (const r of rows) insert.run(r.requestKey, r.check, r.rater, r.label, r.source);
    })();
  }

  /** Labels of the given responses, by request key. */
  labelsFor(
    keys: Iterable<string>,
  ): Map<string, Array<{ check: number; rater: string; label: string }>> {
    const select = this.statement(
      'SELECT check_index AS "check", rater, label FROM labels WHERE request_key = ? ORDER BY rater, check_index',
    );
    const out = new Map<string, Array<{ check: number; rater: string; label: string }>>();
    for (const key of keys) {
      const rows = select.all(key) as Array<{ check: number; rater: string; label: string }>;
      if (rows.length > 0) out.set(key, rows);
    }
    return out;
  }

  /** The messages sent with each request. */
  requestBodies(keys: Iterable<string>): Map<string, ChatMessage[]> {
    const select = this.statement("SELECT body FROM requests WHERE key = ?").pluck();
    const out = new Map<string, ChatMessage[]>();
    for (const key of keys) {
      const body = select.get(key) as string | undefined;
      if (body) out.set(key, (JSON.parse(body) as { messages: ChatMessage[] }).messages);
    }
    return out;
  }

  /** Keys of this run's requests that already have an answer. */
  completedKeys(runId: string): Set<string> {
    const rows = this.statement(
      `SELECT r.key FROM requests r JOIN run_items ri ON ri.request_key = r.key
         WHERE ri.run_id = ? AND r.status = 'ok'`,
    )
      .pluck()
      .all(runId) as string[];
    return new Set(rows);
  }

  /** Records finished requests in one transaction. */
  saveResults(results: RequestResult[]): void {
    this.db.transaction(() => {
      for (const result of results) this.saveResult(result);
    })();
  }

  /** Records a finished request. A success is never overwritten by a later error. */
  saveResult(result: RequestResult): void {
    this.statement(
      `INSERT INTO requests (key, target, sample, body, status, text, prompt_tokens, completion_tokens, finish_reason, model, latency_ms, attempts, error_code, error_message, updated_at, warnings)
         VALUES (@key, @target, @sample, @body, @status, @text, @promptTokens, @completionTokens, @finishReason, @model, @latencyMs, @attempts, @errorCode, @errorMessage, @updatedAt, @warnings)
         ON CONFLICT(key) DO UPDATE SET status = excluded.status, text = excluded.text,
           prompt_tokens = excluded.prompt_tokens, completion_tokens = excluded.completion_tokens,
           finish_reason = excluded.finish_reason, model = excluded.model, latency_ms = excluded.latency_ms,
           attempts = requests.attempts + excluded.attempts, error_code = excluded.error_code,
           error_message = excluded.error_message, updated_at = excluded.updated_at,
           warnings = excluded.warnings
         WHERE requests.status <> 'ok'`,
    ).run({
      ...result,
      warnings: result.warnings?.length ? JSON.stringify(result.warnings) : null,
      updatedAt: new Date().toISOString(),
    });
  }

  listRuns(): RunRecord[] {
    const rows = this.statement(
      `SELECT id, suite_hash AS suiteHash, suite_id AS suiteId, kind, target, target_identity AS targetIdentity,
                arm, arm_prompt AS armPrompt, samples, config, roles, tool_version AS toolVersion,
                created_at AS createdAt, updated_at AS updatedAt
         FROM runs ORDER BY created_at, id`,
    ).all() as RunRow[];
    return rows.map((row) => ({
      ...row,
      config: readJson(runConfigSchema, row.config, `the config of run ${row.id}`),
      roles: readJson(rolesSchema, row.roles, `the roles of run ${row.id}`),
    }));
  }

  runRows(runId: string): RunItemRow[] {
    const rows = this.statement(
      `SELECT ri.item_id AS itemId, ri.sample AS sample, ri.request_key AS requestKey,
                ri.stimulus_id AS stimulusId, ri.transcript AS transcript, ri.transcript_position AS position,
                r.status AS status, r.text AS text, r.error_code AS errorCode, r.error_message AS errorMessage,
                r.latency_ms AS latencyMs, r.prompt_tokens AS promptTokens, r.completion_tokens AS completionTokens,
                r.warnings AS warnings
         FROM run_items ri
         JOIN runs ru ON ru.id = ri.run_id
         LEFT JOIN items it ON it.suite_hash = ru.suite_hash AND it.item_id = ri.item_id
         LEFT JOIN requests r ON r.key = ri.request_key
         WHERE ri.run_id = ?
         ORDER BY it.position, ri.item_id, ri.sample`,
    ).all(runId) as Array<Omit<RunItemRow, "warnings"> & { warnings: string | null }>;
    return rows.map((row) => ({ ...row, warnings: readWarnings(row.warnings) }));
  }

  loadSuite(hash: string): StoredSuite | undefined {
    const cached = this.suites.get(hash);
    if (cached) return cached;
    const definition = this.statement("SELECT definition FROM suites WHERE hash = ?")
      .pluck()
      .get(hash) as string | undefined;
    if (definition === undefined) return undefined;
    const items = (
      this.statement("SELECT data FROM items WHERE suite_hash = ? ORDER BY position")
        .pluck()
        .all(hash) as string[]
    ).map((data) => JSON.parse(data) as unknown);
    const suite = { ...(JSON.parse(definition) as Omit<Suite, "items">), items } as Suite;
    const stored = { suite, byId: indexItems(suite) };
    this.suites.set(hash, stored);
    return stored;
  }

  /** Stores a label and its note in one transaction: both or neither. */
  addLabelWithNote(
    row: { requestKey: string; check: number; rater: string; label: string; source: string },
    note: string,
  ): void {
    this.db.transaction(() => {
      this.addLabels([row]);
      if (note === "") {
        this.statement(
          "DELETE FROM label_notes WHERE request_key = ? AND check_index = ? AND rater = ?",
        ).run(row.requestKey, row.check, row.rater);
        return;
      }
      this.statement(
        `INSERT INTO label_notes (request_key, check_index, rater, note, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(request_key, check_index, rater) DO UPDATE SET note = excluded.note, updated_at = excluded.updated_at`,
      ).run(row.requestKey, row.check, row.rater, note, new Date().toISOString());
    })();
  }

  /** Reviewers' notes of the given responses, by request key. */
  labelNotes(
    keys: Iterable<string>,
  ): Map<string, Array<{ check: number; rater: string; note: string }>> {
    const select = this.statement(
      'SELECT check_index AS "check", rater, note FROM label_notes WHERE request_key = ? ORDER BY rater, check_index',
    );
    const out = new Map<string, Array<{ check: number; rater: string; note: string }>>();
    for (const key of keys) {
      const rows = select.all(key) as Array<{ check: number; rater: string; note: string }>;
      if (rows.length > 0) out.set(key, rows);
    }
    return out;
  }

  /** The run items a stored response answers (one response may serve several runs). */
  runItemsOf(requestKey: string): Array<{ runId: string; itemId: string; sample: number }> {
    return this.statement(
      "SELECT run_id AS runId, item_id AS itemId, sample FROM run_items WHERE request_key = ?",
    ).all(requestKey) as Array<{ runId: string; itemId: string; sample: number }>;
  }

  /**
   * Changes whenever runs, answers, judgements or labels are added (by any process):
   * what a cache of collected runs compares before it answers from memory.
   */
  fingerprint(): string {
    const row = this.statement(
      `SELECT (SELECT count(*) FROM runs) AS runs, (SELECT max(updated_at) FROM runs) AS updated,
              (SELECT count(*) FROM requests) AS requests, (SELECT count(*) FROM run_steps) AS steps,
              (SELECT count(*) FROM run_items) AS items, (SELECT count(*) FROM labels) AS labels`,
    ).get() as Record<string, unknown>;
    return JSON.stringify(row);
  }

  /** Stores one typed or pasted reply (a turn of a person's or an app's answer). */
  saveCapture(row: CaptureRow): void {
    this.statement(
      `INSERT INTO captures (target, identity, suite_hash, item_id, turn, reply, captured_at)
       VALUES (@target, @identity, @suiteHash, @itemId, @turn, @reply, @capturedAt)
       ON CONFLICT(target, identity, suite_hash, item_id, turn) DO UPDATE SET reply = excluded.reply, captured_at = excluded.captured_at`,
    ).run(row);
  }

  /** Stored replies of one target (and identity) on one suite, in item and turn order. */
  captures(target: string, identity: string, suiteHash: string): CaptureRow[] {
    return this.statement(
      `SELECT target, identity, suite_hash AS suiteHash, item_id AS itemId, turn, reply, captured_at AS capturedAt
       FROM captures WHERE target = ? AND identity = ? AND suite_hash = ? ORDER BY item_id, turn`,
    ).all(target, identity, suiteHash) as CaptureRow[];
  }
}

function indexItems(suite: Suite): StoredSuite["byId"] {
  return new Map<string, Suite["items"][number]>(suite.items.map((item) => [item.id, item]));
}

function checkSchemaVersion(db: Database.Database, path: string): void {
  const row = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as
    | { value: string }
    | undefined;
  if (row && Number(row.value) > SCHEMA_VERSION) {
    throw new CareprobeError(
      "STORE",
      `${path} was written by a newer careprobe (schema ${row.value}); upgrade careprobe to read it.`,
    );
  }
}

/** SQLite's ways of saying it may not create its side files next to the database. */
function isReadOnlyFolder(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? "";
  return /^SQLITE_(READONLY|CANTOPEN)/.test(code);
}

function cannotOpen(path: string, error: unknown): CareprobeError {
  return new CareprobeError(
    "STORE",
    `Cannot read the database ${path}: ${(error as Error).message}`,
    {
      hint: "Check that the file is a careprobe database and readable, or pass another file with --db.",
      cause: error,
    },
  );
}
