/**
 * The multiple-choice experiment's metric rows: the published stigma and abstention rows,
 * and beside them (issue 11) the crossed vignette × question interval on every stigma row,
 * abstention bounds, the letter distribution and warnings; with `report --contrasts`, the
 * paired item-matched and demographic contrasts. Nothing here changes a published number.
 */
import { abstentionRows } from "../../analysis/abstention.js";
import { demographicContrasts } from "../../analysis/demographic.js";
import { pairedStigmaContrasts } from "../../analysis/paired-stigma.js";
import { positionBiasRows } from "../../analysis/position-bias.js";
import { stigmaMetrics } from "../../analysis/stigma.js";
import {
  boundsRows,
  CONTRAST_RESAMPLES,
  letterRows,
  withCrossedIntervals,
  withWarnings,
} from "../../analysis/stigma-rigor.js";
import type { MetricOptions, Metrics } from "../experiment.js";
import type { CollectedRun } from "./collect.js";

export function choiceMetrics(collected: readonly CollectedRun[], options: MetricOptions): Metrics {
  const bootstrap = { seed: options.seed, resamples: options.resamples };
  const observations = collected.flatMap((c) => c.observations);
  const plain = stigmaMetrics(observations, bootstrap);
  const stigma = withCrossedIntervals(plain, observations, bootstrap);
  const measured = collected.filter((c) => c.observations.length > 0);
  const controls = new Set(
    collected.flatMap((c) =>
      c.suite.conditions.filter((x) => x.control).map((x) => JSON.stringify([c.suite.id, x.id])),
    ),
  );
  const rows = withWarnings(
    [
      ...stigma,
      ...abstentionRows(plain, bootstrap),
      ...boundsRows(stigma),
      // Beside stigma rates only: a run whose items measure no stigma gets none.
      ...letterRows(measured.flatMap((c) => c.items)),
      ...positionBiasRows(measured),
    ],
    controls,
  );
  if (!options.contrasts) return { rows, compared: stigma };
  // Hundreds of contrasts on a full audit: fewer resamples each (docs/design/statistics.md).
  const contrast = {
    seed: options.seed,
    resamples: Math.min(options.resamples, CONTRAST_RESAMPLES),
  };
  return {
    rows,
    compared: stigma,
    sections: {
      paired_comparisons: pairedStigmaContrasts(observations, contrast),
      demographic_contrasts: collected.flatMap((c) =>
        demographicContrasts(c.observations, contrast),
      ),
    },
  };
}
