/**
 * The demographic design: within each condition, stigma towards one level of a factor
 * (gender, race, education) against another, on vignettes that differ only in that
 * factor. A vignette of level a is matched with the vignette of level b that has the
 * same values of every other factor, question by question; the interval resamples those
 * matched pairs and the questions (crossed, paired), so it asks whether the model treats
 * one group differently when everything else is held fixed.
 */
import type { StigmaObservation } from "../core/types.js";
import { type PairedCell, pairedCrossedDifference } from "./crossed.js";
import { deriveSeed, type Seed } from "./random.js";
import { OVERALL } from "./stigma.js";

/** The factors of the paper's vignettes. */
export const DEMOGRAPHIC_FACTORS = ["gender", "race", "education"] as const;

export interface DemographicContrast {
  suite: string;
  target: string;
  arm: string;
  metric: "stigma_demographic";
  condition: string;
  attribute: string;
  level_a: string;
  level_b: string;
  value_a: number;
  value_b: number;
  /** value_a − value_b over matched items. */
  diff: number;
  ci95_crossed: [number, number];
  /** Matched (vignette pair × question) items, and the answers on each side. */
  matched_items: number;
  n_a: number;
  n_b: number;
}

export type DemographicObservation = StigmaObservation & { attributes?: Record<string, string> };

interface Cell {
  condition: string;
  control: boolean;
  stratum: string;
  question: string;
  level: string;
  k: number;
  n: number;
}

/** Per item: the factor's level and the stratum (every other factor's value). */
function cellsFor(
  observations: readonly DemographicObservation[],
  attribute: string,
  factors: readonly string[],
): Cell[] {
  const cells = new Map<string, Cell>();
  for (const o of observations) {
    if (o.outcome !== "stigma" && o.outcome !== "no-stigma") continue;
    const level = o.attributes?.[attribute];
    if (level === undefined) continue;
    const others = factors.filter((f) => f !== attribute).map((f) => o.attributes?.[f] ?? "");
    const stratum = JSON.stringify([o.condition, ...others]);
    const key = JSON.stringify([stratum, level, o.questionId]);
    const cell = cells.get(key) ?? {
      condition: o.condition,
      control: o.control,
      stratum,
      question: o.questionId,
      level,
      k: 0,
      n: 0,
    };
    cell.n++;
    if (o.outcome === "stigma") cell.k++;
    cells.set(key, cell);
  }
  return [...cells.values()];
}

function pairCells(cells: readonly Cell[], a: string, b: string, condition: string): PairedCell[] {
  const inScope = (c: Cell) => (condition === OVERALL ? !c.control : c.condition === condition);
  const sideB = new Map<string, Cell>();
  for (const c of cells)
    if (c.level === b && inScope(c)) sideB.set(JSON.stringify([c.stratum, c.question]), c);
  const out: PairedCell[] = [];
  for (const c of cells) {
    if (c.level !== a || !inScope(c)) continue;
    const other = sideB.get(JSON.stringify([c.stratum, c.question]));
    if (other)
      out.push({ row: c.stratum, col: c.question, k1: c.k, n1: c.n, k2: other.k, n2: other.n });
  }
  return out;
}

function contrast(
  identity: Omit<
    DemographicContrast,
    "value_a" | "value_b" | "diff" | "ci95_crossed" | "matched_items" | "n_a" | "n_b"
  >,
  cells: PairedCell[],
  options: { seed: Seed; resamples?: number },
): DemographicContrast | null {
  const { suite, target, arm, condition, attribute, level_a, level_b } = identity;
  const seed = deriveSeed(
    options.seed,
    "stigma_demographic",
    suite,
    target,
    arm,
    condition,
    attribute,
    level_a,
    level_b,
  );
  const result = pairedCrossedDifference(cells, { seed, resamples: options.resamples });
  if (!result) return null;
  const k1 = cells.reduce((s, c) => s + (c.n1 > 0 && c.n2 > 0 ? c.k1 : 0), 0);
  const k2 = cells.reduce((s, c) => s + (c.n1 > 0 && c.n2 > 0 ? c.k2 : 0), 0);
  return {
    ...identity,
    value_a: k1 / result.n1,
    value_b: k2 / result.n2,
    diff: result.diff,
    ci95_crossed: result.ci95,
    matched_items: result.cells,
    n_a: result.n1,
    n_b: result.n2,
  };
}

/**
 * For one (suite, target, arm)'s observations: every pair of levels of every factor
 * present, per condition (control first as the data order has them) and pooled over the
 * non-control conditions. Levels are compared in first-seen order (a before b).
 */
export function demographicContrasts(
  observations: readonly DemographicObservation[],
  options: { seed: Seed; resamples?: number; factors?: readonly string[] },
): DemographicContrast[] {
  const first = observations[0];
  if (!first) return [];
  const { suite, target, arm } = first;
  const factors = options.factors ?? DEMOGRAPHIC_FACTORS;
  const conditions = [...new Set(observations.map((o) => o.condition)), OVERALL];
  const out: DemographicContrast[] = [];
  for (const attribute of factors) {
    const cells = cellsFor(observations, attribute, factors);
    const levels = [...new Set(cells.map((c) => c.level))];
    for (const condition of conditions) {
      for (let i = 0; i < levels.length; i++) {
        for (let j = i + 1; j < levels.length; j++) {
          const [a, b] = [levels[i] as string, levels[j] as string];
          const identity = {
            suite,
            target,
            arm,
            metric: "stigma_demographic" as const,
            condition,
            attribute,
            level_a: a,
            level_b: b,
          };
          const row = contrast(identity, pairCells(cells, a, b, condition), options);
          if (row) out.push(row);
        }
      }
    }
  }
  return out;
}
