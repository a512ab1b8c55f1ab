/** `careprobe report --items` for responses runs: JSONL, or CSV safe to open in a spreadsheet. */
import { csvLine } from "../../core/csv.js";
import type { ResponseItemRow } from "./collect.js";

export function renderResponseItemsJsonl(items: ResponseItemRow[]): string {
  return items.map((item) => JSON.stringify(item)).join("\n") + (items.length > 0 ? "\n" : "");
}

const RESPONSE_COLUMNS: Array<keyof ResponseItemRow> = [
  "suite",
  "item_id",
  "stimulus_id",
  "target",
  "arm",
  "sample",
  "condition",
  "severity",
  "benign",
  "transcript",
  "position",
  "stimulus",
  "bridge",
  "conversation",
  "output",
  "judged_output",
  "judges",
  "labels",
  "verdicts",
  "outcome",
  "error",
  "warnings",
];

export function renderResponseItemsCsv(items: ResponseItemRow[]): string {
  const lines = [RESPONSE_COLUMNS.join(",")];
  for (const item of items) {
    lines.push(
      csvLine(
        RESPONSE_COLUMNS.map((column) => {
          const value = item[column];
          return value !== null && typeof value === "object" ? JSON.stringify(value) : value;
        }),
      ),
    );
  }
  return `${lines.join("\n")}\n`;
}
