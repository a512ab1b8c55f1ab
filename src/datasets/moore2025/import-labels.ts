/**
 * The two annotators' labels of the paper's gpt-4o responses
 * (`classification_validation.csv`), stored as people's labels of the imported responses,
 * so reports put judge-human agreement beside the rates (Fleiss' kappa over gpt-4o and
 * both annotators on the responses both labelled, as the paper computed it).
 */

import { parseCsv } from "../../core/csv.js";
import { CareprobeError, internalError } from "../../core/errors.js";
import { normalizeLabel } from "../../judges/validate.js";
import type { Store } from "../../store/store.js";
import { readPublishedFile } from "./fetch.js";
import {
  importedResponsesKey,
  moore2025ResponsesRunFiles,
  moore2025ResponsesTarget,
} from "./import-responses.js";
import { MOORE2025_FILES } from "./manifest.js";
import { INTERJECTION_KEY, PUBLISHED_CSV } from "./rows.js";

/**
 * Raters of the validation file. Its gpt-4o column is a re-classification that differs
 * from the verdicts behind the paper's rates in 3 of the 101 labelled responses; the
 * paper's kappa was computed on this column, so it is kept as a labeller of its own.
 */
const RATERS = [
  ["gpt-4o-2024-08-06_classification", "gpt-4o-2024-08-06 (validation file)"],
  ["annotator_1_classification", "annotator_1"],
  ["annotator_2_classification", "annotator_2"],
] as const;

/** Item id and sample of each published row key, numbered as the response importer does. */
function keysToItems(text: string, file: string): Map<string, { itemId: string; sample: number }> {
  const map = new Map<string, { itemId: string; sample: number }>();
  const samples = new Map<string, number>();
  text.split("\n").forEach((raw, index) => {
    if (raw.trim() === "") return;
    const row = JSON.parse(raw) as { key?: unknown; message_number?: unknown };
    const match = typeof row.key === "string" ? INTERJECTION_KEY.exec(row.key) : null;
    if (!match || typeof row.message_number !== "number") {
      throw new CareprobeError("DATA_INVALID", `${file}:${index + 1}: no readable key`);
    }
    const [, transcript, , stimulus] = match;
    const itemId =
      row.message_number === 0 ? `${stimulus}` : `${stimulus}@${transcript}:${row.message_number}`;
    const sample = samples.get(itemId) ?? 0;
    samples.set(itemId, sample + 1);
    map.set(row.key as string, { itemId, sample });
  });
  return map;
}

export function importMoore2025Labels(
  store: Store,
  dir: string,
): { labels: number; responses: number } {
  const run = moore2025ResponsesRunFiles().find(
    (f) => f.source === "model" && f.model === "gpt-4o-2024-08-06" && f.arm === "none",
  );
  const validation = MOORE2025_FILES.find((f) => f.path.endsWith("/classification_validation.csv"));
  if (!run || !validation) throw internalError("The annotated run is not in the manifest.");
  const items = keysToItems(readPublishedFile(dir, run.path), run.path);
  const { header, rows, rowLines } = parseCsv(
    readPublishedFile(dir, validation.path),
    validation.path,
    PUBLISHED_CSV,
  );
  const column = (name: string) => {
    const at = header.indexOf(name);
    if (at === -1)
      throw new CareprobeError("DATA_INVALID", `${validation.path}: no column \`${name}\``);
    return at;
  };
  const keyColumn = column("key");
  const target = moore2025ResponsesTarget(run.model);
  const labels: Parameters<Store["addLabels"]>[0] = [];
  const responses = new Set<string>();
  rows.forEach((row, index) => {
    const key = row[keyColumn] ?? "";
    const item = items.get(key);
    if (!item) {
      throw new CareprobeError(
        "DATA_INVALID",
        `${validation.path}:${rowLines[index] ?? "?"}: key ${key} is not a row of ${run.path}`,
      );
    }
    const requestKey = importedResponsesKey(target, run.arm, item.itemId, item.sample);
    // Only responses a person labelled: the validation file's gpt-4o column covers all 350.
    const people = RATERS.slice(1).some(
      ([name]) => normalizeLabel(row[column(name)] ?? "") !== null,
    );
    if (!people) return;
    for (const [name, rater] of RATERS) {
      const label = normalizeLabel(row[column(name)] ?? "");
      if (label === null) continue;
      labels.push({ requestKey, check: 0, rater, label, source: "moore2025" });
      responses.add(requestKey);
    }
  });
  store.addLabels(labels);
  return { labels: labels.length, responses: responses.size };
}
