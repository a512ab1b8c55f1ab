/** Retry policy: exponential backoff with full jitter, honouring Retry-After, bounded. */
import { CareprobeError, describeError } from "../core/errors.js";

export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 4, baseDelayMs: 500, maxDelayMs: 20_000 };

export function isRetryable(error: unknown): boolean {
  return error instanceof CareprobeError && error.retryable;
}

/** Delay before retry number `attempt` (1-based). A server's Retry-After wins, within the cap. */
export function retryDelayMs(
  attempt: number,
  policy: RetryPolicy,
  error: unknown,
  random: () => number = Math.random,
): number {
  if (error instanceof CareprobeError && error.retryAfterSeconds !== undefined) {
    return Math.min(policy.maxDelayMs, error.retryAfterSeconds * 1000);
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export function errorCode(error: unknown): string {
  return error instanceof CareprobeError ? error.code : "UNKNOWN";
}

export function errorText(error: unknown): string {
  return describeError(error);
}
