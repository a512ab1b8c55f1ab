/**
 * The mapping review of Moore et al. (FAccT 2025), read from its published
 * `data/annotations.csv`: one row per clinical guideline, one column per feature of care,
 * a cell that is `Yes`, a comma-separated list of sub-items, or empty (not named).
 */
import { readFileSync } from "node:fs";
import { parseCsv } from "../core/csv.js";
import { CareprobeError } from "../core/errors.js";
import { FEATURES, type Feature } from "./features.js";

/** Where the review sits in the published repository. */
export const ANNOTATIONS_PATH = "data/annotations.csv";

export interface ReviewSubItem {
  id: string;
  label: string;
  textTestable: boolean;
  /** The guidelines (their citation keys) that name this sub-item. */
  guidelines: string[];
  count: number;
}

export interface ReviewFeature {
  id: string;
  label: string;
  textTestable: boolean;
  why: string;
  /** The guidelines that name the feature at all (any sub-item, or `Yes`). */
  guidelines: string[];
  count: number;
  /** The number of guidelines reviewed (10). */
  of: number;
  subItems: ReviewSubItem[];
}

export interface MappingReview {
  /** The citation keys of the guidelines, in file order. */
  guidelines: string[];
  features: ReviewFeature[];
}

const NOT_PUBLISHED =
  "This is not the published annotations.csv; run `careprobe fetch moore2025` again to restore the verified copy.";
const PUBLISHED_CSV = { code: "DATA_INVALID", hint: NOT_PUBLISHED } as const;

function reviewError(file: string, line: number, message: string): CareprobeError {
  return new CareprobeError("DATA_INVALID", `${file}:${line}: ${message}`, { hint: NOT_PUBLISHED });
}

/** Parses the review; any column, value or cell careprobe does not know is an error. */
export function parseMappingReview(text: string, file: string): MappingReview {
  const table = parseCsv(text, file, PUBLISHED_CSV);
  const expected = ["Natbib", ...FEATURES.map((f) => f.column)];
  const mismatch = expected.findIndex((column, i) => table.header[i] !== column);
  if (mismatch !== -1 || table.header.length !== expected.length) {
    const at = mismatch === -1 ? expected.length : mismatch;
    throw reviewError(
      file,
      1,
      `column ${at + 1} should be "${expected[at] ?? "(none)"}", found "${table.header[at] ?? "(none)"}".`,
    );
  }
  const guidelines = table.rows.map((row) => row[0] ?? "");
  const features = FEATURES.map((feature, column) => {
    const named: string[] = [];
    const bySub = new Map<string, string[]>(feature.subItems.map((s) => [s.id, []]));
    table.rows.forEach((row, r) => {
      const cell = (row[column + 1] ?? "").trim();
      if (cell === "") return;
      const guideline = guidelines[r] ?? "";
      named.push(guideline);
      for (const subId of cellSubItems(feature, cell, file, table.rowLines[r] ?? 0))
        bySub.get(subId)?.push(guideline);
    });
    return {
      id: feature.id,
      label: feature.label,
      textTestable: feature.textTestable,
      why: feature.why,
      guidelines: named,
      count: named.length,
      of: guidelines.length,
      subItems: feature.subItems.map((s) => {
        const list = bySub.get(s.id) ?? [];
        return {
          id: s.id,
          label: s.label,
          textTestable: s.textTestable,
          guidelines: list,
          count: list.length,
        };
      }),
    };
  });
  return { guidelines, features };
}

/** The sub-item ids a cell names; `Yes` names the feature without sub-items. */
function cellSubItems(feature: Feature, cell: string, file: string, line: number): string[] {
  if (feature.subItems.length === 0) {
    if (cell !== "Yes")
      throw reviewError(file, line, `"${feature.column}" should be Yes or empty, found "${cell}".`);
    return [];
  }
  return cell.split(",").map((part) => {
    const label = part.trim();
    const subItem = feature.subItems.find((s) => s.label === label);
    if (!subItem) {
      throw reviewError(
        file,
        line,
        `"${feature.column}" lists "${label}"; known: ${feature.subItems.map((s) => s.label).join(", ")}.`,
      );
    }
    return subItem.id;
  });
}

export function readMappingReview(path: string): MappingReview {
  return parseMappingReview(readFileSync(path, "utf8"), path);
}
