/**
 * Judge validation: how well raters (an LLM judge and human annotators) agree on the same
 * items, overall and per condition, each coefficient with a seeded bootstrap interval.
 * See docs/design/judge-validation.md for what enters each number and why.
 */
import {
  bootstrapStatistic,
  cohenKappa,
  confusionMatrix,
  fleissKappa,
  krippendorffAlpha,
  type Label,
  percentAgreement,
} from "../analysis/agreement.js";
import { deriveSeed, type Seed } from "../analysis/random.js";
import { parseCsv } from "../core/csv.js";
import { CareprobeError, internalError } from "../core/errors.js";

/** Labels of several raters on the same items; every array is aligned with `ids`. */
export interface RaterTable {
  ids: string[];
  conditions?: string[]; // the condition of each item, for per-condition rows
  /** Rater name → one label per item (null when that rater did not label it). */
  raters: Record<string, Label[]>;
}

export interface ValidateOptions {
  seed: Seed;
  /** Bootstrap resamples per coefficient; default 10,000. */
  resamples?: number;
  /** The rater compared with every other in confusion matrices (the judge); default the first. */
  reference?: string;
}

/** One coefficient: its value, the items it rests on, and a 95% bootstrap interval. */
export interface Estimate {
  /** Items that entered the coefficient (and were resampled). */
  n: number;
  /** null when undefined: no items, or a single category throughout. */
  value: number | null;
  /**
   * Percentile bootstrap over the same items; null when more than 1% of resamples left
   * the coefficient undefined (see `undefinedResamples`) or none gave a number.
   */
  ci95: [number, number] | null;
  /** Resamples where the coefficient was undefined (one category only). */
  undefinedResamples: number;
}

export interface PairAgreement {
  raters: [string, string];
  n: number; // items both raters labelled
  percentAgreement: Estimate;
  cohenKappa: Estimate;
}

export interface ReferenceConfusion {
  reference: string;
  rater: string;
  n: number; // items both labelled
  /** Rows: the reference's label; columns: the other rater's. */
  labels: string[];
  counts: number[][];
}

export interface AgreementGroup {
  /** A condition, or `overall` for all items. */
  condition: string;
  /** Items in the group, labelled by anyone or not. */
  items: number;
  /** Items each rater labelled. */
  labelled: Record<string, number>;
  pairs: PairAgreement[];
  /** Over the items every rater labelled. */
  fleissKappa: Estimate;
  /** Over the items at least two raters labelled. */
  krippendorffAlpha: Estimate;
  confusion: ReferenceConfusion[];
}

export interface ValidationReport {
  raters: string[];
  reference: string;
  /** Every label used, sorted: the rows and columns of the confusion matrices. */
  labels: string[];
  seed: string;
  resamples: number;
  overall: AgreementGroup;
  conditions: AgreementGroup[];
}

function badArgument(message: string): CareprobeError {
  return new CareprobeError("BAD_ARGUMENT", message);
}

function checkTable(table: RaterTable, names: string[]): void {
  const count = table.ids.length;
  if (names.length < 2)
    throw internalError(`Agreement needs at least 2 raters, got ${names.length}.`);
  for (const name of names) {
    const labels = table.raters[name] as Label[];
    if (labels.length !== count) {
      throw internalError(`Rater "${name}" has ${labels.length} labels for ${count} items.`);
    }
  }
  if (table.conditions !== undefined && table.conditions.length !== count) {
    throw internalError(`There are ${table.conditions.length} conditions for ${count} items.`);
  }
  const seen = new Set<string>();
  for (const id of table.ids) {
    if (seen.has(id)) throw internalError(`Item id "${id}" appears more than once.`);
    seen.add(id);
  }
}

type Row = Label[];

/**
 * Above this share of undefined resamples no interval is reported: the defined ones are
 * those that happened to catch the rare category, and their spread is not the sampling
 * spread of the coefficient (a kappa of 0 with 95% agreement can get an interval that
 * excludes 0).
 */
const MAX_UNDEFINED_SHARE = 0.01;

function estimate<T>(
  items: T[],
  statistic: (sample: readonly T[]) => number,
  seed: string,
  resamples: number,
): Estimate {
  if (items.length === 0) return { n: 0, value: null, ci95: null, undefinedResamples: 0 };
  const value = statistic(items);
  const boot = bootstrapStatistic(items, statistic, { seed, resamples });
  return {
    n: items.length,
    value: Number.isNaN(value) ? null : value,
    ci95: boot.undefinedResamples > MAX_UNDEFINED_SHARE * resamples ? null : boot.interval,
    undefinedResamples: boot.undefinedResamples,
  };
}

/** A two-rater coefficient as a statistic of [label, label] rows. */
const onPairs = (coefficient: (a: Label[], b: Label[]) => number) => (sample: readonly Row[]) =>
  coefficient(
    sample.map((row) => row[0] ?? null),
    sample.map((row) => row[1] ?? null),
  );
const pairAgreement = onPairs(percentAgreement);
const pairKappa = onPairs(cohenKappa);

interface GroupContext {
  names: string[];
  reference: string;
  labels: string[];
  resamples: number;
  seed: (...parts: string[]) => string;
}

/** Every coefficient over the items `rows` (items × raters, in `names` order). */
function agreementGroup(condition: string, rows: Row[], context: GroupContext): AgreementGroup {
  const { names, resamples, seed } = context;
  const labelled: Record<string, number> = {};
  names.forEach((name, r) => {
    labelled[name] = rows.filter((row) => row[r] != null).length;
  });
  const pairs: PairAgreement[] = [];
  for (let r = 0; r < names.length; r++) {
    for (let s = r + 1; s < names.length; s++) {
      const pair = rows
        .map((row): Row => [row[r] ?? null, row[s] ?? null])
        .filter((row) => row[0] != null && row[1] != null);
      const raters: [string, string] = [names[r] as string, names[s] as string];
      pairs.push({
        raters,
        n: pair.length,
        percentAgreement: estimate(pair, pairAgreement, seed("percent", ...raters), resamples),
        cohenKappa: estimate(pair, pairKappa, seed("cohen", ...raters), resamples),
      });
    }
  }
  const complete = rows.filter((row) => row.every((label) => label != null));
  const pairable = rows.filter((row) => row.filter((label) => label != null).length >= 2);
  const referenceIndex = names.indexOf(context.reference);
  const referenceLabels = rows.map((row) => row[referenceIndex] ?? null);
  const confusion = names
    .map((rater, r): ReferenceConfusion | null => {
      if (r === referenceIndex) return null;
      const other = rows.map((row) => row[r] ?? null);
      const matrix = confusionMatrix(referenceLabels, other, context.labels);
      const n = matrix.counts.flat().reduce((sum, count) => sum + count, 0);
      return { reference: context.reference, rater, n, ...matrix };
    })
    .filter((entry): entry is ReferenceConfusion => entry !== null);
  return {
    condition,
    items: rows.length,
    labelled,
    pairs,
    fleissKappa: estimate(complete, fleissKappa, seed("fleiss", ...names), resamples),
    krippendorffAlpha: estimate(pairable, krippendorffAlpha, seed("alpha", ...names), resamples),
    confusion,
  };
}

/**
 * Agreement of every pair of raters and of all raters together, overall and per
 * condition. Each coefficient's interval resamples the items that entered it, with a
 * seed derived from the run's seed, the group and the coefficient, so adding a condition
 * or a rater leaves the other intervals unchanged.
 */
export function validateRaters(table: RaterTable, options: ValidateOptions): ValidationReport {
  const names = Object.keys(table.raters);
  checkTable(table, names);
  const reference = options.reference ?? (names[0] as string);
  if (!names.includes(reference)) {
    throw badArgument(`Reference rater "${reference}" is not one of: ${names.join(", ")}.`);
  }
  const resamples = options.resamples ?? 10_000;
  const columns = names.map((name) => table.raters[name] as Label[]);
  const rows: Row[] = table.ids.map((_, i) => columns.map((column) => column[i] ?? null));
  const labels = [
    ...new Set(columns.flat().filter((label): label is string => label != null)),
  ].sort();
  const base = { names, reference, labels, resamples };
  const seedFor =
    (...scope: string[]) =>
    (...parts: string[]) =>
      deriveSeed(options.seed, "judge-validation", ...scope, ...parts);
  const overall = agreementGroup("overall", rows, { ...base, seed: seedFor("overall") });
  const byCondition = new Map<string, Row[]>();
  table.conditions?.forEach((condition, i) => {
    if (!byCondition.has(condition)) byCondition.set(condition, []);
    byCondition.get(condition)?.push(rows[i] as Row);
  });
  const conditions = [...byCondition].map(([condition, group]) =>
    agreementGroup(condition, group, { ...base, seed: seedFor("condition", condition) }),
  );
  const seed = String(options.seed);
  return { raters: names, reference, labels, seed, resamples, overall, conditions };
}

export interface RaterCsvColumns {
  idColumn: string;
  /** Column names (each rater named after its column), or rater name → column name. */
  raterColumns: readonly string[] | Readonly<Record<string, string>>;
  conditionColumn?: string;
}

/** A label as raters wrote it, made comparable: trimmed, lower-cased; empty → null. */
export function normalizeLabel(raw: string): Label {
  const label = raw.trim().toLowerCase();
  return label === "" ? null : label;
}

/** Reads a CSV of items with one label column per rater (e.g. a judge and annotators). */
export function readRaterCsv(text: string, file: string, columns: RaterCsvColumns): RaterTable {
  const csv = parseCsv(text, file);
  const columnIndex = (name: string): number => {
    const index = csv.header.indexOf(name);
    if (index < 0) {
      throw badArgument(`${file}: no column "${name}"; the header has: ${csv.header.join(", ")}.`);
    }
    if (csv.header.indexOf(name, index + 1) >= 0) {
      throw badArgument(`${file}: column "${name}" appears more than once in the header.`);
    }
    return index;
  };
  const raterColumns: Array<[string, string]> = Array.isArray(columns.raterColumns)
    ? (columns.raterColumns as readonly string[]).map((column) => [column, column])
    : Object.entries(columns.raterColumns);
  const idIndex = columnIndex(columns.idColumn);
  const conditionIndex =
    columns.conditionColumn === undefined ? undefined : columnIndex(columns.conditionColumn);
  const raterIndexes = raterColumns.map(([name, column]) => [name, columnIndex(column)] as const);
  const firstLine = new Map<string, number>();
  const ids = csv.rows.map((row, r) => {
    const id = (row[idIndex] as string).trim();
    const line = csv.rowLines[r] as number;
    if (id === "")
      throw badArgument(`${file}:${line}: the id column "${columns.idColumn}" is empty.`);
    const earlier = firstLine.get(id);
    if (earlier !== undefined) {
      throw badArgument(`${file}:${line}: id "${id}" appears again (first on line ${earlier}).`);
    }
    firstLine.set(id, line);
    return id;
  });
  const raters: Record<string, Label[]> = {};
  for (const [name, index] of raterIndexes) {
    raters[name] = csv.rows.map((row) => normalizeLabel(row[index] as string));
  }
  const table: RaterTable = { ids, raters };
  if (conditionIndex !== undefined) {
    table.conditions = csv.rows.map((row) => (row[conditionIndex] as string).trim());
  }
  return table;
}
