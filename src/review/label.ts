/** Storing a reviewer's label of one check of a stored response, checked against the store. */
import { CareprobeError } from "../core/errors.js";
import type { ResponseItem } from "../core/types.js";
import { responses } from "../experiments/responses/index.js";
import { parsePlacementId } from "../store/names.js";
import type { Store } from "../store/store.js";

export interface LabelInput {
  key: string;
  check: number;
  reviewer: string;
  label: "yes" | "no" | "unsure";
  note: string;
  source: string;
}

/** Stores the label (and its note, in the same transaction); false when no response has the key. */
export function storeLabel(store: Store, input: LabelInput): boolean {
  const uses = store.runItemsOf(input.key);
  const runs = new Map(store.listRuns().map((run) => [run.id, run]));
  let checks: number | undefined;
  for (const use of uses) {
    const run = runs.get(use.runId);
    const suite = run ? store.loadSuite(run.suiteHash) : undefined;
    if (!suite || !responses.accepts(suite.suite)) continue;
    const stimulus = parsePlacementId(use.itemId).stimulus;
    const item = suite.byId.get(stimulus) as ResponseItem | undefined;
    if (item) checks = item.checks.length;
  }
  if (checks === undefined) return false;
  if (input.check >= checks) {
    throw new CareprobeError(
      "BAD_ARGUMENT",
      `This response has ${checks} check(s); check ${input.check} does not exist.`,
    );
  }
  store.addLabelWithNote(
    {
      requestKey: input.key,
      check: input.check,
      rater: input.reviewer,
      label: input.label,
      source: input.source,
    },
    input.note.trim(),
  );
  return true;
}
