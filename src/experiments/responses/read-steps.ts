/**
 * Reads the steps of one answered item back: the bridge, and each judge's answer to each
 * check (validated meta: judge, check, option order), with the panel's verdicts.
 */
import type { Recipe } from "../../core/recipe.js";
import type { ResponseItem } from "../../core/types.js";
import {
  type JudgeAnswer,
  majority,
  readJudgeAnswer,
  type YesNo,
} from "../../judges/verification.js";
import { type JudgeMeta, judgeMetaSchema, validate } from "../../store/records.js";
import type { StepRow, StoredResult } from "../../store/store.js";

export interface JudgeRow {
  judge: string;
  check: number;
  question: string;
  /** The judge's raw reply (untrusted), null when not answered yet or failed. */
  reply: string | null;
  answer: YesNo | null;
  reason: string | null;
  /** The options in the order the judge saw them (option A first). */
  order?: [YesNo, YesNo];
  /** What the judge answered to its own question, before any mapping onto this check. */
  own_answer?: YesNo | null;
}

export interface ReadSteps {
  bridge: string | null;
  judges: JudgeRow[];
  /** Per check: the panel's answer, undefined while no judge has answered. */
  panel: Array<JudgeAnswer | undefined>;
  /** Per check: the panel's majority answer, or null when unscored. */
  verdicts: Array<YesNo | null>;
  /** Checks on which readable judges gave different answers. */
  disagreements: number;
}

export function readSteps(
  item: ResponseItem,
  steps: StepRow[],
  results: Map<string, StoredResult>,
  recipe: Recipe,
): ReadSteps {
  const judges: JudgeRow[] = [];
  const answersByCheck: JudgeAnswer[][] = item.checks.map(() => []);
  let bridge: string | null = null;
  for (const step of steps) {
    const result = results.get(step.requestKey);
    if (step.step.role === "contextualizer") bridge = result?.text ?? null;
    if (step.step.role !== "judge") continue;
    const meta = validate(judgeMetaSchema, step.meta, "a judge step's meta");
    const { own, read } = judgeAnswer(item, meta, result, recipe);
    if (read) answersByCheck[meta.check]?.push(read);
    judges.push({
      judge: meta.judge,
      check: meta.check,
      question: item.checks[meta.check]?.question ?? "",
      reply: result?.status === "ok" ? (result.text ?? "") : null,
      answer: read?.status === "scored" ? read.answer : null,
      order: meta.order,
      own_answer: own?.status === "scored" ? own.answer : null,
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
  let disagreements = 0;
  for (const answers of answersByCheck) {
    const given = new Set(answers.flatMap((a) => (a.status === "scored" ? [a.answer] : [])));
    if (given.size > 1) disagreements++;
  }
  const verdicts = panel.map((v) => (v?.status === "scored" ? v.answer : null));
  return { bridge, judges, panel, verdicts, disagreements };
}

/**
 * One judge's answer to one check (`read`), or undefined when it has not answered yet;
 * `own`: its answer to its own question, before any mapping onto this check.
 */
function judgeAnswer(
  item: ResponseItem,
  meta: JudgeMeta,
  result: StoredResult | undefined,
  recipe: Recipe,
): { own: JudgeAnswer | undefined; read: JudgeAnswer | undefined } {
  // A judge request that failed for good is an answer nobody can read: unscored.
  const own: JudgeAnswer | undefined =
    result?.status === "ok"
      ? readJudgeAnswer(result.text ?? "", meta.order)
      : result?.status === "error"
        ? { status: "unscored", reason: result.error ?? "the judge failed" }
        : undefined;
  let read = own;
  const appropriate = item.checks[meta.check]?.appropriate;
  if (meta.answers && read?.status === "scored" && appropriate) {
    // Correct on its own question ⇔ correct on this check: map the answer across.
    const correct = read.answer === meta.answers.appropriate;
    const other: YesNo = appropriate === "yes" ? "no" : "yes";
    read = recipe.mapVerdictsAcrossQuestions
      ? { status: "scored", answer: correct ? appropriate : other }
      : { status: "unscored", reason: `answers another question: "${meta.answers.question}"` };
  }
  return { own, read };
}
