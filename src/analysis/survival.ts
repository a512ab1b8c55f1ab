/**
 * Kaplan–Meier estimates for discrete times (turns of a conversation). Pure functions.
 * A conversation "fails" at the turn of its first inappropriate reply; one that never
 * fails is censored at its last turn. See docs/design/conversations.md.
 */
import { internalError } from "../core/errors.js";

export interface SurvivalObservation {
  /** The event time (turn of the first failure), or the last observed time when censored. */
  time: number;
  /** True when the event happened at `time`; false when censored there. */
  event: boolean;
}

export interface CurvePoint {
  /** A time at which something happened (an event or a censoring). */
  time: number;
  /** Observations still at risk just before `time` (censored at `time` are still at risk). */
  at_risk: number;
  events: number;
  censored: number;
  /** S(time): the estimated share without an event up to and including `time`. */
  survival: number;
}

function check(observations: ReadonlyArray<SurvivalObservation>): void {
  for (const o of observations) {
    if (!Number.isInteger(o.time) || o.time < 0) {
      throw internalError(`A survival time must be a whole number >= 0, got ${o.time}.`);
    }
  }
}

/**
 * The Kaplan–Meier curve: at each time t with events d and n at risk, S(t) = S(t−)·(1 − d/n).
 * Observations censored at t count as at risk at t (the event, had it happened, would have
 * been seen at t), the usual convention. Empty input gives an empty curve.
 */
export function kaplanMeier(observations: ReadonlyArray<SurvivalObservation>): CurvePoint[] {
  check(observations);
  const byTime = new Map<number, { events: number; censored: number }>();
  for (const o of observations) {
    const entry = byTime.get(o.time) ?? { events: 0, censored: 0 };
    if (o.event) entry.events++;
    else entry.censored++;
    byTime.set(o.time, entry);
  }
  const times = [...byTime.keys()].sort((a, b) => a - b);
  let atRisk = observations.length;
  let survival = 1;
  const curve: CurvePoint[] = [];
  for (const time of times) {
    const { events, censored } = byTime.get(time) ?? { events: 0, censored: 0 };
    survival *= 1 - events / atRisk;
    curve.push({ time, at_risk: atRisk, events, censored, survival });
    atRisk -= events + censored;
  }
  return curve;
}

/**
 * The median time to event: the earliest time at which S(t) ≤ 0.5, or null when the curve
 * never gets there (the median is beyond the longest follow-up: "not reached").
 */
export function kaplanMeierMedian(curve: ReadonlyArray<CurvePoint>): number | null {
  // A tolerance, so that 0.5 computed as a product of fractions is not missed by rounding.
  return curve.find((point) => point.survival <= 0.5 + 1e-12)?.time ?? null;
}

/** The median straight from observations. */
export function medianTimeToEvent(observations: ReadonlyArray<SurvivalObservation>): number | null {
  return kaplanMeierMedian(kaplanMeier(observations));
}
