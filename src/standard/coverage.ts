/**
 * Coverage of the standard of care: which of the 17 features the runs of a report tested,
 * with how many items and checks, how the answers did, and for every untested feature
 * whether a text conversation could test it at all. A typed result, so the HTML report
 * and the web app draw the same map from the same numbers. Field names are those of the
 * JSON report's `coverage` (snake_case, like its metric rows): extend, never rename.
 */
import { wilsonInterval } from "../analysis/intervals.js";
import type { Recipe } from "../core/recipe.js";
import { FEATURES } from "./features.js";
import type { FeatureObservation } from "./observation.js";

export interface FeatureResult {
  target: string;
  arm: string;
  /** Checks that entered the rate, pooled over the report's suites. */
  n: number;
  k: number;
  value: number | null;
  ci95_wilson: [number, number] | null;
}

export interface SubItemCoverage {
  id: string;
  label: string;
  text_testable: boolean;
  tested: boolean;
  /** Distinct items whose checks name this sub-item. */
  items: number;
}

export interface FeatureCoverage {
  id: string;
  label: string;
  text_testable: boolean;
  /** Why it can (or cannot) be tested in a text conversation. */
  why: string;
  tested: boolean;
  /** Distinct suite items (stimuli, prompts) with a check that tests it. */
  items: number;
  /** Answers × checks planned for it in these runs (whatever their state). */
  checks: number;
  suites: string[];
  sub_items: SubItemCoverage[];
  /** Per target and arm, pooled over suites; empty when untested. */
  results: FeatureResult[];
}

export interface Coverage {
  features: FeatureCoverage[];
  tested: string[];
  untested: string[];
  /** Untested features a text conversation could test: the to-do list. */
  untested_text_testable: string[];
}

function resultsOf(observations: FeatureObservation[], countUnscored: boolean): FeatureResult[] {
  const byTargetArm = new Map<string, FeatureResult>();
  for (const o of observations) {
    const key = JSON.stringify([o.target, o.arm]);
    const result = byTargetArm.get(key) ?? {
      target: o.target,
      arm: o.arm,
      n: 0,
      k: 0,
      value: null,
      ci95_wilson: null,
    };
    const scored = o.outcome === "appropriate" || o.outcome === "inappropriate";
    if (scored || (countUnscored && (o.outcome === "unscored" || o.outcome === "blank"))) {
      result.n++;
      if (o.outcome === "appropriate") result.k++;
    }
    byTargetArm.set(key, result);
  }
  return [...byTargetArm.values()].map((r) => ({
    ...r,
    value: r.n === 0 ? null : r.k / r.n,
    ci95_wilson: r.n === 0 ? null : wilsonInterval(r.k, r.n),
  }));
}

export function coverageOf(
  observations: readonly FeatureObservation[],
  options: { recipe?: Recipe } = {},
): Coverage {
  const features = FEATURES.map((feature): FeatureCoverage => {
    const mine = observations.filter((o) => o.feature === feature.id);
    const items = new Set(mine.map((o) => `${o.suite}\u0000${o.item}`));
    return {
      id: feature.id,
      label: feature.label,
      text_testable: feature.textTestable,
      why: feature.why,
      tested: mine.length > 0,
      items: items.size,
      checks: mine.length,
      suites: [...new Set(mine.map((o) => o.suite))].sort(),
      sub_items: feature.subItems.map((s) => {
        const named = new Set(
          mine.filter((o) => o.subItems.includes(s.id)).map((o) => `${o.suite}\u0000${o.item}`),
        );
        return {
          id: s.id,
          label: s.label,
          text_testable: s.textTestable,
          tested: named.size > 0,
          items: named.size,
        };
      }),
      results: resultsOf(mine, options.recipe?.countUnscoredAsInappropriate ?? false),
    };
  });
  const tested = features.filter((f) => f.tested).map((f) => f.id);
  const untested = features.filter((f) => !f.tested);
  return {
    features,
    tested,
    untested: untested.map((f) => f.id),
    untested_text_testable: untested.filter((f) => f.text_testable).map((f) => f.id),
  };
}
