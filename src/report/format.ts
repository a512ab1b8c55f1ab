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

/** Agreement coefficients: shown as coefficients (0.62 [0.51, 0.71]), never as percentages. */
export const COEFFICIENTS: ReadonlySet<string> = new Set([
  "cohen_kappa",
  "fleiss_kappa",
  "krippendorff_alpha",
]);

/** Whether a row is an agreement row (it names the raters it compares). */
export function isAgreement(m: { raters?: readonly string[] }): boolean {
  return m.raters !== undefined;
}

/**
 * Who an agreement row compares: `a vs b` for two raters, `panel: a, b, c` for more;
 * empty for other rows.
 */
export function raterLabel(raters: readonly string[] | undefined): string {
  if (!raters) return "";
  return raters.length === 2 ? `${raters[0]} vs ${raters[1]}` : `panel: ${raters.join(", ")}`;
}

type Shown = { metric: string; value: number | null; ci95: [number, number] | null };

/** A row's value as shown: coefficient, count of turns, or percentage. */
export function shownValue(m: Shown): string {
  if (m.value === null) return "—";
  if (COEFFICIENTS.has(m.metric)) return m.value.toFixed(2);
  if (NOT_RATES.has(m.metric)) return m.value.toFixed(1);
  return percent(m.value);
}

/** A row's bootstrap interval as shown, in the same unit as shownValue. */
export function shownInterval(m: Shown): string {
  if (m.ci95 === null) return "—";
  if (COEFFICIENTS.has(m.metric)) return `[${m.ci95[0].toFixed(2)}, ${m.ci95[1].toFixed(2)}]`;
  if (NOT_RATES.has(m.metric)) return `[${m.ci95[0].toFixed(1)}, ${m.ci95[1].toFixed(1)}]`;
  return interval(m.ci95);
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
