/** Settings every kind shares. */
import type { GenerationParams, Suite } from "../core/types.js";
import type { RunSettings } from "./experiment.js";

/** The suite's sampling settings under the run's overrides (--temperature, --max-tokens). */
export function runParams(suite: Suite, settings: RunSettings): GenerationParams {
  return {
    ...suite.params,
    ...(settings.temperature === undefined ? {} : { temperature: settings.temperature }),
    ...(settings.maxTokens === undefined ? {} : { maxTokens: settings.maxTokens }),
  };
}
