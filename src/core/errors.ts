/**
 * Typed errors with a stable `code`, a message that says what to do, and whether
 * trying again could help. The CLI shows `message` (and `hint`), never a stack trace.
 * Each code says what went wrong, and its exit code says whose move it is
 * (docs/design/errors.md): 2 the user's input, configuration or a server; 70 a bug in
 * careprobe; 130 the user stopped it.
 */

export type ErrorCode =
  /** A flag, an argument, or a file named by one is wrong. */
  | "BAD_ARGUMENT"
  /** A suite file (or a suite stored by another careprobe) is malformed. */
  | "SUITE_INVALID"
  | "SUITE_NOT_FOUND"
  /** The project file (careprobe.yaml) is malformed. */
  | "CONFIG_INVALID"
  /** A published data file (the paper's data being fetched or imported) is malformed. */
  | "DATA_INVALID"
  | "TARGET_UNKNOWN"
  | "TARGET_CONFIG"
  | "HTTP_STATUS"
  | "NETWORK"
  | "TIMEOUT"
  | "RESPONSE_MALFORMED"
  | "RESPONSE_TOO_LARGE"
  | "MODEL_UNAVAILABLE"
  | "DOWNLOAD_FAILED"
  | "CHECKSUM_MISMATCH"
  | "DATASET_MISSING"
  | "STORE"
  | "ABORTED"
  /** A check of careprobe's own invariants failed: a bug in careprobe, never the input. */
  | "INTERNAL";

/** The exit codes of the careprobe command (README "Exit codes"; docs/design/errors.md). */
export const EXIT = {
  /** Complete: every item answered and judged, every gate held. */
  ok: 0,
  /** A gate (--fail-under, --fail-on-regression) failed on complete results. */
  gateFailed: 1,
  /** Bad input or configuration, or a server that could not be reached. */
  badInput: 2,
  /** Incomplete: some answers or judgements failed, were never sent, or could not be read. */
  incomplete: 3,
  /** A bug in careprobe. */
  internal: 70,
  /** Interrupted (Ctrl-C). */
  interrupted: 130,
} as const;

/** What a user is asked for when careprobe hits a bug (INTERNAL or an unexpected exception). */
export const BUG_REPORT =
  "This is a bug in careprobe, not a problem with your input. Please report it to careprobe's " +
  "issue tracker with the command you ran, the output of `careprobe --version`, and this " +
  "message; run the command again with CAREPROBE_DEBUG=1 to add the stack trace (check it " +
  "for private data first).";

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
    return exitCodeFor(this) === EXIT.badInput;
  }
}

/** A broken invariant of careprobe's own code: exit 70 with a request for a bug report. */
export function internalError(message: string): CareprobeError {
  return new CareprobeError("INTERNAL", message);
}

export function isCareprobeError(error: unknown): error is CareprobeError {
  return error instanceof CareprobeError;
}

/**
 * The exit code for an error that ends a command: 130 for ABORTED, 70 for INTERNAL and
 * for anything that is not a CareprobeError (an unexpected exception is a bug), 2 for
 * every other code.
 */
export function exitCodeFor(error: unknown): number {
  if (!(error instanceof CareprobeError)) return EXIT.internal;
  if (error.code === "ABORTED") return EXIT.interrupted;
  if (error.code === "INTERNAL") return EXIT.internal;
  return EXIT.badInput;
}

/** A short, single-line description of any thrown value, for storing and showing. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
