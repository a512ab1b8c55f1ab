/**
 * Sending: each target with its own bounded pool of workers, retries with backoff,
 * per-request time limits, a clean stop on abort, and results committed in small batches.
 */
import { setMaxListeners } from "node:events";
import { CareprobeError } from "../core/errors.js";
import type { ProgressListener, Target } from "../core/types.js";
import type { RequestResult, Store } from "../store/store.js";
import type { PlannedRequest } from "./plan.js";
import {
  DEFAULT_RETRY,
  errorCode,
  errorText,
  isRetryable,
  type RetryPolicy,
  retryDelayMs,
  sleep,
} from "./retry.js";

/** Targets given up on, with the reason the user should act on. */
export type Stopped = Array<{ target: string; reason: string; hint?: string }>;

const FLUSH_MS = 10;

/** Errors that will not get better by sending the target's next request. */
const FATAL_CODES = new Set([
  "TARGET_CONFIG",
  "MODEL_UNAVAILABLE",
  "DOWNLOAD_FAILED",
  "CHECKSUM_MISMATCH",
]);
export function isFatalForTarget(error: unknown): boolean {
  if (!(error instanceof CareprobeError)) return false;
  if (FATAL_CODES.has(error.code)) return true;
  return error.code === "HTTP_STATUS" && [401, 403, 404].includes(error.status ?? 0);
}

export interface Job {
  request: PlannedRequest;
  target: Target;
}

export interface SendOptions {
  store: Store;
  concurrency: number;
  timeoutMs: number;
  retry?: RetryPolicy;
  signal?: AbortSignal;
  onEvent?: ProgressListener;
  stopAfterFailures?: number;
  /** Called once per finished job (not for jobs cut short by an abort). */
  onResult?: (key: string, ok: boolean) => void;
}

export interface SendSummary {
  sent: number;
  interrupted: boolean;
  stopped: Stopped;
}

/**
 * Sends jobs (one per distinct request key; the caller dedupes and skips stored ones),
 * each target with its own bounded pool, and stores every result.
 */
export async function sendJobs(jobs: Job[], options: SendOptions): Promise<SendSummary> {
  const { store, signal, onEvent } = options;
  // Every in-flight request listens to the run's signal; that many listeners is expected.
  if (signal) setMaxListeners(0, signal);
  const retry = options.retry ?? DEFAULT_RETRY;
  const stopAfter = options.stopAfterFailures ?? 5;
  const toSend = jobs.length;
  const jobsByTarget = new Map<Target, Job[]>();
  for (const job of jobs) {
    const list = jobsByTarget.get(job.target) ?? [];
    list.push(job);
    jobsByTarget.set(job.target, list);
  }
  let doneCount = 0;
  let errorCount = 0;
  let sent = 0;
  const stopped: Stopped = [];

  const record = (job: Job, ok: boolean, latencyMs?: number, code?: string) => {
    doneCount++;
    if (!ok) errorCount++;
    options.onResult?.(job.request.key, ok);
    onEvent?.({
      type: "result",
      ok,
      cached: false,
      done: doneCount,
      errors: errorCount,
      total: toSend,
      target: job.target.spec,
      ...(latencyMs === undefined ? {} : { latencyMs }),
      ...(code ? { errorCode: code } : {}),
    });
  };

  // Results are committed in small batches, at most FLUSH_MS after they arrive: one
  // transaction instead of dozens. A kill -9 inside that window costs only a re-send of
  // those few requests on resume, exactly like the requests that were in flight.
  const unsaved: RequestResult[] = [];
  let flushTimer: NodeJS.Timeout | undefined;
  const flush = () => {
    flushTimer = undefined;
    if (unsaved.length > 0) store.saveResults(unsaved.splice(0));
  };
  const save = (result: RequestResult) => {
    unsaved.push(result);
    flushTimer ??= setTimeout(flush, FLUSH_MS);
  };

  const runTarget = async (target: Target, jobs: Job[]) => {
    const limit = Math.max(
      1,
      Math.min(options.concurrency, target.maxConcurrency ?? Number.POSITIVE_INFINITY),
    );
    let next = 0;
    let failuresInARow = 0;
    let stop = false;
    const worker = async () => {
      while (!stop && !signal?.aborted) {
        const job = jobs[next++];
        if (!job) return;
        sent++;
        const result = await sendWithRetries(job, options.timeoutMs, retry, signal, onEvent);
        if (result.aborted) return;
        save({
          key: job.request.key,
          target: target.spec,
          sample: job.request.sample,
          body: JSON.stringify({ messages: job.request.messages, params: job.request.params }),
          ...result.row,
        });
        record(
          job,
          result.row.status === "ok",
          result.row.latencyMs ?? undefined,
          result.row.errorCode ?? undefined,
        );
        if (result.row.status === "ok") {
          failuresInARow = 0;
          continue;
        }
        failuresInARow++;
        if (!stop && (isFatalForTarget(result.error) || failuresInARow >= stopAfter)) {
          stop = true;
          const hint = result.error instanceof CareprobeError ? result.error.hint : undefined;
          stopped.push({
            target: target.spec,
            reason: `${failuresInARow} request(s) in a row failed; last error: ${errorText(result.error)}`,
            ...(hint ? { hint } : {}),
          });
        }
      }
    };
    await Promise.all(Array.from({ length: limit }, worker));
  };

  try {
    await Promise.all([...jobsByTarget.entries()].map(([target, jobs]) => runTarget(target, jobs)));
  } finally {
    clearTimeout(flushTimer);
    flush();
  }
  return { sent, interrupted: signal?.aborted ?? false, stopped };
}

export type ResultRow = Omit<RequestResult, "key" | "target" | "sample" | "body">;

export async function sendWithRetries(
  job: Job,
  timeoutMs: number,
  retry: RetryPolicy,
  signal: AbortSignal | undefined,
  onEvent: ProgressListener | undefined,
): Promise<{ aborted: true } | { aborted: false; row: ResultRow; error?: unknown }> {
  let lastError: unknown;
  let attempts = 0;
  for (let attempt = 1; attempt <= retry.retries + 1; attempt++) {
    if (signal?.aborted) return { aborted: true };
    attempts = attempt;
    const t0 = performance.now();
    const limit = job.target.handlesTimeout ? undefined : timeLimit(job.target, timeoutMs, signal);
    try {
      const response = await job.target.chat({
        messages: job.request.messages,
        params: job.request.params,
        choices: job.request.choices,
        timeoutMs,
        signal: limit?.signal ?? signal,
      });
      return {
        aborted: false,
        row: {
          status: "ok",
          text: response.text,
          promptTokens: response.promptTokens ?? null,
          completionTokens: response.completionTokens ?? null,
          finishReason: response.finishReason ?? null,
          model: response.model ?? null,
          warnings: response.warnings ?? [],
          latencyMs: Math.round((performance.now() - t0) * 10) / 10,
          attempts: attempt,
          errorCode: null,
          errorMessage: null,
        },
      };
    } catch (error) {
      if (signal?.aborted) return { aborted: true };
      lastError = limit?.signal.reason instanceof CareprobeError ? limit.signal.reason : error;
      if (!isRetryable(lastError) || attempt > retry.retries) break;
      const delayMs = retryDelayMs(attempt, retry, lastError);
      onEvent?.({
        type: "retry",
        target: job.target.spec,
        attempt,
        delayMs,
        reason: errorText(lastError),
      });
      try {
        await sleep(delayMs, signal);
      } catch {
        return { aborted: true };
      }
    } finally {
      limit?.dispose();
    }
  }
  return {
    aborted: false,
    error: lastError,
    row: {
      status: "error",
      text: null,
      promptTokens: null,
      completionTokens: null,
      finishReason: null,
      model: null,
      latencyMs: null,
      attempts,
      errorCode: errorCode(lastError),
      errorMessage: errorText(lastError),
    },
  };
}

/** The runner's time limit for targets that do not enforce one themselves. */
function timeLimit(
  target: Target,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const timer = setTimeout(
    () =>
      controller.abort(
        new CareprobeError("TIMEOUT", `${target.spec}: no answer within ${timeoutMs} ms`, {
          retryable: true,
          hint: "Raise --timeout, or check that the server is not overloaded.",
        }),
      ),
    timeoutMs,
  );
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  return {
    signal: controller.signal,
    dispose() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    },
  };
}
