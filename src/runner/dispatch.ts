/**
 * The dispatcher: one request at a time in, one answer out. Each target has its own
 * bounded pool of workers; a request already stored is answered from the store, one
 * already in flight is shared, and every result is committed in small batches.
 * Step functions of experiments call it through `StepContext.ask`.
 */
import { setMaxListeners } from "node:events";
import { CareprobeError } from "../core/errors.js";
import { redactSecrets } from "../core/secrets.js";
import type { Target } from "../core/types.js";
import type { RequestResult } from "../store/store.js";
import type { PlannedRequest } from "./plan.js";
import { DEFAULT_RETRY, errorText } from "./retry.js";
import {
  type AttemptContext,
  isFatalForTarget,
  type Job,
  type SendOptions,
  type SendSummary,
  type Stopped,
  sendWithRetries,
} from "./send.js";
import { Throttles } from "./throttle.js";

const FLUSH_MS = 10;

export type Outcome =
  | { status: "ok"; text: string; warnings: string[]; cached: boolean }
  | { status: "error"; error: string; cached: boolean }
  | { status: "skipped" };

interface Pool {
  target: Target;
  limit: number;
  attempt: AttemptContext;
  active: number;
  queue: Array<{ request: PlannedRequest; resolve: (outcome: Outcome) => void }>;
  failuresInARow: number;
  stopped: boolean;
}

export class Dispatcher {
  sent = 0;
  readonly stopped: Stopped = [];
  private readonly pools = new Map<Target, Pool>();
  private readonly inFlight = new Map<string, Promise<Outcome>>();
  private readonly unsaved: RequestResult[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  /** Requests queued (not answered from the store) and finished, for progress events. */
  private queued = 0;
  private done = 0;
  private errors = 0;
  private held = true;
  private readonly throttles: Throttles;
  /** A target's changes to requests (a parameter dropped or clamped), told once per target. */
  private readonly warned = new Set<string>();
  /** Requests answered from the store. */
  fromStore = 0;

  constructor(
    private readonly options: SendOptions,
    /** Writes buffered bookkeeping (run items, steps) before results, in one transaction. */
    private readonly beforeFlush: () => void = () => {},
  ) {
    // Every in-flight request listens to the run's signal; that many listeners is expected.
    if (options.signal) setMaxListeners(0, options.signal);
    this.throttles = options.throttles ?? new Throttles();
    options.signal?.addEventListener("abort", this.onAbort, { once: true });
  }

  private readonly onAbort = () => this.drain();

  /** Commits what is buffered and stops listening to the run's signal (call once, at the end). */
  close(): void {
    this.flush();
    this.options.signal?.removeEventListener("abort", this.onAbort);
  }

  /** Requests waiting or sent so far (the plan's "to send"). */
  get toSend(): number {
    return this.queued;
  }

  /** The stored outcome of a request, if it has one that will not change. */
  stored(key: string): Outcome | undefined {
    const row = this.options.store.results([key]).get(key);
    if (row?.status !== "ok") return undefined;
    return { status: "ok", text: row.text ?? "", warnings: row.warnings, cached: true };
  }

  /** Answers a request: from the store, from the same request in flight, or by sending it. */
  ask(target: Target, request: PlannedRequest): Promise<Outcome> {
    const running = this.inFlight.get(request.key);
    if (running) return running;
    const stored = this.stored(request.key);
    if (stored) {
      this.fromStore++;
      return Promise.resolve(stored);
    }
    const pool = this.pool(target);
    if (pool.stopped || this.options.signal?.aborted) return Promise.resolve({ status: "skipped" });
    this.queued++;
    const promise = new Promise<Outcome>((resolve) => {
      pool.queue.push({ request, resolve });
    });
    this.inFlight.set(request.key, promise);
    void promise.then(() => this.inFlight.delete(request.key));
    this.pump(pool);
    return promise;
  }

  /** Starts sending (requests asked before this are only queued: the plan comes first). */
  release(): void {
    this.held = false;
    for (const pool of this.pools.values()) this.pump(pool);
  }

  /** Commits what is buffered. */
  flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.beforeFlush();
    if (this.unsaved.length > 0) this.options.store.saveResults(this.unsaved.splice(0));
  }

  /** Asks that need no more than bookkeeping call this so it is written soon. */
  scheduleFlush(): void {
    this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  private pool(target: Target): Pool {
    let pool = this.pools.get(target);
    if (!pool) {
      const limit = Math.max(
        1,
        Math.min(this.options.concurrency, target.maxConcurrency ?? Number.POSITIVE_INFINITY),
      );
      const { onEvent, signal } = this.options;
      const throttle = this.throttles.for(target.spec, limit, (window) =>
        onEvent?.({
          type: "warning",
          message: `${target.spec}: rate limited (429); at most ${window} request(s) at once for now`,
        }),
      );
      const retry = this.options.retry ?? DEFAULT_RETRY;
      const attempt = { timeoutMs: this.options.timeoutMs, retry, signal, onEvent, throttle };
      pool = { target, limit, attempt, active: 0, queue: [], failuresInARow: 0, stopped: false };
      this.pools.set(target, pool);
    }
    return pool;
  }

  private pump(pool: Pool): void {
    while (!this.held && !pool.stopped && pool.active < pool.limit && pool.queue.length > 0) {
      const next = pool.queue.shift();
      if (!next) return;
      pool.active++;
      void this.send(pool, next.request).then((outcome) => {
        pool.active--;
        next.resolve(outcome);
        this.pump(pool);
      });
    }
  }

  private async send(pool: Pool, request: PlannedRequest): Promise<Outcome> {
    const { options } = this;
    if (options.signal?.aborted) return { status: "skipped" };
    this.sent++;
    const result = await sendWithRetries({ request, target: pool.target }, pool.attempt);
    if (result.aborted) return { status: "skipped" };
    const { row } = result;
    const warnings = result.warnings ?? [];
    this.warn(pool.target, warnings);
    this.unsaved.push({
      key: request.key,
      target: pool.target.spec,
      sample: request.sample,
      body: JSON.stringify({ messages: request.messages, params: request.params }),
      ...row,
      ...(warnings.length > 0 ? { warnings } : {}),
    });
    this.scheduleFlush();
    this.done++;
    if (row.status !== "ok") this.errors++;
    options.onResult?.(request.key, row.status === "ok");
    options.onEvent?.({
      type: "result",
      ok: row.status === "ok",
      cached: false,
      done: this.done,
      errors: this.errors,
      total: this.queued,
      target: pool.target.spec,
      ...(row.latencyMs === null ? {} : { latencyMs: row.latencyMs }),
      ...(row.errorCode ? { errorCode: row.errorCode } : {}),
      ...(row.completionTokens === null ? {} : { completionTokens: row.completionTokens }),
    });
    if (row.status === "ok") {
      pool.failuresInARow = 0;
      return { status: "ok", text: row.text ?? "", warnings, cached: false };
    }
    pool.failuresInARow++;
    const stopAfter = options.stopAfterFailures ?? 5;
    if (!pool.stopped && (isFatalForTarget(result.error) || pool.failuresInARow >= stopAfter)) {
      this.stop(pool, result.error);
    }
    return {
      status: "error",
      error: `${row.errorCode ?? "ERROR"}: ${row.errorMessage ?? ""}`,
      cached: false,
    };
  }

  private stop(pool: Pool, error: unknown): void {
    pool.stopped = true;
    const hint = error instanceof CareprobeError ? error.hint : undefined;
    this.stopped.push({
      target: pool.target.spec,
      reason: `${pool.failuresInARow} request(s) in a row failed; last error: ${redactSecrets(errorText(error))}`,
      ...(hint ? { hint } : {}),
    });
    for (const waiting of pool.queue.splice(0)) waiting.resolve({ status: "skipped" });
  }

  private warn(target: Target, warnings: string[]): void {
    for (const warning of warnings) {
      const key = `${target.spec}\n${warning}`;
      if (this.warned.has(key)) continue;
      this.warned.add(key);
      this.options.onEvent?.({ type: "warning", message: `${target.spec}: ${warning}` });
    }
  }

  /** On abort: nothing queued is sent; those waiting for it are told so. */
  private drain(): void {
    for (const pool of this.pools.values()) {
      for (const waiting of pool.queue.splice(0)) waiting.resolve({ status: "skipped" });
    }
  }
}

/**
 * Sends a list of requests through one dispatcher, each target with its own bounded pool,
 * and stores every result (requests already stored are answered from the store).
 */
export async function sendJobs(jobs: Job[], options: SendOptions): Promise<SendSummary> {
  const dispatcher = new Dispatcher(options);
  const answers = jobs.map((job) => dispatcher.ask(job.target, job.request));
  dispatcher.release();
  try {
    await Promise.all(answers);
  } finally {
    dispatcher.close();
  }
  const interrupted = options.signal?.aborted ?? false;
  return { sent: dispatcher.sent, interrupted, stopped: dispatcher.stopped };
}
