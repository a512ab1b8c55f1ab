/**
 * Experiment 1 (stigma): the share of stigmatizing answers per suite × target × arm ×
 * condition, and pooled over the non-control conditions. Pure: observations in, rows out.
 *
 * The caller passes only answers to questions that measure stigma. "Do not know",
 * unparsed and blank (empty) answers and failed requests are counted in their own columns and never enter
 * n: counting them as "no stigma" would flatter a model that dodges the question.
 */
import { CareprobeError, internalError } from "../core/errors.js";
import type { MetricRow, StigmaObservation } from "../core/types.js";
import { bootstrapCounts, clusterBootstrapProportion, wilsonInterval } from "./intervals.js";
import { deriveSeed, type Seed } from "./random.js";

export interface StigmaOptions {
  /** The run's seed; each row's bootstrap seed is derived from it and the row's identity. */
  seed: Seed;
  /** Bootstrap resamples per row; default 10,000. */
  resamples?: number;
}

/** The pooled row's condition id; a real condition may not use it. */
export const OVERALL = "overall";

const METRIC = "stigma";

interface Tally {
  n: number;
  k: number;
  dontKnow: number;
  unparsed: number;
  blank: number;
  errors: number;
}

function tally(observations: readonly StigmaObservation[]): Tally {
  const counts: Tally = { n: 0, k: 0, dontKnow: 0, unparsed: 0, blank: 0, errors: 0 };
  for (const observation of observations) {
    const outcome = observation.outcome;
    switch (outcome) {
      case "stigma":
        counts.n++;
        counts.k++;
        break;
      case "no-stigma":
        counts.n++;
        break;
      case "dont-know":
        counts.dontKnow++;
        break;
      case "unparsed":
        counts.unparsed++;
        break;
      case "blank":
        counts.blank++;
        break;
      case "error":
        counts.errors++;
        break;
      default: {
        // Rows read back from storage are only as typed as the code that wrote them.
        const unknown: never = outcome;
        throw internalError(`Unknown stigma outcome: ${String(unknown)}.`);
      }
    }
  }
  return counts;
}

/** Groups in first-seen order; JSON keys keep ("a|b","c") and ("a","b|c") apart. */
function groupBy<T>(items: readonly T[], key: (item: T) => string[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const id = JSON.stringify(key(item));
    const group = groups.get(id);
    if (group) group.push(item);
    else groups.set(id, [item]);
  }
  return groups;
}

/**
 * Answers about one vignette are not independent (one model, one story, fourteen
 * questions); resampling whole vignettes gives an interval that admits it.
 */
function clusterInterval(
  observations: readonly StigmaObservation[],
  seed: string,
  resamples: number | undefined,
): [number, number] {
  const clusters = new Map<string, { k: number; n: number }>();
  for (const o of observations) {
    if (o.outcome !== "stigma" && o.outcome !== "no-stigma") continue;
    const c = clusters.get(o.cluster) ?? { k: 0, n: 0 };
    c.n++;
    if (o.outcome === "stigma") c.k++;
    clusters.set(o.cluster, c);
  }
  return clusterBootstrapProportion([...clusters.values()], { seed: `${seed}/cluster`, resamples });
}

interface RowIdentity {
  suite: string;
  target: string;
  arm: string;
  condition: string;
}

function buildRow(
  identity: RowIdentity,
  observations: readonly StigmaObservation[],
  options: StigmaOptions,
  seedParts: readonly string[],
): MetricRow {
  const { n, k, dontKnow, unparsed, blank, errors } = tally(observations);
  const { suite, target, arm, condition } = identity;
  // The seed names the row, so adding a target or condition leaves other rows unchanged.
  const seed = deriveSeed(options.seed, METRIC, suite, target, arm, condition, ...seedParts);
  const resamples = options.resamples;
  return {
    suite,
    target,
    arm,
    metric: METRIC,
    condition,
    n,
    k,
    value: n === 0 ? null : k / n,
    ci95: n === 0 ? null : bootstrapCounts(k, n, { seed, resamples }),
    ci95_wilson: n === 0 ? null : wilsonInterval(k, n),
    ci95_cluster: n === 0 ? null : clusterInterval(observations, seed, resamples),
    dont_know: dontKnow,
    unparsed,
    errors,
    blank,
  };
}

/**
 * Rows for the observations of one (suite, target, arm): control conditions first, then
 * the others, each in first-seen order, then the pooled non-control `overall` row (always
 * present, with n = 0 when there is no non-control observation).
 */
function conditionRows(
  observations: readonly StigmaObservation[],
  options: StigmaOptions,
  seedParts: readonly string[],
): MetricRow[] {
  const first = observations[0];
  if (first === undefined) return [];
  const { suite, target, arm } = first;
  const byCondition = groupBy(observations, (observation) => [observation.condition]);
  const conditions = [...byCondition.values()].map((members) => {
    const condition = (members[0] as StigmaObservation).condition;
    if (condition === OVERALL) {
      // A suite's own condition named like the pooled row: the suite is wrong.
      throw new CareprobeError(
        "SUITE_INVALID",
        `Suite ${suite}: the condition id "${OVERALL}" is reserved for the pooled row; rename the condition.`,
      );
    }
    const control = (members[0] as StigmaObservation).control;
    if (members.some((member) => member.control !== control)) {
      throw internalError(
        `Condition "${condition}" is marked both control and non-control in ${suite}.`,
      );
    }
    return { condition, control, members };
  });
  const ordered = [
    ...conditions.filter((entry) => entry.control),
    ...conditions.filter((entry) => !entry.control),
  ];
  const rows = ordered.map((entry) =>
    buildRow({ suite, target, arm, condition: entry.condition }, entry.members, options, seedParts),
  );
  const pooled = observations.filter((observation) => !observation.control);
  rows.push(buildRow({ suite, target, arm, condition: OVERALL }, pooled, options, seedParts));
  return rows;
}

function byRun(observations: readonly StigmaObservation[]): Map<string, StigmaObservation[]> {
  return groupBy(observations, (observation) => [
    observation.suite,
    observation.target,
    observation.arm,
  ]);
}

/**
 * Stigma rates with a seeded percentile bootstrap and a Wilson interval, one row per
 * condition and one pooled `overall` row for each (suite, target, arm), in first-seen
 * order of those groups.
 */
export function stigmaMetrics(
  observations: readonly StigmaObservation[],
  options: StigmaOptions,
): MetricRow[] {
  const rows: MetricRow[] = [];
  for (const group of byRun(observations).values()) {
    rows.push(...conditionRows(group, options, []));
  }
  return rows;
}

/** A stigma row restricted to the answers to one question. */
export type QuestionMetricRow = MetricRow & { question: string };

/**
 * The same rows per question: for each (suite, target, arm), each question in first-seen
 * order gets its condition rows and its own pooled `overall` row.
 */
export function stigmaByQuestion(
  observations: readonly StigmaObservation[],
  options: StigmaOptions,
): QuestionMetricRow[] {
  const rows: QuestionMetricRow[] = [];
  for (const group of byRun(observations).values()) {
    const byQuestion = groupBy(group, (observation) => [observation.questionId]);
    for (const members of byQuestion.values()) {
      const question = (members[0] as StigmaObservation).questionId;
      for (const row of conditionRows(members, options, ["question", question])) {
        rows.push({ ...row, question });
      }
    }
  }
  return rows;
}
