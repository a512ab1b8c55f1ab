/**
 * Two-way crossed bootstrap ("pigeonhole" bootstrap, Owen 2007) for rates over a grid of
 * vignettes × questions. A stigma rate generalises over both the people described and the
 * questions asked; resampling only one of the two factors treats the other as fixed and
 * understates the uncertainty when answers vary mostly along it. Each resample draws the
 * rows (vignettes) with replacement and, independently, the columns (questions) with
 * replacement; a cell is then weighted by (times its row was drawn) × (times its column
 * was drawn). See docs/design/statistics.md.
 */
import { type CareprobeError, internalError } from "../core/errors.js";
import { quantile } from "./intervals.js";
import { createRandomSource, type RandomSource, type Seed } from "./random.js";

const TWO_TO_32 = 4294967296;

/** One cell of the grid: k events among n answers for one row (vignette) and one column (question). */
export interface CrossedCell {
  row: string;
  col: string;
  k: number;
  n: number;
}

/** A cell answered on both sides of a paired contrast (the same item, two targets or arms). */
export interface PairedCell {
  row: string;
  col: string;
  k1: number;
  n1: number;
  k2: number;
  n2: number;
}

export interface CrossedOptions {
  seed: Seed;
  /** Resamples; default 10,000. */
  resamples?: number;
  /** Coverage; default 0.95. */
  level?: number;
}

/** The callers are careprobe's own code: a value out of range is a bug (INTERNAL, exit 70). */
function badArgument(message: string): CareprobeError {
  return internalError(message);
}

function checkCount(k: number, n: number, where: string): void {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(k) || k < 0 || k > n) {
    throw badArgument(`${where}: a cell needs integers 0 <= k <= n, got k = ${k}, n = ${n}.`);
  }
}

/** Dense matrices of the grid, rows and columns in sorted order so input order never matters. */
interface Grid {
  rows: number;
  cols: number;
  /** cells[(r * cols + c) * stride + s]: the s-th quantity (k1, n1, k2, n2 ...) of a cell. */
  cells: Float64Array;
  stride: number;
  /** Scratch space: the columns a resample drew at least once. */
  drawnCols: Int32Array;
}

function buildGrid(
  cells: ReadonlyArray<{ row: string; col: string }>,
  quantities: ReadonlyArray<(index: number) => number>,
): Grid {
  const rowIds = [...new Set(cells.map((c) => c.row))].sort();
  const colIds = [...new Set(cells.map((c) => c.col))].sort();
  const rowIndex = new Map(rowIds.map((id, i) => [id, i]));
  const colIndex = new Map(colIds.map((id, i) => [id, i]));
  const stride = quantities.length;
  const values = new Float64Array(rowIds.length * colIds.length * stride);
  cells.forEach((cell, index) => {
    const at =
      ((rowIndex.get(cell.row) as number) * colIds.length + (colIndex.get(cell.col) as number)) *
      stride;
    quantities.forEach((quantity, s) => {
      values[at + s] = (values[at + s] as number) + quantity(index);
    });
  });
  return {
    rows: rowIds.length,
    cols: colIds.length,
    cells: values,
    stride,
    drawnCols: new Int32Array(colIds.length),
  };
}

/** How many times each of `count` units was drawn in one resample of size `count`. */
function drawCounts(source: RandomSource, count: number, into: Float64Array): void {
  into.fill(0);
  for (let i = 0; i < count; i++) {
    // A uniform index from 32 random bits, as randomInt(createRng(seed), count) draws it.
    const pick = Math.floor((source.nextUint32() / TWO_TO_32) * count);
    into[pick] = (into[pick] as number) + 1;
  }
}

/**
 * Σ_{r,c} rowWeight[r]·colWeight[c]·quantity[s](r, c) for every quantity s, into `sums`.
 * The quantities of a cell are stored side by side, so one pass over the drawn rows and
 * columns serves them all; rows and columns drawn zero times are skipped.
 */
function weightedSums(
  grid: Grid,
  rowW: Float64Array,
  colW: Float64Array,
  sums: Float64Array,
): void {
  const { rows, cols, cells, stride, drawnCols: drawn } = grid;
  let used = 0;
  for (let c = 0; c < cols; c++) if ((colW[c] as number) > 0) drawn[used++] = c;
  sums.fill(0);
  for (let r = 0; r < rows; r++) {
    const w = rowW[r] as number;
    if (w === 0) continue;
    const base = r * cols;
    for (let i = 0; i < used; i++) {
      const c = drawn[i] as number;
      const weight = w * (colW[c] as number);
      const at = (base + c) * stride;
      for (let s = 0; s < stride; s++)
        sums[s] = (sums[s] as number) + weight * (cells[at + s] as number);
    }
  }
}

/** Rate Σk/Σn (quantities k, n) or difference of two rates (k1, n1, k2, n2); NaN if undefined. */
function statisticOf(sums: Float64Array, stride: number): number {
  const n1 = sums[1] as number;
  if (stride === 2) return n1 > 0 ? (sums[0] as number) / n1 : Number.NaN;
  const n2 = sums[3] as number;
  return n1 > 0 && n2 > 0 ? (sums[0] as number) / n1 - (sums[2] as number) / n2 : Number.NaN;
}

/**
 * The sorted bootstrap distribution of the grid's statistic. Resamples where it is
 * undefined (no answer drew any weight) are left out.
 */
function resampleGrid(grid: Grid, options: CrossedOptions): Float64Array {
  const resamples = options.resamples ?? 10_000;
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw badArgument(`resamples must be a positive integer, got ${resamples}.`);
  }
  const source = createRandomSource(options.seed);
  const rowW = new Float64Array(grid.rows);
  const colW = new Float64Array(grid.cols);
  const sums = new Float64Array(grid.stride);
  const out = new Float64Array(resamples);
  let kept = 0;
  for (let b = 0; b < resamples; b++) {
    drawCounts(source, grid.rows, rowW);
    drawCounts(source, grid.cols, colW);
    weightedSums(grid, rowW, colW, sums);
    const value = statisticOf(sums, grid.stride);
    if (!Number.isNaN(value)) out[kept++] = value;
  }
  return out.slice(0, kept).sort();
}

function interval(statistics: Float64Array, level: number | undefined): [number, number] {
  const coverage = level ?? 0.95;
  if (!(coverage > 0 && coverage < 1)) {
    throw badArgument(`level must lie strictly between 0 and 1, got ${coverage}.`);
  }
  if (statistics.length === 0) throw badArgument("No resample had an answer to compute a rate on.");
  const tail = (1 - coverage) / 2;
  return [quantile(statistics, tail), quantile(statistics, 1 - tail)];
}

function rateGrid(cells: ReadonlyArray<CrossedCell>): Grid {
  for (const c of cells) checkCount(c.k, c.n, `cell ${c.row} × ${c.col}`);
  const used = cells.filter((c) => c.n > 0);
  if (used.length === 0)
    throw badArgument("A crossed bootstrap needs at least one cell with n > 0.");
  return buildGrid(used, [(i) => (used[i] as CrossedCell).k, (i) => (used[i] as CrossedCell).n]);
}

/** The sorted bootstrap rates Σwk / Σwn of a crossed resampling (for tests and diagnostics). */
export function crossedBootstrapRates(
  cells: ReadonlyArray<CrossedCell>,
  options: CrossedOptions,
): Float64Array {
  return resampleGrid(rateGrid(cells), options);
}

/**
 * 95% (by default) percentile interval of the pooled rate Σk / Σn, resampling rows and
 * columns independently. Cells with n = 0 are left out; rows and columns are sorted by id
 * first, so the interval depends only on the data and the seed.
 */
export function ci95Crossed(
  cells: ReadonlyArray<CrossedCell>,
  options: CrossedOptions,
): [number, number] {
  return interval(crossedBootstrapRates(cells, options), options.level);
}

export interface PairedDifference {
  /** rate1 − rate2 over the matched cells. */
  diff: number;
  /** Percentile interval of the difference under the crossed resampling. */
  ci95: [number, number];
  /** Matched cells (items answered on both sides) and the answers behind each side. */
  cells: number;
  n1: number;
  n2: number;
}

/**
 * A paired, cell-matched difference of two rates: only cells answered on both sides
 * enter, and every resample gives both sides the same row and column weights, so what is
 * compared is the same items under two targets (or arms), never two different samples.
 */
export function pairedCrossedDifference(
  cells: ReadonlyArray<PairedCell>,
  options: CrossedOptions,
): PairedDifference | null {
  for (const c of cells) {
    checkCount(c.k1, c.n1, `cell ${c.row} × ${c.col} (side 1)`);
    checkCount(c.k2, c.n2, `cell ${c.row} × ${c.col} (side 2)`);
  }
  const used = cells.filter((c) => c.n1 > 0 && c.n2 > 0);
  if (used.length === 0) return null;
  const pick = (f: (c: PairedCell) => number) => (i: number) => f(used[i] as PairedCell);
  const grid = buildGrid(used, [
    pick((c) => c.k1),
    pick((c) => c.n1),
    pick((c) => c.k2),
    pick((c) => c.n2),
  ]);
  const sum = (f: (c: PairedCell) => number) => used.reduce((s, c) => s + f(c), 0);
  const n1 = sum((c) => c.n1);
  const n2 = sum((c) => c.n2);
  const diff = sum((c) => c.k1) / n1 - sum((c) => c.k2) / n2;
  const statistics = resampleGrid(grid, options);
  return { diff, ci95: interval(statistics, options.level), cells: used.length, n1, n2 };
}
