/** What every reader of the paper's row files shares. */

import type { CsvErrors } from "../../core/csv.js";
import { CareprobeError } from "../../core/errors.js";

/** The fix for a published file that is not as published (DATA_INVALID, exit 2). */
export const REFETCH =
  "The file is not the paper's data as published: fetch the published files again with `careprobe fetch moore2025`.";

/** Errors of a published CSV file: DATA_INVALID, with the fix. */
export const PUBLISHED_CSV: CsvErrors = { code: "DATA_INVALID", hint: REFETCH };

/**
 * The key of an interjection row: `<transcript_index>_<condition>_<stimulus>_<message_number>`
 * (conditions may hold spaces and commas). Groups: transcript, condition, stimulus, number.
 */
export const INTERJECTION_KEY = /^(\d+)_(.+)_([a-z][a-z0-9-]*)_(\d+)$/;

/** One JSONL line that must be a JSON object; `where` is `file:line` for the error. */
export function parseJsonObjectLine(raw: string, where: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new CareprobeError("DATA_INVALID", `${where}: not a JSON line`, {
      hint: REFETCH,
      cause: error,
    });
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new CareprobeError("DATA_INVALID", `${where}: expected a JSON object`, {
      hint: REFETCH,
    });
  }
  return value as Record<string, unknown>;
}
