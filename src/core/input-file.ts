/**
 * Reading a file the user named (suite, transcripts, labels, prompt, project config, `http:`
 * target config): a
 * missing or unreadable file, one over its size limit, or one that is not UTF-8 text each
 * get a CareprobeError that names the path, so the CLI exits 2 instead of crashing.
 */
import { readFileSync, statSync } from "node:fs";
import { CareprobeError, type ErrorCode } from "./errors.js";

/** Size limits per kind of input, in bytes: far above any real file, far below trouble. */
export const INPUT_LIMITS = {
  suite: 8 * 1024 * 1024,
  transcripts: 64 * 1024 * 1024,
  labels: 64 * 1024 * 1024,
  prompt: 1024 * 1024,
  config: 1024 * 1024,
  /** An `http:` target's JSON config file. */
  target: 1024 * 1024,
} as const;

export type InputKind = keyof typeof INPUT_LIMITS;

export interface ReadInputOptions {
  /** What the file is, for messages: "suite file", "transcripts file"... */
  what: string;
  kind: InputKind;
  /** The error code for a missing or unreadable file (default BAD_ARGUMENT). */
  code?: ErrorCode;
  hint?: string;
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 1024 * 1024 ? 2 : 0)} MB`;
}

/** The file's text; throws with the path when it is missing, too large or not UTF-8. */
export function readInputText(file: string, options: ReadInputOptions): string {
  const code = options.code ?? "BAD_ARGUMENT";
  const limit = INPUT_LIMITS[options.kind];
  let size: number;
  try {
    const info = statSync(file);
    if (info.isDirectory()) {
      throw new CareprobeError(code, `The ${options.what} ${file} is a directory, not a file.`, {
        ...(options.hint ? { hint: options.hint } : {}),
      });
    }
    size = info.size;
  } catch (error) {
    if (error instanceof CareprobeError) throw error;
    throw unreadable(file, error, code, options);
  }
  if (size > limit) {
    throw new CareprobeError(
      contentCode(options.kind),
      `The ${options.what} ${file} is ${megabytes(size)}; the limit for a ${options.what} is ${megabytes(limit)}.`,
      { hint: "Check that this is the file you meant; split a very large file into several." },
    );
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw unreadable(file, error, code, options);
  }
  return decodeUtf8(bytes, file, options.what, contentCode(options.kind));
}

/** The code for a file that was read but is wrong inside. */
function contentCode(kind: InputKind): ErrorCode {
  if (kind === "suite") return "SUITE_INVALID";
  if (kind === "config") return "CONFIG_INVALID";
  if (kind === "target") return "TARGET_CONFIG";
  return "BAD_ARGUMENT";
}

function unreadable(
  file: string,
  error: unknown,
  code: ErrorCode,
  options: ReadInputOptions,
): CareprobeError {
  const errno = (error as NodeJS.ErrnoException).code;
  const message =
    errno === "ENOENT"
      ? `The ${options.what} ${file} does not exist.`
      : `Cannot read the ${options.what} ${file} (${errno ?? "unknown error"}).`;
  return new CareprobeError(code, message, {
    ...(options.hint ? { hint: options.hint } : {}),
    cause: error,
  });
}

/** UTF-8 text without its byte-order mark; UTF-16 and other encodings are named as such. */
export function decodeUtf8(
  bytes: Uint8Array,
  file: string,
  what: string,
  code: ErrorCode = "BAD_ARGUMENT",
): string {
  const utf16 =
    (bytes[0] === 0xff && bytes[1] === 0xfe) ||
    (bytes[0] === 0xfe && bytes[1] === 0xff) ||
    (bytes.length >= 2 && (bytes[0] === 0 || bytes[1] === 0));
  if (utf16) {
    throw new CareprobeError(code, `${file}: the ${what} is not UTF-8 (it looks like UTF-16).`, {
      hint: "Save it as UTF-8 (in most editors: Save with encoding → UTF-8).",
    });
  }
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    // Lossy decoding marks the first bad byte; its line is what the user needs.
    const lossy = new TextDecoder("utf-8").decode(bytes);
    const before = lossy.slice(0, Math.max(0, lossy.indexOf("\uFFFD")));
    const line = before.split("\n").length;
    throw new CareprobeError(code, `${file}:${line}: the ${what} is not UTF-8.`, {
      hint: "Save it as UTF-8 (in most editors: Save with encoding → UTF-8).",
    });
  }
}
