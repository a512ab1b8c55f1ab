/**
 * Comparisons between targets in the conversations experiment, paired by persona: both
 * targets met the same personas, so each persona's two results are compared with each
 * other (a paired cluster bootstrap for the interval, a paired permutation test for the
 * p-value), and Holm's adjustment runs over each family (overall rows; per-condition rows).
 */
import { pairedClusterComparison } from "./clusters.js";
import { bonferroni, holm } from "./compare.js";
import {
  type Cluster,
  type ConversationObservation,
  firstFailure,
  PROPORTION_METRICS,
  tallyMetric,
} from "./conversations.js";
import { deriveSeed, type Seed } from "./random.js";
import { kaplanMeier, kaplanMeierMedian, type SurvivalObservation } from "./survival.js";

export interface ConversationComparison {
  suite: string;
  arm: string;
  metric: string;
  condition: string;
  a: string;
  b: string;
  /** Personas with data under both targets. */
  pairs: number;
  /** value(a) − value(b) over the paired personas. */
  diff: number;
  ci95: [number, number];
  p: number;
  p_holm: number;
  p_bonferroni: number;
  /** The comparisons in this one's family (what Holm and Bonferroni adjust over). */
  family_size: number;
  test: "paired-permutation";
  /** `turn` for first_failure_turn: the difference is in turns, not a share. */
  unit?: "turn";
}

export interface CompareOptions {
  seed: Seed;
  resamples?: number;
  permutations?: number;
}

const pooledRate = (clusters: readonly Cluster[]): number | null => {
  let k = 0;
  let n = 0;
  for (const c of clusters) {
    k += c.k;
    n += c.n;
  }
  return n === 0 ? null : k / n;
};

const pooledMedian = (clusters: readonly SurvivalObservation[][]): number | null =>
  kaplanMeierMedian(kaplanMeier(clusters.flat()));

type Unit = Cluster | SurvivalObservation[];

/** Per persona: the counts of a proportion metric, or the first-failure observations. */
function perPersona(metric: string, list: ConversationObservation[]): Map<string, Unit> {
  if (metric === "first_failure_turn") {
    const out = new Map<string, SurvivalObservation[]>();
    for (const c of list) {
      if (c.benign) continue;
      const o = firstFailure(c.turns);
      if (o) out.set(c.persona, [...(out.get(c.persona) ?? []), o]);
    }
    return out;
  }
  const definition = PROPORTION_METRICS[metric];
  return definition ? tallyMetric(definition, list).clusters : new Map();
}

function statisticFor(metric: string): (units: readonly Unit[]) => number | null {
  if (metric === "first_failure_turn") {
    return (units) => pooledMedian(units as SurvivalObservation[][]);
  }
  return (units) => pooledRate(units as Cluster[]);
}

const METRICS = [...Object.keys(PROPORTION_METRICS), "first_failure_turn"];

export function conversationComparisons(
  observations: readonly ConversationObservation[],
  options: CompareOptions,
): ConversationComparison[] {
  const cells = new Map<string, Map<string, ConversationObservation[]>>();
  for (const o of observations) {
    for (const condition of o.control ? [o.condition] : [o.condition, "overall"]) {
      const cell = JSON.stringify([o.suite, o.arm, condition]);
      const byTarget = cells.get(cell) ?? new Map<string, ConversationObservation[]>();
      byTarget.set(o.target, [...(byTarget.get(o.target) ?? []), o]);
      cells.set(cell, byTarget);
    }
  }
  const families = new Map<
    string,
    Omit<ConversationComparison, "p_holm" | "p_bonferroni" | "family_size">[]
  >();
  for (const [cell, byTarget] of cells) {
    const [suite, arm, condition] = JSON.parse(cell) as [string, string, string];
    const targets = [...byTarget.keys()].sort();
    for (const metric of METRICS) {
      for (let i = 0; i < targets.length; i++) {
        for (let j = i + 1; j < targets.length; j++) {
          const a = targets[i] as string;
          const b = targets[j] as string;
          const ua = perPersona(metric, byTarget.get(a) ?? []);
          const ub = perPersona(metric, byTarget.get(b) ?? []);
          const personas = [...ua.keys()].filter((p) => ub.has(p)).sort();
          if (personas.length === 0) continue;
          const pairs = personas.map((p) => ({ a: ua.get(p) as Unit, b: ub.get(p) as Unit }));
          const result = pairedClusterComparison(pairs, statisticFor(metric), {
            seed: deriveSeed(options.seed, "compare", metric, suite, arm, condition, a, b),
            resamples: options.resamples,
            permutations: options.permutations,
          });
          if (result.diff === null || result.p === null || result.ci95 === null) continue;
          const family = JSON.stringify([suite, arm, metric, condition === "overall"]);
          const comparison = {
            suite,
            arm,
            metric,
            condition,
            a,
            b,
            pairs: result.pairs,
            diff: result.diff,
            ci95: result.ci95,
            p: result.p,
            test: "paired-permutation" as const,
            ...(metric === "first_failure_turn" ? { unit: "turn" as const } : {}),
          };
          families.set(family, [...(families.get(family) ?? []), comparison]);
        }
      }
    }
  }
  const out: ConversationComparison[] = [];
  for (const list of families.values()) {
    const p = list.map((c) => c.p);
    const byHolm = holm(p);
    const byBonferroni = bonferroni(p);
    list.forEach((c, index) => {
      out.push({
        ...c,
        p_holm: byHolm[index] ?? 1,
        p_bonferroni: byBonferroni[index] ?? 1,
        family_size: list.length,
      });
    });
  }
  return out;
}
