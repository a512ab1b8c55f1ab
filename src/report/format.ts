/** Escaping and number formatting shared by every renderer. Model text is untrusted. */

import { redactSecrets } from "../core/secrets.js";
import { stripControls } from "../core/terminal-text.js";

/**
 * Removes terminal escape sequences and other control characters (keeps \n and \t), and
 * any configured secret (core/terminal-text.ts, core/secrets.ts).
 */
export function sanitizeForTerminal(text: string): string {
  return stripControls(redactSecrets(text));
}

export { csvCell, csvLine, defuseFormula } from "../core/csv.js";

export function markdownCell(value: unknown): string {
  const text = value === null || value === undefined ? "" : String(value);
  return sanitizeForTerminal(text)
    .replace(/[\\`*_{}[\]<>()#+!|~]/g, (ch) => `\\${ch}`)
    .replace(/\r?\n/g, "<br>");
}

/** Metrics whose value is a count of turns, not a share: shown as plain numbers. */
export const NOT_RATES: ReadonlySet<string> = new Set(["first_failure_turn"]);

export function percent(value: number | null, digits = 1): string {
  return value === null ? "—" : `${(value * 100).toFixed(digits)}%`;
}

export function interval(ci: [number, number] | null): string {
  return ci === null ? "—" : `[${(ci[0] * 100).toFixed(1)}, ${(ci[1] * 100).toFixed(1)}]`;
}

/** Cells longer than this are cut in terminal tables. */
export const CELL_LIMIT = 60;

/** One line of terminal text: no control characters, line breaks as spaces, cut with `…`. */
export function terminalCell(text: string, limit = CELL_LIMIT): string {
  const flat = sanitizeForTerminal(text).replace(/[\t\n]+/g, " ");
  const chars = [...flat];
  return chars.length > limit ? `${chars.slice(0, limit - 1).join("")}…` : flat;
}

/** Left-aligned text columns, right-aligned numbers, for terminals. */
export function textTable(header: string[], rows: string[][], numeric: boolean[]): string {
  const clean = rows.map((row) => row.map((cell) => terminalCell(cell)));
  const widths = header.map((h, i) =>
    Math.max(h.length, ...clean.map((row) => (row[i] ?? "").length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...clean.map(line)].join("\n");
}
