/**
 * Paired, cell-matched stigma contrasts: between two targets under the same arm, and
 * between two arms of the same target. Only items answered on both sides enter, and the
 * interval resamples vignettes and questions with the same weights on both sides (see
 * crossed.ts), so the contrast is the same items under two conditions of the audit.
 */
import type { StigmaObservation } from "../core/types.js";
import { type PairedCell, pairedCrossedDifference } from "./crossed.js";
import { deriveSeed, type Seed } from "./random.js";
import { OVERALL } from "./stigma.js";

export interface PairedContrast {
  suite: string;
  metric: "stigma";
  /** `target`: two targets, one arm; `arm`: one target, two arms. */
  kind: "target" | "arm";
  condition: string;
  target_a: string;
  arm_a: string;
  target_b: string;
  arm_b: string;
  /** Rates of each side over the matched items only. */
  value_a: number;
  value_b: number;
  /** value_a − value_b. */
  diff: number;
  /** Crossed (vignettes × questions) percentile interval of the paired difference. */
  ci95_crossed: [number, number];
  /** Items answered on both sides, and the answers of each side on them. */
  matched_items: number;
  n_a: number;
  n_b: number;
}

/** k and n per item (vignette × question), per condition, for one side. */
type Side = Map<
  string,
  { row: string; col: string; condition: string; control: boolean; k: number; n: number }
>;

export function itemCounts(observations: readonly StigmaObservation[]): Side {
  const side: Side = new Map();
  for (const o of observations) {
    if (o.outcome !== "stigma" && o.outcome !== "no-stigma") continue;
    const key = JSON.stringify([o.cluster, o.questionId]);
    const cell = side.get(key) ?? {
      row: o.cluster,
      col: o.questionId,
      condition: o.condition,
      control: o.control,
      k: 0,
      n: 0,
    };
    cell.n++;
    if (o.outcome === "stigma") cell.k++;
    side.set(key, cell);
  }
  return side;
}

/** Matched cells of two sides, grouped by condition and pooled into `overall` (non-control). */
export function matchedCells(a: Side, b: Side): Map<string, PairedCell[]> {
  const byCondition = new Map<string, PairedCell[]>();
  const add = (condition: string, cell: PairedCell) => {
    const list = byCondition.get(condition) ?? [];
    list.push(cell);
    byCondition.set(condition, list);
  };
  const overall: PairedCell[] = [];
  for (const [key, x] of a) {
    const y = b.get(key);
    if (!y) continue;
    const cell = { row: x.row, col: x.col, k1: x.k, n1: x.n, k2: y.k, n2: y.n };
    add(x.condition, cell);
    if (!x.control) overall.push(cell);
  }
  byCondition.set(OVERALL, overall);
  return byCondition;
}

interface Group {
  suite: string;
  target: string;
  arm: string;
  side: Side;
}

function contrastsOf(
  kind: PairedContrast["kind"],
  a: Group,
  b: Group,
  options: { seed: Seed; resamples?: number },
): PairedContrast[] {
  const out: PairedContrast[] = [];
  for (const [condition, cells] of matchedCells(a.side, b.side)) {
    const seed = deriveSeed(
      options.seed,
      "stigma_paired",
      a.suite,
      a.target,
      a.arm,
      b.target,
      b.arm,
      condition,
    );
    const result = pairedCrossedDifference(cells, { seed, resamples: options.resamples });
    if (!result) continue;
    const k1 = cells.reduce((s, c) => s + (c.n1 > 0 && c.n2 > 0 ? c.k1 : 0), 0);
    const k2 = cells.reduce((s, c) => s + (c.n1 > 0 && c.n2 > 0 ? c.k2 : 0), 0);
    out.push({
      suite: a.suite,
      metric: "stigma",
      kind,
      condition,
      target_a: a.target,
      arm_a: a.arm,
      target_b: b.target,
      arm_b: b.arm,
      value_a: k1 / result.n1,
      value_b: k2 / result.n2,
      diff: result.diff,
      ci95_crossed: result.ci95,
      matched_items: result.cells,
      n_a: result.n1,
      n_b: result.n2,
    });
  }
  return out;
}

/**
 * Every pair of (suite, target, arm) groups that share a suite and either the arm (a
 * target contrast) or the target (an arm contrast), in first-seen order of the groups.
 */
export function pairedStigmaContrasts(
  observations: readonly StigmaObservation[],
  options: { seed: Seed; resamples?: number },
): PairedContrast[] {
  const groups = new Map<string, Group>();
  const members = new Map<string, StigmaObservation[]>();
  for (const o of observations) {
    const key = JSON.stringify([o.suite, o.target, o.arm]);
    if (!groups.has(key))
      groups.set(key, { suite: o.suite, target: o.target, arm: o.arm, side: new Map() });
    const list = members.get(key) ?? [];
    list.push(o);
    members.set(key, list);
  }
  for (const [key, group] of groups) group.side = itemCounts(members.get(key) ?? []);
  const list = [...groups.values()];
  const out: PairedContrast[] = [];
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) {
      const a = list[i] as Group;
      const b = list[j] as Group;
      if (a.suite !== b.suite) continue;
      if (a.arm === b.arm && a.target !== b.target)
        out.push(...contrastsOf("target", a, b, options));
      else if (a.target === b.target && a.arm !== b.arm)
        out.push(...contrastsOf("arm", a, b, options));
    }
  }
  return out;
}
