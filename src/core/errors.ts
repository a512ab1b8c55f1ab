/**
 * Typed errors with a stable `code`, a message that says what to do, and whether
 * trying again could help. The CLI shows `message` (and `hint`), never a stack trace.
 */

export type ErrorCode =
  | "BAD_ARGUMENT"
  | "SUITE_INVALID"
  | "SUITE_NOT_FOUND"
  | "CONFIG_INVALID"
  | "TARGET_UNKNOWN"
  | "TARGET_CONFIG"
  | "HTTP_STATUS"
  | "NETWORK"
  | "TIMEOUT"
  | "RESPONSE_MALFORMED"
  | "RESPONSE_TOO_LARGE"
  | "RETRIES_EXHAUSTED"
  | "MODEL_UNAVAILABLE"
  | "DOWNLOAD_FAILED"
  | "CHECKSUM_MISMATCH"
  | "DATASET_MISSING"
  | "STORE"
  | "ABORTED";

/** Codes that mean "the user must fix input or configuration" (CLI exit code 2). */
const USER_ERRORS = new Set<ErrorCode>([
  "BAD_ARGUMENT",
  "SUITE_INVALID",
  "SUITE_NOT_FOUND",
  "CONFIG_INVALID",
  "TARGET_UNKNOWN",
  "TARGET_CONFIG",
  "MODEL_UNAVAILABLE",
  "DOWNLOAD_FAILED",
  "CHECKSUM_MISMATCH",
  "DATASET_MISSING",
  "RETRIES_EXHAUSTED",
]);

export interface CareprobeErrorOptions {
  retryable?: boolean;
  hint?: string;
  /** HTTP status, when the error came from a server. */
  status?: number;
  /** Seconds the server asked us to wait (Retry-After). */
  retryAfterSeconds?: number;
  cause?: unknown;
}

export class CareprobeError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly hint?: string;
  readonly status?: number;
  readonly retryAfterSeconds?: number;

  constructor(code: ErrorCode, message: string, options: CareprobeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "CareprobeError";
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.hint = options.hint;
    this.status = options.status;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /** True when the fix is on the user's side: bad input, configuration, or an unreachable service. */
  get isUserError(): boolean {
    return USER_ERRORS.has(this.code);
  }
}

export function isCareprobeError(error: unknown): error is CareprobeError {
  return error instanceof CareprobeError;
}

/** A short, single-line description of any thrown value, for storing and showing. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
