/**
 * Executes planned runs: records each run and what it needs, skips what is already
 * stored, and sends the rest (see send.ts). Nothing already answered is sent again.
 */
import type { ProgressListener, Target } from "../core/types.js";
import type { Store } from "../store/store.js";
import type { PlannedRun } from "./plan.js";
import type { RetryPolicy } from "./retry.js";
import { type Job, sendJobs } from "./send.js";
import type { Throttles } from "./throttle.js";

export { type Job, type SendOptions, type SendSummary, sendJobs } from "./send.js";

export interface ExecuteOptions {
  store: Store;
  runs: PlannedRun[];
  concurrency: number;
  /** Per attempt. */
  timeoutMs: number;
  retry?: RetryPolicy;
  signal?: AbortSignal;
  onEvent?: ProgressListener;
  toolVersion: string;
  /** Stop a target after this many requests in a row failed (after their retries). */
  stopAfterFailures?: number;
  /** Rate control per target (send.ts). */
  throttles?: Throttles;
}

export interface RunOutcome {
  id: string;
  suite: string;
  target: string;
  arm: string;
  planned: number;
  cached: number;
  ok: number;
  errors: number;
}

export interface ExecuteSummary {
  runs: RunOutcome[];
  interrupted: boolean;
  /** Targets given up on, with the reason the user should act on. */
  stopped: Array<{ target: string; reason: string; hint?: string }>;
  sent: number;
  elapsedMs: number;
}

export async function executeRuns(options: ExecuteOptions): Promise<ExecuteSummary> {
  const started = Date.now();
  const { store, onEvent } = options;
  const outcomes = new Map<string, RunOutcome>();
  const jobsByTarget = new Map<Target, Job[]>();
  const queuedKeys = new Set<string>();
  const runsOfKey = new Map<string, RunOutcome[]>();
  let cachedTotal = 0;
  let plannedTotal = 0;

  for (const run of options.runs) {
    const now = new Date().toISOString();
    store.saveSuite(run.suite);
    store.upsertRun({
      id: run.id,
      suiteHash: run.suite.hash,
      suiteId: run.suite.id,
      target: run.target.spec,
      targetIdentity: run.target.identity ?? "",
      arm: run.arm.id,
      armPrompt: run.arm.systemPrompt ?? null,
      samples: run.samples,
      config: JSON.stringify(run.config ?? {}),
      toolVersion: options.toolVersion,
      createdAt: now,
      updatedAt: now,
    });
    store.addRunItems(
      run.id,
      run.requests.map(({ itemId, sample, key }) => ({ itemId, sample, requestKey: key })),
    );
    const done = store.completedKeys(run.id);
    const outcome: RunOutcome = {
      id: run.id,
      suite: run.suite.id,
      target: run.target.spec,
      arm: run.arm.id,
      planned: run.requests.length,
      cached: 0,
      ok: 0,
      errors: 0,
    };
    outcomes.set(run.id, outcome);
    plannedTotal += run.requests.length;
    for (const request of run.requests) {
      if (done.has(request.key)) {
        outcome.cached++;
        cachedTotal++;
        continue;
      }
      const sharing = runsOfKey.get(request.key) ?? [];
      sharing.push(outcome);
      runsOfKey.set(request.key, sharing);
      if (queuedKeys.has(request.key)) continue; // the same request twice is sent once
      queuedKeys.add(request.key);
      const jobs = jobsByTarget.get(run.target) ?? [];
      jobs.push({ request, target: run.target });
      jobsByTarget.set(run.target, jobs);
    }
  }

  const toSend = queuedKeys.size;
  onEvent?.({
    type: "plan",
    total: plannedTotal,
    cached: cachedTotal,
    toSend,
    runs: options.runs.length,
  });
  const sent = await sendJobs([...jobsByTarget.values()].flat(), {
    ...options,
    onResult: (key, ok) => {
      for (const outcome of runsOfKey.get(key) ?? []) {
        if (ok) outcome.ok++;
        else outcome.errors++;
      }
    },
  });
  return {
    runs: [...outcomes.values()],
    interrupted: sent.interrupted,
    stopped: sent.stopped,
    sent: sent.sent,
    elapsedMs: Date.now() - started,
  };
}
