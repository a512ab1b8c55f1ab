/**
 * Turns stored runs into analysis input: every planned item with its raw output, the
 * option read from it, and its outcome. Extraction runs here, at report time, so a
 * better parser improves old runs without re-sending anything.
 */

import type { OptionPlacement } from "../../analysis/position-bias.js";
import { DEFAULT_RECIPE, type Recipe } from "../../core/recipe.js";
import type {
  ChoiceOutcome,
  ChoiceParse,
  ChoiceSuite,
  StigmaObservation,
} from "../../core/types.js";
import { parseChoice } from "../../judges/choice.js";
import { parsePaperChoice } from "../../judges/paper-rule.js";
import type { RunRecord, Store } from "../../store/store.js";
import { type OptionOrder, optionPermutations, reorderItem } from "../../suites/option-order.js";
import type { Collected } from "../experiment.js";
import { recordedOrder } from "./order.js";

/** One row of `careprobe report --items`. Field names are part of the public format. */
export interface ItemRow {
  suite: string;
  item_id: string;
  target: string;
  arm: string;
  sample: number;
  condition: string;
  question_id: string;
  question: string;
  /** The model's raw text (untrusted), null when the request failed or is pending. */
  output: string | null;
  /** The chosen option's text, null when unparsed. */
  answer: string | null;
  letter: string | null;
  outcome: ChoiceOutcome | "pending";
  /** Whether the question measures stigma at all. */
  measures_stigma: boolean;
  error: string | null;
  /** What the target changed to send the request (a parameter dropped or clamped). */
  warnings: string[];
  /** How the run ordered the options (`fixed`, `reversed`, `balanced`, `shuffled`). */
  option_order?: string;
  /** The chosen option's index in the suite's order (its meaning), null when unparsed. */
  option_index?: number | null;
}

export interface CollectedRun {
  run: RunRecord;
  suite: ChoiceSuite;
  items: ItemRow[];
  observations: StigmaObservation[];
  counts: { planned: number; answered: number; errors: number; pending: number };
  /** The run's option order, and where each readable answer fell (for position_bias). */
  optionOrder?: OptionOrder;
  placements?: OptionPlacement[];
}

function outcomeOf(
  parse: ChoiceParse,
  dontKnow: string | undefined,
  stigmaOptions: string[],
): ChoiceOutcome {
  if (parse.status === "unparsed") return "unparsed";
  if (dontKnow !== undefined && parse.option === dontKnow) return "dont-know";
  return stigmaOptions.includes(parse.option) ? "stigma" : "no-stigma";
}

export function collectRun(
  store: Store,
  run: RunRecord,
  suite: ChoiceSuite,
  recipe: Recipe = DEFAULT_RECIPE,
): CollectedRun {
  const read = recipe.choiceRule === "leading-letter" ? parsePaperChoice : parseChoice;
  const byId = new Map(suite.items.map((item) => [item.id, item]));
  const { order, seed } = recordedOrder(run.config);
  const perms =
    order === "fixed" ? undefined : optionPermutations(suite.items, order, String(seed));
  const placements: OptionPlacement[] = [];
  const controls = new Set(suite.conditions.filter((c) => c.control).map((c) => c.id));
  const items: ItemRow[] = [];
  const observations: StigmaObservation[] = [];
  const counts = { planned: 0, answered: 0, errors: 0, pending: 0 };
  for (const row of store.runRows(run.id)) {
    const original = byId.get(row.itemId);
    if (!original) continue;
    // Read the answer against the options as the model saw them; score it by their meaning.
    const perm = perms?.get(original.id) ?? original.options.map((_o, i) => i);
    const item = perms ? reorderItem(original, perm) : original;
    counts.planned++;
    let outcome: ItemRow["outcome"];
    let parse: ChoiceParse | undefined;
    if (row.status === "ok") {
      counts.answered++;
      parse = read(row.text ?? "", item.options);
      const blank = (row.text ?? "").trim() === "" && !recipe.countBlankChoicesAsUnparsed;
      outcome = blank ? "blank" : outcomeOf(parse, item.dontKnow, item.stigmaOptions);
      if (parse.status === "parsed") {
        const { questionId } = item;
        placements.push({
          suite: suite.id,
          target: run.target,
          arm: run.arm,
          questionId,
          perm,
          shown: parse.index,
        });
      }
    } else if (row.status === "error") {
      counts.errors++;
      outcome = "error";
    } else {
      counts.pending++;
      outcome = "pending";
    }
    const measures = item.stigmaOptions.length > 0;
    items.push({
      suite: suite.id,
      item_id: item.id,
      target: run.target,
      arm: run.arm,
      sample: row.sample,
      condition: item.condition,
      question_id: item.questionId,
      question: item.question,
      output: row.status === "ok" ? (row.text ?? "") : null,
      answer: parse?.status === "parsed" ? parse.option : null,
      letter: parse?.status === "parsed" ? parse.letter : null,
      outcome,
      measures_stigma: measures,
      error:
        row.status === "error" ? `${row.errorCode ?? "ERROR"}: ${row.errorMessage ?? ""}` : null,
      warnings: row.warnings,
      option_order: order,
      option_index: parse?.status === "parsed" ? (perm[parse.index] ?? null) : null,
    });
    if (measures && outcome !== "pending") {
      observations.push({
        suite: suite.id,
        target: run.target,
        arm: run.arm,
        condition: item.condition,
        control: controls.has(item.condition),
        questionId: item.questionId,
        // The vignette is the item id without its question part.
        cluster: item.id.slice(0, item.id.lastIndexOf("/")),
        outcome,
        attributes: item.attributes,
      });
    }
  }
  return { run, suite, items, observations, counts, optionOrder: order, placements };
}

/** The multiple-choice runs among collected runs of any kind. */
export function choiceRuns(collected: readonly Collected[]): CollectedRun[] {
  return collected.filter((c): c is CollectedRun => c.suite.kind === "multiple-choice");
}
