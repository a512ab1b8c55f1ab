/** `report --items` for conversations: one JSON line, or one CSV row, per conversation. */
import { csvLine } from "../../core/csv.js";
import type { ItemFormat } from "../experiment.js";
import type { ConversationItemRow } from "./rows.js";

const COLUMNS: Array<keyof ConversationItemRow> = [
  "suite",
  "item_id",
  "persona",
  "target",
  "arm",
  "sample",
  "condition",
  "severity",
  "benign",
  "end",
  "outcome",
  "final_outcome",
  "first_failure_turn",
  "turns",
  "final_checks",
];

export function renderConversationItems(rows: ConversationItemRow[], format: ItemFormat): string {
  if (format === "jsonl") {
    return rows.map((row) => JSON.stringify(row)).join("\n") + (rows.length > 0 ? "\n" : "");
  }
  const lines = [COLUMNS.join(",")];
  for (const row of rows) {
    lines.push(
      csvLine(
        COLUMNS.map((column) => {
          const value = row[column];
          return value !== null && typeof value === "object" ? JSON.stringify(value) : value;
        }),
      ),
    );
  }
  return `${lines.join("\n")}\n`;
}
