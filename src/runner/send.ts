/**
 * Sending: each target with its own bounded pool of workers, retries with backoff,
 * per-request time limits, a clean stop on abort, and results committed in small batches.
 */
import { setMaxListeners } from "node:events";
import { CareprobeError } from "../core/errors.js";
import { redactSecrets } from "../core/secrets.js";
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
import { estimateTokens, type Throttle, type Throttles } from "./throttle.js";

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
  const status = error.status ?? 0;
  // A refused redirect (3xx) comes back for every request, like a wrong key or URL.
  return (
    error.code === "HTTP_STATUS" &&
    ([401, 403, 404].includes(status) || (status >= 300 && status < 400))
  );
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
  /**
   * Rate control per target (`--rpm`, `--tpm`, providers' headers, AIMD on 429); pass one
   * to keep its state across calls. Without it, each call starts afresh with no caps.
   */
  throttles?: Throttles;
}

export interface SendSummary {
  sent: number;
  interrupted: boolean;
  stopped: Stopped;
}

export type ResultRow = Omit<RequestResult, "key" | "target" | "sample" | "body">;

export interface AttemptContext {
  timeoutMs: number;
  retry: RetryPolicy;
  signal: AbortSignal | undefined;
  onEvent: ProgressListener | undefined;
  throttle: Throttle;
}

export async function sendWithRetries(
  job: Job,
  { timeoutMs, retry, signal, onEvent, throttle }: AttemptContext,
): Promise<
  { aborted: true } | { aborted: false; row: ResultRow; error?: unknown; warnings?: string[] }
> {
  let lastError: unknown;
  let attempts = 0;
  const estimate = estimateTokens(job.request.messages, job.request.params.maxTokens);
  for (let attempt = 1; attempt <= retry.retries + 1; attempt++) {
    if (signal?.aborted) return { aborted: true };
    attempts = attempt;
    const ticket = await throttle.acquire(estimate, signal).catch(() => undefined);
    if (ticket === undefined) return { aborted: true };
    const t0 = performance.now();
    const limit = requestSignal(job.target, timeoutMs, signal);
    try {
      const response = await job.target.chat({
        messages: job.request.messages,
        params: job.request.params,
        choices: job.request.choices,
        timeoutMs,
        signal: limit.signal,
      });
      throttle.release(ticket, {
        ok: true,
        rateLimited: false,
        ...tokensOf(response),
        ...(response.rateLimit ? { rateLimit: response.rateLimit } : {}),
      });
      return {
        aborted: false,
        ...(response.warnings ? { warnings: response.warnings } : {}),
        row: {
          status: "ok",
          // A configured secret never reaches the store, even inside an answer.
          text: redactSecrets(response.text),
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
      const rateLimited = error instanceof CareprobeError && error.status === 429;
      throttle.release(ticket, { ok: false, rateLimited });
      if (signal?.aborted) return { aborted: true };
      lastError = limit.signal.reason instanceof CareprobeError ? limit.signal.reason : error;
      if (!isRetryable(lastError) || attempt > retry.retries) break;
      const delayMs = retryDelayMs(attempt, retry, lastError);
      onEvent?.({
        type: "retry",
        target: job.target.spec,
        attempt,
        delayMs,
        reason: redactSecrets(errorText(lastError)),
      });
      try {
        await sleep(delayMs, signal);
      } catch {
        return { aborted: true };
      }
    } finally {
      limit.dispose();
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
      errorMessage: redactSecrets(errorText(lastError)),
    },
  };
}

function tokensOf(response: { promptTokens?: number; completionTokens?: number }) {
  if (response.promptTokens === undefined && response.completionTokens === undefined) return {};
  return { tokens: (response.promptTokens ?? 0) + (response.completionTokens ?? 0) };
}

/**
 * Each attempt's own signal, linked to the run's and released when the attempt settles.
 * HTTP clients add an abort listener to the signal they are given and never remove it
 * (the OpenAI client does): given the run-wide signal, every request would leave one
 * listener behind and each `addEventListener` would cost more than the last. The run's
 * signal holds at most one listener per request in flight. For targets that do not
 * enforce `timeoutMs` themselves, the same signal carries the runner's time limit.
 */
export function requestSignal(
  target: Target,
  timeoutMs: number,
  run: AbortSignal | undefined,
): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const timer = target.handlesTimeout
    ? undefined
    : setTimeout(
        () =>
          controller.abort(
            new CareprobeError("TIMEOUT", `${target.spec}: no answer within ${timeoutMs} ms`, {
              retryable: true,
              hint: "Raise --timeout, or check that the server is not overloaded.",
            }),
          ),
        timeoutMs,
      );
  const onAbort = () => controller.abort(run?.reason);
  if (run?.aborted) onAbort();
  else run?.addEventListener("abort", onAbort, { once: true });
  return {
    signal: controller.signal,
    dispose() {
      clearTimeout(timer);
      run?.removeEventListener("abort", onAbort);
    },
  };
}
