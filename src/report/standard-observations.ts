/**
 * What each stored answer says about each feature of care: one observation per (answer,
 * check, feature the check tests). Read from the collected runs of a report, so feature
 * results come from the same verdicts as every other row.
 */
import type { ChoiceSuite, ResponsesSuite } from "../core/types.js";
import { withPaperTags } from "../datasets/moore2025/tags.js";
import type { CollectedRun } from "../experiments/multiple-choice/collect.js";
import type { CollectedResponsesRun } from "../experiments/responses/collect.js";
import { FEATURES, parseFeatureTag } from "../standard/features.js";
import type { FeatureObservation, FeatureOutcome } from "../standard/observation.js";

export type { FeatureObservation, FeatureOutcome } from "../standard/observation.js";

const INDEX = new Map(FEATURES.map((f, i) => [f.id, i]));

/** Tags → features, each feature once, with the sub-items named for it. */
export function featuresOf(tags: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const tag of tags) {
    const parsed = parseFeatureTag(tag);
    if (!parsed) continue;
    const subs = out.get(parsed.feature.id) ?? [];
    if (parsed.subItem && !subs.includes(parsed.subItem.id)) subs.push(parsed.subItem.id);
    out.set(parsed.feature.id, subs);
  }
  return out;
}

function observe(
  base: Pick<FeatureObservation, "suite" | "target" | "arm" | "item" | "cluster" | "outcome">,
  tags: readonly string[],
): FeatureObservation[] {
  return [...featuresOf(tags)].map(([feature, subItems]) => ({
    ...base,
    feature,
    featureIndex: INDEX.get(feature) ?? FEATURES.length,
    subItems,
  }));
}

export function choiceFeatureObservations(collected: CollectedRun): FeatureObservation[] {
  const suite = withPaperTags(collected.suite) as ChoiceSuite;
  const controls = new Set(suite.conditions.filter((c) => c.control).map((c) => c.id));
  const byId = new Map(suite.items.map((item) => [item.id, item]));
  const out: FeatureObservation[] = [];
  for (const row of collected.items) {
    const item = byId.get(row.item_id);
    if (!item?.features?.length || controls.has(item.condition)) continue;
    const outcome: FeatureOutcome =
      row.outcome === "stigma"
        ? "inappropriate"
        : row.outcome === "no-stigma"
          ? "appropriate"
          : row.outcome === "unparsed"
            ? "unscored"
            : row.outcome;
    const cluster = item.id.slice(0, item.id.lastIndexOf("/"));
    out.push(
      ...observe(
        { suite: suite.id, target: row.target, arm: row.arm, item: item.id, cluster, outcome },
        item.features,
      ),
    );
  }
  return out;
}

export function responseFeatureObservations(
  collected: CollectedResponsesRun,
): FeatureObservation[] {
  const suite = withPaperTags(collected.suite) as ResponsesSuite;
  const byId = new Map(suite.items.map((item) => [item.id, item]));
  const out: FeatureObservation[] = [];
  for (const row of collected.items) {
    const item = byId.get(row.stimulus_id);
    if (!item) continue;
    item.checks.forEach((check, c) => {
      const tags = [...(item.features ?? []), ...(check.features ?? [])];
      if (tags.length === 0) return;
      const verdict = row.verdicts[c];
      const outcome: FeatureOutcome =
        row.outcome === "error" || row.outcome === "blank" || row.outcome === "pending"
          ? row.outcome
          : verdict === null || verdict === undefined
            ? "unscored"
            : verdict === check.appropriate
              ? "appropriate"
              : "inappropriate";
      const base = { suite: suite.id, target: row.target, arm: row.arm, item: item.id };
      out.push(...observe({ ...base, cluster: item.id, outcome }, tags));
    });
  }
  return out;
}
