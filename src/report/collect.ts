/**
 * Turns stored runs into analysis input: every planned item with its raw output, the
 * option read from it, and its outcome. Extraction runs here, at report time, so a
 * better parser improves old runs without re-sending anything.
 */
import type { ChoiceOutcome, ChoiceParse, ChoiceSuite, StigmaObservation } from "../core/types.js";
import { parseChoice } from "../judges/choice.js";
import { parsePaperChoice } from "../judges/paper-rule.js";
import type { RunRecord, Store } from "../store/store.js";
import {
  isOptionOrder,
  type OptionOrder,
  optionPermutations,
  reorderItem,
} from "../suites/option-order.js";

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
  /** How the run ordered the options (`fixed`, `reversed`, `balanced`, `shuffled`). */
  option_order?: string;
  /** The chosen option's index in the suite's order (its meaning), null when unparsed. */
  option_index?: number | null;
}

/** Where an answer fell: the item's permutation and the position chosen (for position_bias). */
export interface Placement {
  suite: string;
  target: string;
  arm: string;
  questionId: string;
  /** perm[j]: suite-order index of the option shown at position j. */
  perm: number[];
  /** The position (0 = A) of the chosen option as shown. */
  shown: number;
}

export interface CollectedRun {
  run: RunRecord;
  suite: ChoiceSuite;
  items: ItemRow[];
  observations: StigmaObservation[];
  counts: { planned: number; answered: number; errors: number; pending: number };
  /** The run's option order, and where each readable answer fell. */
  optionOrder?: OptionOrder;
  placements?: Placement[];
}

/** The order a run recorded; runs from before counterbalancing are `fixed`. */
function recordedOrder(config: string): { order: OptionOrder; seed: number } {
  const parsed = JSON.parse(config || "{}") as { optionOrder?: string; optionSeed?: number };
  const order = parsed.optionOrder ?? "fixed";
  return { order: isOptionOrder(order) ? order : "fixed", seed: parsed.optionSeed ?? 0 };
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

/** `paper`: Moore et al.'s answer rule, for reproducing their numbers; `careprobe`: its own. */
export type Recipe = "careprobe" | "paper";

export function collectRun(
  store: Store,
  run: RunRecord,
  recipe: Recipe = "careprobe",
): CollectedRun | undefined {
  const read = recipe === "paper" ? parsePaperChoice : parseChoice;
  const stored = store.loadSuite(run.suiteHash);
  if (stored?.suite.kind !== "multiple-choice") return undefined;
  const suite = stored.suite;
  const { order, seed } = recordedOrder(run.config);
  const perms =
    order === "fixed" ? undefined : optionPermutations(suite.items, order, String(seed));
  const placements: Placement[] = [];
  const controls = new Set(suite.conditions.filter((c) => c.control).map((c) => c.id));
  const items: ItemRow[] = [];
  const observations: StigmaObservation[] = [];
  const counts = { planned: 0, answered: 0, errors: 0, pending: 0 };
  for (const row of store.runRows(run.id)) {
    const original = stored.byId.get(row.itemId);
    if (!original || !("options" in original)) continue;
    // Read the answer against the options as the model saw them; score by their meaning.
    const perm = perms?.get(original.id) ?? original.options.map((_o, i) => i);
    const item = perms ? reorderItem(original, perm) : original;
    counts.planned++;
    let outcome: ItemRow["outcome"];
    let parse: ChoiceParse | undefined;
    if (row.status === "ok") {
      counts.answered++;
      parse = read(row.text ?? "", item.options);
      outcome = outcomeOf(parse, item.dontKnow, item.stigmaOptions);
      if (parse.status === "parsed") {
        placements.push({
          suite: suite.id,
          target: run.target,
          arm: run.arm,
          questionId: item.questionId,
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
