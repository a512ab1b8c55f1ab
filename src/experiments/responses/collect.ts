/**
 * Turns a stored responses run into item rows and observations: the target's answer,
 * each judge's reading of each check, the panel's verdict, and the item's outcome.
 */

import { DEFAULT_RECIPE, type Recipe } from "../../core/recipe.js";
import type {
  ChatMessage,
  ResponseItem,
  ResponseObservation,
  ResponseOutcome,
  ResponsesSuite,
} from "../../core/types.js";
import type { YesNo } from "../../judges/verification.js";
import type { RunRecord, StepRow, Store } from "../../store/store.js";
import type { Collected } from "../experiment.js";
import { type JudgeRow, readSteps } from "./read-steps.js";

export type { ResponseObservation, ResponseOutcome } from "../../core/types.js";
export type { JudgeRow } from "./read-steps.js";

/** One row of `careprobe report --items` for a responses suite. */
export interface ResponseItemRow {
  suite: string;
  item_id: string;
  stimulus_id: string;
  target: string;
  arm: string;
  sample: number;
  condition: string;
  severity: string;
  benign: boolean;
  transcript: string | null;
  position: number;
  /** The client's message the response answers (the last client turn). */
  stimulus: string;
  /** The contextualization bridge written before the stimulus, if any (untrusted). */
  bridge: string | null;
  /** Every message sent to the target, system prompt first. */
  conversation: ChatMessage[];
  /** The target's raw answer (untrusted); null when the request failed or is pending. */
  output: string | null;
  /** What the judges saw: the answer cut to the suite's character limit. */
  judged_output: string | null;
  judges: JudgeRow[];
  /** People's labels of this response, per check (e.g. annotators'). */
  labels: Array<{ rater: string; check: number; label: string }>;
  /** Per check: the panel's majority answer, or null when unscored. */
  verdicts: Array<YesNo | null>;
  outcome: ResponseOutcome;
  error: string | null;
  /** What the target changed to send the request (a parameter dropped or clamped). */
  warnings: string[];
}

export interface CollectedResponsesRun {
  run: RunRecord;
  suite: ResponsesSuite;
  judges: string[];
  defaultJudge: boolean;
  items: ResponseItemRow[];
  observations: ResponseObservation[];
  counts: {
    planned: number;
    answered: number;
    errors: number;
    pending: number;
    judge_disagreements: number;
  };
}

function itemOutcome(item: ResponseItem, verdicts: Array<YesNo | null>): ResponseOutcome {
  if (verdicts.some((v, i) => v !== null && v !== item.checks[i]?.appropriate))
    return "inappropriate";
  if (verdicts.some((v) => v === null)) return "unscored";
  return "appropriate";
}

export function collectResponsesRun(
  store: Store,
  run: RunRecord,
  suite: ResponsesSuite,
  recipe: Recipe = DEFAULT_RECIPE,
): CollectedResponsesRun {
  const byId = new Map(suite.items.map((item) => [item.id, item]));
  const steps = store.runSteps(run.id);
  const stepResults = store.results(steps.map((s) => s.requestKey));
  const stepsOf = new Map<string, StepRow[]>();
  for (const step of steps) {
    const key = `${step.itemId}\u0000${step.sample}`;
    stepsOf.set(key, [...(stepsOf.get(key) ?? []), step]);
  }
  const rows = store.runRows(run.id);
  const bodies = store.requestBodies(rows.map((r) => r.requestKey));
  const labels = store.labelsFor(rows.map((r) => r.requestKey));
  const items: ResponseItemRow[] = [];
  const observations: ResponseObservation[] = [];
  const counts = { planned: 0, answered: 0, errors: 0, pending: 0, judge_disagreements: 0 };
  for (const row of rows) {
    const item = byId.get(row.stimulusId);
    if (!item) continue;
    counts.planned++;
    const output = row.status === "ok" ? (row.text ?? "") : null;
    const judgedOutput = output === null ? null : output.slice(0, suite.charLimit);
    const read = readSteps(
      item,
      stepsOf.get(`${row.itemId}\u0000${row.sample}`) ?? [],
      stepResults,
      recipe,
    );
    counts.judge_disagreements += read.disagreements;
    let outcome: ResponseOutcome;
    if (row.status === "error") {
      counts.errors++;
      outcome = "error";
    } else if (row.status === null) {
      counts.pending++;
      outcome = "pending";
    } else {
      counts.answered++;
      if ((judgedOutput ?? "").trim() === "") outcome = "blank";
      else if (read.panel.some((v) => v === undefined)) outcome = "pending";
      else outcome = itemOutcome(item, read.verdicts);
    }
    items.push({
      suite: suite.id,
      item_id: row.itemId,
      stimulus_id: item.id,
      target: run.target,
      arm: run.arm,
      sample: row.sample,
      condition: item.condition,
      severity: item.severity,
      benign: item.benign,
      transcript: row.transcript,
      position: row.position,
      stimulus: item.turns.findLast((t) => t.role === "client")?.content ?? "",
      bridge: read.bridge,
      conversation: bodies.get(row.requestKey) ?? [],
      output,
      judged_output: judgedOutput,
      judges: read.judges,
      labels:
        row.sample === 0 || labels.has(row.requestKey) ? (labels.get(row.requestKey) ?? []) : [],
      verdicts: read.verdicts,
      outcome,
      error:
        row.status === "error" ? `${row.errorCode ?? "ERROR"}: ${row.errorMessage ?? ""}` : null,
      warnings: row.warnings,
    });
    if (outcome !== "pending") {
      observations.push({
        suite: suite.id,
        target: run.target,
        arm: run.arm,
        condition: item.condition,
        severity: item.severity,
        benign: item.benign,
        stimulus: item.id,
        position: row.position,
        outcome,
      });
    }
  }
  return {
    run,
    suite,
    judges: run.roles.judges.map((j) => j.spec),
    defaultJudge: run.config.defaultJudge ?? false,
    items,
    observations,
    counts,
  };
}

/** The responses runs among collected runs of any kind. */
export function responsesRuns(collected: readonly Collected[]): CollectedResponsesRun[] {
  return collected.filter((c): c is CollectedResponsesRun => c.suite.kind === "responses");
}
