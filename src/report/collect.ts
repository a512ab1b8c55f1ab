/**
 * The multiple-choice collector under its former name and signature (a recipe name; no
 * result for a run of another kind), for callers not yet moved to the Experiment
 * interface. New code: `experimentFor(suite).collect(...)` (src/experiments/).
 */
import { RECIPES, type RecipeName, type Recipe as RecipeObject } from "../core/recipe.js";
import {
  type CollectedRun,
  collectRun as collectChoiceRun,
} from "../experiments/multiple-choice/collect.js";
import { multipleChoice } from "../experiments/multiple-choice/index.js";
import type { RunRecord, Store } from "../store/store.js";

export type { CollectedRun, ItemRow } from "../experiments/multiple-choice/collect.js";

/** A recipe's name (`careprobe` or `paper`). */
export type Recipe = RecipeName;

export const recipeOf = (recipe: RecipeName | RecipeObject): RecipeObject =>
  typeof recipe === "string" ? RECIPES[recipe] : recipe;

export function collectRun(
  store: Store,
  run: RunRecord,
  recipe: RecipeName | RecipeObject = "careprobe",
): CollectedRun | undefined {
  const suite = store.loadSuite(run.suiteHash)?.suite;
  if (!suite || !multipleChoice.accepts(suite)) return undefined;
  return collectChoiceRun(store, run, suite, recipeOf(recipe));
}
