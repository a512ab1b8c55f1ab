/**
 * Turning the errors of HTTP clients into CareprobeErrors: one policy for what is
 * retryable and how Retry-After is read, shared by the openai, anthropic and http targets.
 */
import { CareprobeError } from "../core/errors.js";

/** Seconds from a Retry-After header: a number of seconds or an HTTP date. */
export function retryAfterSeconds(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

/** Timeouts, conflicts, rate limits and server errors (Anthropic's 529 included) pass. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

type ErrorClass = abstract new (...args: never[]) => Error;

/** The error classes the official OpenAI and Anthropic clients both export. */
export interface SdkErrors {
  APIUserAbortError: ErrorClass;
  APIConnectionTimeoutError: ErrorClass;
  APIConnectionError: ErrorClass;
  APIError: ErrorClass;
}

export interface SdkErrorContext {
  spec: string;
  /** e.g. `openai:gpt-4o at https://...`, for messages. */
  where: string;
  signal?: AbortSignal;
  networkHint: string;
  /** What to check for a given status (e.g. the API key on 401). */
  hintFor(status: number, detail: string): string | undefined;
}

export function sdkError(
  error: unknown,
  classes: SdkErrors,
  context: SdkErrorContext,
): CareprobeError {
  if (error instanceof CareprobeError) return error;
  const { where } = context;
  if (context.signal?.aborted || error instanceof classes.APIUserAbortError) {
    const reason = context.signal?.reason;
    if (reason instanceof CareprobeError) return reason;
    return new CareprobeError("ABORTED", `${context.spec}: request aborted`);
  }
  if (error instanceof classes.APIConnectionTimeoutError) {
    return new CareprobeError("TIMEOUT", `${where}: no answer within the time limit`, {
      retryable: true,
      cause: error,
      hint: "Raise --timeout, or check that the server is not overloaded.",
    });
  }
  if (error instanceof classes.APIConnectionError) {
    const cause = (error.cause as { code?: string; message?: string } | undefined) ?? {};
    return new CareprobeError(
      "NETWORK",
      `${where}: cannot connect (${cause.code ?? cause.message ?? error.message})`,
      {
        retryable: true,
        cause: error,
        hint: context.networkHint,
      },
    );
  }
  const api = error as {
    status?: unknown;
    headers?: Headers;
    apiMessage?: string;
    message?: string;
  };
  if (error instanceof classes.APIError && typeof api.status === "number") {
    const detail = api.apiMessage ?? api.message ?? "";
    const hint = context.hintFor(api.status, detail);
    return new CareprobeError("HTTP_STATUS", `${where}: HTTP ${api.status}: ${detail}`, {
      retryable: isRetryableStatus(api.status),
      status: api.status,
      retryAfterSeconds: retryAfterSeconds(api.headers?.get?.("retry-after")),
      cause: error,
      ...(hint ? { hint } : {}),
    });
  }
  // A body that is not JSON, or an unexpected shape, surfaces as a generic error.
  const message = error instanceof Error ? error.message : String(error);
  return new CareprobeError("RESPONSE_MALFORMED", `${where}: unreadable reply (${message})`, {
    retryable: true,
    cause: error,
  });
}
