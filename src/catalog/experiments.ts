/**
 * Every experiment kind, in report order. Adding a kind: a folder under
 * `src/experiments/<kind>/` and one line here (docs/design/experiments.md).
 */
import { CareprobeError } from "../core/errors.js";
import type { Suite } from "../core/types.js";
import { conversations } from "../experiments/conversations/index.js";
import type { Collected, Experiment } from "../experiments/experiment.js";
import { multipleChoice } from "../experiments/multiple-choice/index.js";
import { responses } from "../experiments/responses/index.js";

export const EXPERIMENTS: readonly Experiment[] = [multipleChoice, responses, conversations];

/** The experiment that runs and scores this suite. */
export function experimentFor(suite: Suite): Experiment {
  const experiment = EXPERIMENTS.find((e) => e.accepts(suite));
  if (!experiment) {
    throw new CareprobeError(
      "SUITE_INVALID",
      `Suite ${suite.id} is of kind \`${suite.kind}\`, which this careprobe cannot run.`,
      { hint: `Known kinds: ${EXPERIMENTS.map((e) => e.kind).join(", ")}.` },
    );
  }
  return experiment;
}

/** Collected runs grouped by their experiment, in registry order. */
export function byExperiment(
  collected: ReadonlyArray<{ experiment: Experiment; collected: Collected }>,
): Array<{ experiment: Experiment; collected: Collected[] }> {
  return EXPERIMENTS.map((experiment) => ({
    experiment,
    collected: collected.filter((c) => c.experiment === experiment).map((c) => c.collected),
  }));
}
