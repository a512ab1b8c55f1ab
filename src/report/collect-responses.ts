/**
 * The responses collector under its former name and signature (a recipe name; no result
 * for a run of another kind), for callers not yet moved to the Experiment interface.
 * New code: `experimentFor(suite).collect(...)` (src/experiments/).
 */
import type { Recipe, RecipeName } from "../core/recipe.js";
import {
  type CollectedResponsesRun,
  collectResponsesRun as collectStored,
} from "../experiments/responses/collect.js";
import { responses } from "../experiments/responses/index.js";
import type { RunRecord, Store } from "../store/store.js";
import { recipeOf } from "./collect.js";

export type {
  CollectedResponsesRun,
  JudgeRow,
  ResponseItemRow,
  ResponseObservation,
  ResponseOutcome,
} from "../experiments/responses/collect.js";

export function collectResponsesRun(
  store: Store,
  run: RunRecord,
  recipe: RecipeName | Recipe = "careprobe",
): CollectedResponsesRun | undefined {
  const suite = store.loadSuite(run.suiteHash)?.suite;
  if (!suite || !responses.accepts(suite)) return undefined;
  return collectStored(store, run, suite, recipeOf(recipe));
}
