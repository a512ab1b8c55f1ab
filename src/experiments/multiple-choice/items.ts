/** `careprobe report --items` for multiple-choice runs: JSONL, or CSV safe to open in a spreadsheet. */
import { csvLine } from "../../core/csv.js";
import type { ItemRow } from "./collect.js";

const ITEM_COLUMNS: Array<keyof ItemRow> = [
  "suite",
  "item_id",
  "target",
  "arm",
  "sample",
  "condition",
  "question_id",
  "question",
  "output",
  "answer",
  "letter",
  "outcome",
  "measures_stigma",
  "error",
  "warnings",
];

export function renderItemsJsonl(items: ItemRow[]): string {
  return items.map((item) => JSON.stringify(item)).join("\n") + (items.length > 0 ? "\n" : "");
}

export function renderItemsCsv(items: ItemRow[]): string {
  const lines = [ITEM_COLUMNS.join(",")];
  for (const item of items) {
    lines.push(
      csvLine(
        ITEM_COLUMNS.map((c) => (Array.isArray(item[c]) ? JSON.stringify(item[c]) : item[c])),
      ),
    );
  }
  return `${lines.join("\n")}\n`;
}
