/** A suite's identity: sha256 over canonical JSON of everything that changes what is sent or scored. */
import { createHash } from "node:crypto";

function sortKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort())
    sorted[key] = (value as Record<string, unknown>)[key];
  return sorted;
}

/** JSON with object keys sorted at every depth, so equal content gives equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, sortKeys) ?? "null";
}

/** Feature tags (`features: [...]` lists) say what a check tests, not what is sent or scored. */
function withoutFeatureTags(key: string, value: unknown): unknown {
  if (key === "features" && Array.isArray(value)) return undefined;
  return sortKeys(key, value);
}

/**
 * Formatting, key order and file layout do not change the hash; content does. Pass
 * everything that changes what is sent or how it is scored (never the description).
 * Feature tags are left out, so tagging a suite changes no run and no published number.
 */
export function suiteHash(content: object): string {
  const json = JSON.stringify(content, withoutFeatureTags) ?? "null";
  return createHash("sha256").update(json).digest("hex");
}
