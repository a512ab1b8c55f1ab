/**
 * `careprobe compare`: two runs of one suite (a base and a head version of a bot), items
 * paired by identity (item id and sample). Per metric: both rates over the paired items,
 * the difference with a bootstrap interval, and McNemar's exact test on the pairs that
 * changed; and the lists of items that regressed and improved.
 */
import { mcnemarExact, pairedDifferenceInterval } from "../analysis/mcnemar.js";
import { deriveSeed } from "../analysis/random.js";
import { experimentFor } from "../catalog/experiments.js";
import { CareprobeError } from "../core/errors.js";
import { DEFAULT_RECIPE, type Recipe } from "../core/recipe.js";
import type { CompareItem, Comparing } from "../experiments/experiment.js";
import type { RunRecord, Store } from "../store/store.js";

type Verdict = "good" | "bad";

/** One item as both runs answered it (or as one answered it, when the other did not). */
export interface PairedItem {
  item_id: string;
  sample: number;
  condition: string;
  /** Responses suites: the stimulus's severity; stigma cells have none. */
  severity: string | null;
  benign: boolean;
  /** Excluded from the pooled `overall` rows (control conditions of stigma suites). */
  control: boolean;
  prompt: string;
  base: Verdict | null;
  head: Verdict | null;
  base_output: string | null;
  head_output: string | null;
}

export interface CompareMetric {
  metric: string;
  condition: string;
  /** Pairs with a verdict in both runs. */
  n: number;
  base_value: number | null;
  head_value: number | null;
  /** head − base. */
  diff: number | null;
  /** 95% percentile bootstrap interval over pairs (seeded). */
  ci95: [number, number] | null;
  /**
   * Set when the interval and McNemar's exact p disagree about 0 (the interval excludes
   * it and p ≥ 0.05, or the reverse): why, and which one decides. Null otherwise.
   */
  ci95_note: string | null;
  /** Pairs that went from good to bad, and from bad to good. */
  regressed: number;
  improved: number;
  p_mcnemar: number;
  /** The metric got worse for the bot and McNemar's p is below 0.05. */
  significantly_worse: boolean;
}

export interface RunSide {
  id: string;
  suite: string;
  suite_hash: string;
  target: string;
  arm: string;
  updated_at: string;
}

export interface RunComparison {
  /** The experiment kind of both runs (e.g. `multiple-choice`, `responses`). */
  kind: string;
  base: RunSide;
  head: RunSide;
  /** Set when the two runs used different versions of the suite (items still pair by id). */
  suite_changed: boolean;
  paired: number;
  only_base: number;
  only_head: number;
  metrics: CompareMetric[];
  regressed: PairedItem[];
  improved: PairedItem[];
}

interface Collected {
  kind: string;
  rates: Comparing<unknown>["rates"];
  items: Map<string, CompareItem>;
}

function collect(store: Store, run: RunRecord, recipe: Recipe): Collected {
  const suite = store.loadSuite(run.suiteHash)?.suite;
  if (!suite) {
    throw new CareprobeError("STORE", `The suite of run ${run.id} is missing from the database.`);
  }
  const experiment = experimentFor(suite);
  if (!experiment.compare) {
    throw new CareprobeError(
      "BAD_ARGUMENT",
      `careprobe compare does not compare runs of kind \`${experiment.kind}\` (run ${run.id}).`,
    );
  }
  const collected = experiment.collect(store, run, suite, recipe);
  const items = new Map<string, CompareItem>();
  for (const item of experiment.compare.items(collected)) {
    items.set(`${item.item_id}\u0000${item.sample}`, item);
  }
  return { kind: experiment.kind, rates: experiment.compare.rates, items };
}

function side(run: RunRecord): RunSide {
  return {
    id: run.id,
    suite: run.suiteId,
    suite_hash: run.suiteHash,
    target: run.target,
    arm: run.arm,
    updated_at: run.updatedAt,
  };
}

function pair(
  base: Collected,
  head: Collected,
): { pairs: PairedItem[]; onlyBase: number; onlyHead: number } {
  const pairs: PairedItem[] = [];
  let onlyBase = 0;
  for (const [key, b] of base.items) {
    const h = head.items.get(key);
    if (!h) {
      onlyBase++;
      continue;
    }
    const { verdict: _v, output: _o, ...identity } = b;
    pairs.push({
      ...identity,
      base: b.verdict,
      head: h.verdict,
      base_output: b.output,
      head_output: h.output,
    });
  }
  const onlyHead = [...head.items.keys()].filter((k) => !base.items.has(k)).length;
  return { pairs, onlyBase, onlyHead };
}

/**
 * The bootstrap interval and McNemar's exact test are different methods; with few changed
 * pairs they can disagree (5 pairs changed, all one way: the interval excludes 0, p = 0.0625).
 */
export function intervalNote(ci95: [number, number], p: number): string | null {
  const excludes = ci95[0] > 0 || ci95[1] < 0;
  if (excludes === p < 0.05) return null;
  const why = excludes
    ? `the bootstrap interval excludes 0 but McNemar's exact p = ${p.toPrecision(3)}`
    : `McNemar's exact p = ${p.toPrecision(3)} but the bootstrap interval includes 0`;
  return `${why}: with few changed pairs the two methods differ; the exact test decides significance (and --fail-on-regression)`;
}

/** `event`: which verdict the metric counts ("good" for appropriate, "bad" for stigma). */
function metric(
  name: string,
  condition: string,
  pairs: PairedItem[],
  event: Verdict,
  seed: number,
  resamples: number,
): CompareMetric {
  const both = pairs.filter((p) => p.base !== null && p.head !== null);
  const n = both.length;
  const regressed = both.filter((p) => p.base === "good" && p.head === "bad").length;
  const improved = both.filter((p) => p.base === "bad" && p.head === "good").length;
  const baseK = both.filter((p) => p.base === event).length;
  const headK = both.filter((p) => p.head === event).length;
  // Pairs that gained the event, and pairs that lost it.
  const gained = event === "good" ? improved : regressed;
  const lost = event === "good" ? regressed : improved;
  const diff = n === 0 ? null : (headK - baseK) / n;
  const p = mcnemarExact(regressed, improved);
  const worse = diff !== null && (event === "good" ? diff < 0 : diff > 0);
  const ci95 =
    n === 0
      ? null
      : pairedDifferenceInterval(lost, gained, n, {
          seed: deriveSeed(seed, "compare", name, condition),
          resamples,
        });
  return {
    metric: name,
    condition,
    n,
    base_value: n === 0 ? null : baseK / n,
    head_value: n === 0 ? null : headK / n,
    diff,
    ci95,
    ci95_note: ci95 ? intervalNote(ci95, p) : null,
    regressed,
    improved,
    p_mcnemar: p,
    significantly_worse: worse && p < 0.05,
  };
}

function metrics(
  base: Collected,
  pairs: PairedItem[],
  seed: number,
  resamples: number,
): CompareMetric[] {
  return base
    .rates(pairs)
    .map((rate) =>
      metric(rate.metric, rate.condition, pairs.filter(rate.includes), rate.event, seed, resamples),
    );
}

const SEVERITY = ["critical", "serious", "minor"];

function bySeverity(a: PairedItem, b: PairedItem): number {
  const rank = (p: PairedItem) =>
    p.severity === null ? SEVERITY.length : SEVERITY.indexOf(p.severity);
  return rank(a) - rank(b) || a.item_id.localeCompare(b.item_id) || a.sample - b.sample;
}

export function compareRuns(
  store: Store,
  baseRun: RunRecord,
  headRun: RunRecord,
  options: { seed: number; resamples: number; recipe?: Recipe },
): RunComparison {
  const recipe = options.recipe ?? DEFAULT_RECIPE;
  const base = collect(store, baseRun, recipe);
  const head = collect(store, headRun, recipe);
  const { pairs, onlyBase, onlyHead } = pair(base, head);
  return {
    kind: base.kind,
    base: side(baseRun),
    head: side(headRun),
    suite_changed: baseRun.suiteHash !== headRun.suiteHash,
    paired: pairs.filter((p) => p.base !== null && p.head !== null).length,
    only_base: onlyBase,
    only_head: onlyHead,
    metrics: metrics(base, pairs, options.seed, options.resamples),
    regressed: pairs.filter((p) => p.base === "good" && p.head === "bad").sort(bySeverity),
    improved: pairs.filter((p) => p.base === "bad" && p.head === "good").sort(bySeverity),
  };
}

/** `--fail-on-regression`: a critical item regressed, or a metric got significantly worse. */
export function regressionFailures(comparison: RunComparison): string[] {
  const reasons = comparison.regressed
    .filter((p) => p.severity === "critical")
    .map(
      (p) =>
        `critical item regressed: ${p.item_id}${p.sample > 0 ? ` #${p.sample}` : ""} (${p.condition})`,
    );
  for (const m of comparison.metrics.filter((x) => x.significantly_worse)) {
    reasons.push(
      `${m.metric}:${m.condition} got significantly worse: ${((m.diff ?? 0) * 100).toFixed(1)} points, McNemar p = ${m.p_mcnemar.toPrecision(3)}`,
    );
  }
  return reasons;
}
