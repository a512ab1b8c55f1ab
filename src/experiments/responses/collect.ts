/**
 * Turns a stored responses run into item rows and observations: the target's answer,
 * each judge's reading of each check, the panel's verdict, and the item's outcome.
 */

import { DEFAULT_RECIPE, type Recipe } from "../../core/recipe.js";
import type { ChatMessage, ResponseItem, ResponsesSuite } from "../../core/types.js";
import {
  type JudgeAnswer,
  majority,
  readJudgeAnswer,
  type YesNo,
} from "../../judges/verification.js";
import type { RunRecord, Store } from "../../store/store.js";
import type { Collected } from "../experiment.js";

export type ResponseOutcome =
  | "appropriate"
  | "inappropriate"
  | "unscored"
  | "blank"
  | "error"
  | "pending";

export interface JudgeRow {
  judge: string;
  check: number;
  question: string;
  /** The judge's raw reply (untrusted), null when not answered yet or failed. */
  reply: string | null;
  answer: YesNo | null;
  reason: string | null;
}

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
}

export interface ResponseObservation {
  suite: string;
  target: string;
  arm: string;
  condition: string;
  severity: string;
  benign: boolean;
  stimulus: string;
  outcome: Exclude<ResponseOutcome, "pending">;
  /** Where in a transcript the stimulus was placed (0: alone, as human therapists saw it). */
  position: number;
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

function parsePlacement(id: string): {
  stimulus: string;
  transcript: string | null;
  position: number;
} {
  const at = id.indexOf("@");
  if (at === -1) return { stimulus: id, transcript: null, position: 0 };
  const rest = id.slice(at + 1);
  const colon = rest.lastIndexOf(":");
  return {
    stimulus: id.slice(0, at),
    transcript: rest.slice(0, colon),
    position: Number(rest.slice(colon + 1)),
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
  const config = JSON.parse(run.config || "{}") as {
    judges?: Array<{ spec: string }>;
    defaultJudge?: boolean;
  };
  const judges = (config.judges ?? []).map((j) => j.spec);
  const steps = store.runSteps(run.id);
  const stepKeys = store.results(steps.map((s) => s.requestKey));
  const stepsOf = new Map<string, typeof steps>();
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
    const where = parsePlacement(row.itemId);
    const item = byId.get(where.stimulus);
    if (!item) continue;
    counts.planned++;
    const output = row.status === "ok" ? (row.text ?? "") : null;
    const judgedOutput = output === null ? null : output.slice(0, suite.charLimit);
    const judgeRows: JudgeRow[] = [];
    const answersByCheck: JudgeAnswer[][] = item.checks.map(() => []);
    let bridge: string | null = null;
    for (const step of stepsOf.get(`${row.itemId}\u0000${row.sample}`) ?? []) {
      if (step.step === "context") bridge = stepKeys.get(step.requestKey)?.text ?? null;
      if (!step.step.startsWith("judge:")) continue;
      const meta = JSON.parse(step.meta) as {
        judge: string;
        check: number;
        order: [YesNo, YesNo];
        /** Set when the verdict answers another question (imported data). */
        answers?: { question: string; appropriate: YesNo };
      };
      const result = stepKeys.get(step.requestKey);
      // A judge request that failed for good is an answer nobody can read: unscored.
      let read: JudgeAnswer | undefined =
        result?.status === "ok"
          ? readJudgeAnswer(result.text ?? "", meta.order)
          : result?.status === "error"
            ? { status: "unscored", reason: result.error ?? "the judge failed" }
            : undefined;
      const appropriate = item.checks[meta.check]?.appropriate;
      if (meta.answers && read?.status === "scored" && appropriate) {
        // Correct on its own question ⇔ correct on this check: map the answer across.
        const correct = read.answer === meta.answers.appropriate;
        const other: YesNo = appropriate === "yes" ? "no" : "yes";
        read = recipe.mapVerdictsAcrossQuestions
          ? { status: "scored", answer: correct ? appropriate : other }
          : {
              status: "unscored",
              reason: `answers another question: "${meta.answers.question}"`,
            };
      }
      if (read) answersByCheck[meta.check]?.push(read);
      judgeRows.push({
        judge: meta.judge,
        check: meta.check,
        question: item.checks[meta.check]?.question ?? "",
        reply: result?.status === "ok" ? (result.text ?? "") : null,
        answer: read?.status === "scored" ? read.answer : null,
        reason:
          read === undefined
            ? (result?.error ?? "not judged yet")
            : read.status === "unscored"
              ? read.reason
              : null,
      });
    }
    const panel = answersByCheck.map((answers) =>
      answers.length === 0 ? undefined : majority(answers),
    );
    // A disagreement: judges who could be read gave different answers to one check.
    for (const answers of answersByCheck) {
      const given = new Set(answers.flatMap((a) => (a.status === "scored" ? [a.answer] : [])));
      if (given.size > 1) counts.judge_disagreements++;
    }
    const verdicts = panel.map((v) => (v?.status === "scored" ? v.answer : null));
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
      else if (panel.some((v) => v === undefined)) outcome = "pending";
      else outcome = itemOutcome(item, verdicts);
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
      transcript: where.transcript,
      position: where.position,
      stimulus: item.turns.findLast((t) => t.role === "client")?.content ?? "",
      bridge,
      conversation: bodies.get(row.requestKey) ?? [],
      output,
      judged_output: judgedOutput,
      judges: judgeRows,
      labels:
        row.sample === 0 || labels.has(row.requestKey) ? (labels.get(row.requestKey) ?? []) : [],
      verdicts,
      outcome,
      error:
        row.status === "error" ? `${row.errorCode ?? "ERROR"}: ${row.errorMessage ?? ""}` : null,
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
        position: where.position,
        outcome,
      });
    }
  }
  return {
    run,
    suite,
    judges,
    defaultJudge: config.defaultJudge ?? false,
    items,
    observations,
    counts,
  };
}

/** The responses runs among collected runs of any kind. */
export function responsesRuns(collected: readonly Collected[]): CollectedResponsesRun[] {
  return collected.filter((c): c is CollectedResponsesRun => c.suite.kind === "responses");
}
