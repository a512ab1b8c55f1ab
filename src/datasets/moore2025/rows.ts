/** What every reader of the paper's row files shares. */
import { CareprobeError } from "../../core/errors.js";

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
    throw new CareprobeError("SUITE_INVALID", `${where}: not a JSON line`, { cause: error });
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new CareprobeError("SUITE_INVALID", `${where}: expected a JSON object`);
  }
  return value as Record<string, unknown>;
}
