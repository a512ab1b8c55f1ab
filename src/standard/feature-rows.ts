/**
 * Per-feature rows: for each feature of the standard of care, the share of appropriate
 * answers among the checks that test it, per (suite, target, arm), with intervals.
 *
 * The unit is a check: a responses stimulus judged on two checks that both test a
 * feature gives that feature two observations. A multiple-choice item is one check (its
 * answer is appropriate when it is not stigmatizing), counted over the non-control
 * conditions, the same pool as the `overall` stigma row. Under the paper's recipe, blank
 * answers and unreadable verdicts count as not appropriate (as for `appropriate`);
 * otherwise they are left out of n and counted beside it.
 */
import {
  bootstrapCounts,
  clusterBootstrapProportion,
  wilsonInterval,
} from "../analysis/intervals.js";
import { deriveSeed, type Seed } from "../analysis/random.js";
import type { Recipe } from "../core/recipe.js";
import type { MetricRow } from "../core/types.js";
import type { FeatureObservation } from "./observation.js";

export const FEATURE_METRIC = "feature_appropriate";

export interface FeatureRowOptions {
  seed: Seed;
  resamples?: number;
  recipe?: Recipe;
}

/** Whether an observation enters n, and whether it counts as appropriate. */
function counted(o: FeatureObservation, recipe: FeatureRowOptions["recipe"]): boolean | undefined {
  if (o.outcome === "appropriate") return true;
  if (o.outcome === "inappropriate") return false;
  if (recipe?.countUnscoredAsInappropriate && (o.outcome === "unscored" || o.outcome === "blank"))
    return false;
  return undefined;
}

function rowOf(list: FeatureObservation[], options: FeatureRowOptions): MetricRow {
  const first = list[0] as FeatureObservation;
  let n = 0;
  let k = 0;
  const tally = { dont_know: 0, unparsed: 0, errors: 0, blank: 0 };
  const clusters = new Map<string, { k: number; n: number }>();
  for (const o of list) {
    if (o.outcome === "pending") continue;
    if (o.outcome === "dont-know") tally.dont_know++;
    else if (o.outcome === "unscored") tally.unparsed++;
    else if (o.outcome === "blank") tally.blank++;
    else if (o.outcome === "error") tally.errors++;
    const appropriate = counted(o, options.recipe);
    if (appropriate === undefined) continue;
    n++;
    const cluster = clusters.get(o.cluster) ?? { k: 0, n: 0 };
    cluster.n++;
    if (appropriate) {
      k++;
      cluster.k++;
    }
    clusters.set(o.cluster, cluster);
  }
  const identity = { suite: first.suite, target: first.target, arm: first.arm };
  const seed = deriveSeed(
    options.seed,
    FEATURE_METRIC,
    identity.suite,
    identity.target,
    identity.arm,
    first.feature,
  );
  return {
    ...identity,
    metric: FEATURE_METRIC,
    condition: "overall",
    feature: first.feature,
    n,
    k,
    value: n === 0 ? null : k / n,
    ci95: n === 0 ? null : bootstrapCounts(k, n, { seed, resamples: options.resamples }),
    ci95_wilson: n === 0 ? null : wilsonInterval(k, n),
    ci95_cluster:
      n === 0
        ? null
        : clusterBootstrapProportion([...clusters.values()], {
            seed: `${seed}/cluster`,
            resamples: options.resamples,
          }),
    ...tally,
  };
}

/** One row per (suite, target, arm, feature): runs in first-seen order, features in the review's. */
export function featureRows(
  observations: readonly FeatureObservation[],
  options: FeatureRowOptions,
): MetricRow[] {
  const runs = new Map<string, Map<number, FeatureObservation[]>>();
  for (const o of observations) {
    const run = JSON.stringify([o.suite, o.target, o.arm]);
    const byFeature = runs.get(run) ?? new Map<number, FeatureObservation[]>();
    runs.set(run, byFeature);
    const list = byFeature.get(o.featureIndex);
    if (list) list.push(o);
    else byFeature.set(o.featureIndex, [o]);
  }
  return [...runs.values()].flatMap((byFeature) =>
    [...byFeature.entries()].sort(([a], [b]) => a - b).map(([, list]) => rowOf(list, options)),
  );
}
