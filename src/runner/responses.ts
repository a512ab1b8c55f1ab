/**
 * The responses experiment's runs as one call (what `careprobe run` does for responses
 * suites): a convenience over `executeRuns` for callers that record answers one at a
 * time (the web app). See src/experiments/responses/.
 */
import type { Arm, ResponsesSuite, Target } from "../core/types.js";
import { responses } from "../experiments/responses/index.js";
import type { Transcript } from "../suites/transcripts.js";
import { type ExecuteOptions, type ExecuteSummary, executeRuns } from "./execute.js";

export interface ResponsesOptions {
  samples: number;
  limit?: number;
  temperature?: number;
  maxTokens?: number;
  transcripts?: { file: string; hash: string; list: Transcript[] };
  interval: number;
  contextualizer?: Target;
  judges: Target[];
  /** True when the user gave no --judge and careprobe chose one: reports say it is unvalidated. */
  defaultJudge: boolean;
  /** The judges' option-order seed. */
  seed: number;
  /** Only these stimuli (answers recorded one at a time by people: Answer and Capture). */
  only?: ReadonlySet<string>;
}

export interface ResponsesRunSpec {
  suite: ResponsesSuite;
  target: Target;
  arm: Arm;
}

export function executeResponsesRuns(
  specs: ResponsesRunSpec[],
  options: ResponsesOptions,
  send: ExecuteOptions,
): Promise<ExecuteSummary> {
  const { seed, judges, contextualizer, only, ...rest } = options;
  return executeRuns(
    specs.map(({ suite, target, arm }) => ({
      experiment: responses,
      suite,
      arm,
      roles: { target, judges, ...(contextualizer ? { contextualizer } : {}) },
      settings: { ...rest, constrained: false, judgeSeed: seed, ...(only ? { only } : {}) },
    })),
    send,
  );
}
