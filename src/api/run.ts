/**
 * The one way runs are planned and executed, shared by `careprobe run` and the library's
 * `run`: suites × targets × arms, each with the roles its kind needs (judges, a
 * contextualizer, a simulated client) and the run settings, then `executeRuns`. Callers resolve names and
 * check their own input; this module decides what is run.
 */
import { createHash } from "node:crypto";
import { experimentFor } from "../catalog/experiments.js";
import type { Arm, ProgressListener, Suite, Target } from "../core/types.js";
import type { RunSettings } from "../experiments/experiment.js";
import { defaultClientSpec, defaultJudgeSpec } from "../judges/defaults.js";
import { type ExecuteSummary, executeRuns, type RunSpec } from "../runner/execute.js";
import { DEFAULT_RETRY } from "../runner/retry.js";
import { Throttles } from "../runner/throttle.js";
import type { Store } from "../store/store.js";
import type { OptionOrder } from "../suites/option-order.js";
import {
  checkTranscriptConditions,
  parseTranscripts,
  readTranscriptsText,
} from "../suites/transcripts.js";
import { toolVersion } from "./context.js";

/** What to run, resolved: every suite against every target under every arm. */
export interface RunPlan {
  suites: Suite[];
  targets: Target[];
  arms: Arm[];
  /** Judge specs for kinds that need judges; absent: careprobe's default judge per target. */
  judges?: readonly string[];
  contextualizer?: Target;
  samples: number;
  limit?: number;
  sample?: { size: number; seed: number };
  temperature?: number;
  maxTokens?: number;
  /** Constrain local models to the option letters (`--grammar`). */
  grammar: boolean;
  /** Multiple-choice suites: the options' order (`--option-order`) and its seed. */
  optionOrder?: OptionOrder;
  optionSeed?: number;
  charLimit?: number;
  transcripts?: RunSettings["transcripts"];
  interval: number;
  judgeSeed: number;
  /** Conversations: the simulated client's spec; absent: careprobe's default per target. */
  client?: string;
  /** Conversations: the limit on the target's replies, over every persona's own. */
  maxTurns?: number;
  /** Conversations: end a conversation at its first critical failure. */
  stopOnCritical?: boolean;
}

/** How a plan is sent: the store it is written to, limits, and who hears progress. */
export interface Execution {
  store: Store;
  concurrency: number;
  timeoutMs: number;
  retries: number;
  rpm?: number;
  tpm?: number;
  signal?: AbortSignal;
  onEvent?: ProgressListener;
  /** Choices careprobe made for the caller (a default simulated client), said once each. */
  onNote?: (message: string) => void;
}

/**
 * The runs of a plan; `makeTarget` turns judge and client specs into targets (and may
 * reuse them). `onNote` hears each default client careprobe chose, once.
 */
export function planRuns(
  plan: RunPlan,
  makeTarget: (spec: string) => Target,
  onNote?: (message: string) => void,
): RunSpec[] {
  const { charLimit, contextualizer, maxTokens, transcripts } = plan;
  const clientFor = defaultClients(plan, makeTarget, onNote);
  const specs: RunSpec[] = [];
  for (const suite of plan.suites) {
    const experiment = experimentFor(suite);
    const adjusted = experiment.adjustSuite?.(suite, { ...(charLimit ? { charLimit } : {}) });
    for (const target of plan.targets) {
      const judges = experiment.needsJudges
        ? (plan.judges ?? [defaultJudgeSpec(target.kind, target.spec)]).map(makeTarget)
        : [];
      const client = experiment.needsClient ? clientFor(target) : undefined;
      const roles = {
        target,
        judges,
        ...(contextualizer ? { contextualizer } : {}),
        ...(client ? { client } : {}),
      };
      // A CPU writes a few tokens a second: a kind may cap local answers (e.g. to what is judged).
      const length = maxTokens ?? (target.kind === "local" ? experiment.localMaxTokens : undefined);
      const settings: RunSettings = {
        samples: plan.samples,
        ...(plan.limit === undefined ? {} : { limit: plan.limit }),
        ...(plan.sample ? { sample: plan.sample } : {}),
        ...(plan.temperature === undefined ? {} : { temperature: plan.temperature }),
        ...(length === undefined ? {} : { maxTokens: length }),
        constrained: plan.grammar && target.kind === "local",
        ...(plan.optionOrder ? { optionOrder: plan.optionOrder } : {}),
        ...(plan.optionSeed === undefined ? {} : { optionSeed: plan.optionSeed }),
        ...(transcripts ? { transcripts } : {}),
        interval: plan.interval,
        defaultJudge: plan.judges === undefined,
        judgeSeed: plan.judgeSeed,
        ...(plan.maxTurns === undefined ? {} : { maxTurns: plan.maxTurns }),
        stopOnCritical: plan.stopOnCritical ?? false,
        defaultClient: plan.client === undefined,
      };
      for (const arm of plan.arms) {
        specs.push({ experiment, suite: adjusted ?? suite, arm, roles, settings });
      }
    }
  }
  return specs;
}

/** The simulated client of a target's conversations: the plan's, or the default by kind. */
function defaultClients(
  plan: RunPlan,
  makeTarget: (spec: string) => Target,
  onNote: ((message: string) => void) | undefined,
): (target: Target) => Target {
  const noted = new Set<string>();
  return (target) => {
    if (plan.client !== undefined) return makeTarget(plan.client);
    const spec = defaultClientSpec(target.kind, target.spec);
    if (!noted.has(spec)) {
      noted.add(spec);
      onNote?.(
        `the simulated client is ${spec}, careprobe's default for ${target.kind}: targets; choose one with --client`,
      );
    }
    return makeTarget(spec);
  };
}

/** Plans and executes: what is stored already is read back, the rest is sent. */
export function runPlan(
  plan: RunPlan,
  makeTarget: (spec: string) => Target,
  execution: Execution,
): Promise<ExecuteSummary> {
  const { rpm, tpm } = execution;
  return executeRuns(planRuns(plan, makeTarget, execution.onNote), {
    store: execution.store,
    concurrency: execution.concurrency,
    timeoutMs: execution.timeoutMs,
    retry: { ...DEFAULT_RETRY, retries: execution.retries },
    throttles: new Throttles({
      ...(rpm === undefined ? {} : { rpm }),
      ...(tpm === undefined ? {} : { tpm }),
    }),
    ...(execution.signal ? { signal: execution.signal } : {}),
    ...(execution.onEvent ? { onEvent: execution.onEvent } : {}),
    toolVersion: toolVersion(),
  });
}

/** Reads a transcripts file (JSONL) and checks its conditions against the suites'. */
export function readTranscripts(file: string, suites: Suite[]): RunSettings["transcripts"] {
  const text = readTranscriptsText(file);
  const list = parseTranscripts(text, file);
  // Conditions a transcript may name: those of the suites that place stimuli in transcripts.
  const conditions = new Set(
    suites.flatMap((suite) => experimentFor(suite).transcriptConditions?.(suite) ?? []),
  );
  checkTranscriptConditions(list, file, conditions);
  return { file, hash: createHash("sha256").update(text).digest("hex"), list };
}
