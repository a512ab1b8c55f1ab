/**
 * The one writer of runs. It derives run ids (one formula for the runner and every
 * importer), writes the run's header with its typed roles, and buffers the run's items
 * (with their placements) and steps until `flush`, which writes them in one transaction.
 */
import { createHash } from "node:crypto";
import type { Placement, StoredRoles } from "../core/run-record.js";
import type { Suite } from "../core/types.js";
import type { StepRow, Store } from "./store.js";

export interface NewRun {
  suite: Suite;
  roles: StoredRoles;
  /** The arm as stored and reported (e.g. `none+contextualized`). */
  arm: string;
  armPrompt: string | null;
  samples: number;
  /** Everything beyond suite, target, arm and samples that changes what is measured. */
  identity: Record<string, unknown>;
  /** Settings stored with the run. */
  config: Record<string, unknown>;
  toolVersion: string;
  /** When it was made (imports give the published date); default now. */
  createdAt?: string;
}

export interface ItemWrite {
  itemId: string;
  sample: number;
  requestKey: string;
  where?: Placement;
}

/**
 * A run is identified by what it measures, not by how much of it was done: the same
 * command with a bigger --limit continues the same run.
 */
export function deriveRunId(run: NewRun): string {
  const value = {
    suite: run.suite.hash,
    target: run.roles.target.spec,
    identity: run.roles.target.identity,
    arm: run.arm,
    armPrompt: run.armPrompt,
    samples: run.samples,
    ...run.identity,
  };
  return createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 24);
}

export class RunWriter {
  private readonly items = new Map<string, ItemWrite[]>();
  private readonly steps = new Map<string, StepRow[]>();

  constructor(private readonly store: Store) {}

  /** Stores the suite and the run's header; returns the run's id. */
  begin(run: NewRun): string {
    const id = deriveRunId(run);
    const createdAt = run.createdAt ?? new Date().toISOString();
    this.store.saveSuite(run.suite);
    this.store.upsertRun({
      id,
      suiteHash: run.suite.hash,
      suiteId: run.suite.id,
      kind: run.suite.kind,
      target: run.roles.target.spec,
      targetIdentity: run.roles.target.identity,
      arm: run.arm,
      armPrompt: run.armPrompt,
      samples: run.samples,
      // The identity fields are kept with the config: reports tell runs apart by them.
      config: JSON.stringify({ ...run.config, identity: run.identity }),
      roles: JSON.stringify(run.roles),
      toolVersion: run.toolVersion,
      createdAt,
      updatedAt: createdAt,
    });
    return id;
  }

  /** The target's answer to an item (buffered). */
  item(runId: string, row: ItemWrite): void {
    bucket(this.items, runId).push(row);
  }

  /** Any other request of an item: a bridge, a judgement, a conversation turn (buffered). */
  step(runId: string, row: StepRow): void {
    bucket(this.steps, runId).push(row);
  }

  /** Writes what is buffered. */
  flush(): void {
    for (const [runId, rows] of this.items) {
      if (rows.length > 0) this.store.addRunItems(runId, rows.splice(0));
    }
    for (const [runId, rows] of this.steps) {
      if (rows.length > 0) this.store.addRunSteps(runId, rows.splice(0));
    }
  }
}

function bucket<T>(map: Map<string, T[]>, key: string): T[] {
  let list = map.get(key);
  if (!list) {
    list = [];
    map.set(key, list);
  }
  return list;
}
