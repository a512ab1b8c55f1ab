/**
 * Turning the errors of HTTP clients into CareprobeErrors: one policy for what is
 * retryable and how Retry-After is read, shared by the openai, anthropic and http targets.
 */
import { CareprobeError } from "../core/errors.js";
import { redactSecrets } from "../core/secrets.js";
import { oneLine } from "../core/terminal-text.js";

/** What a server said, fit to show and store: no secrets, no control characters, short. */
export function serverText(text: string, max = 300): string {
  const clean = oneLine(redactSecrets(text));
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/**
 * The error with its message and hint cleaned by {@link serverText}'s rules (no length
 * cut): every error a target throws passes here, whatever the server sent back.
 */
export function cleanError(error: CareprobeError): CareprobeError {
  const message = oneLine(redactSecrets(error.message));
  const hint = error.hint === undefined ? undefined : oneLine(redactSecrets(error.hint));
  if (message === error.message && hint === error.hint) return error;
  return new CareprobeError(error.code, message, {
    retryable: error.retryable,
    ...(hint === undefined ? {} : { hint }),
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.retryAfterSeconds === undefined
      ? {}
      : { retryAfterSeconds: error.retryAfterSeconds }),
  });
}

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
  return cleanError(classify(error, classes, context));
}

function classify(error: unknown, classes: SdkErrors, context: SdkErrorContext): CareprobeError {
  if (error instanceof CareprobeError) return error;
  // Thrown by careprobe's own fetch (a refused redirect, an answer too large), wrapped by the client.
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  if (cause instanceof CareprobeError && !context.signal?.aborted) return cause;
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
    const network = (error.cause as { code?: string; message?: string } | undefined) ?? {};
    return new CareprobeError(
      "NETWORK",
      `${where}: cannot connect (${serverText(network.code ?? network.message ?? error.message)})`,
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
    const detail = serverText(api.apiMessage ?? api.message ?? "");
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
  const message = serverText(error instanceof Error ? error.message : String(error));
  return new CareprobeError("RESPONSE_MALFORMED", `${where}: unreadable reply (${message})`, {
    retryable: true,
    cause: error,
  });
}
