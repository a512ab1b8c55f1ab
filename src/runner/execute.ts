/**
 * Executes runs of any experiment kind: records each run, then calls the kind's step
 * function on every unit of work at once; the dispatcher bounds what is in flight per
 * target. What is already stored is read back, never sent again.
 */
import type { ModelRef } from "../core/run-record.js";
import type { Arm, ChoiceSuite, Suite, Target } from "../core/types.js";
import type {
  Answer,
  Ask,
  Experiment,
  Roles,
  RunSettings,
  StepContext,
  WorkUnit,
} from "../experiments/experiment.js";
import { multipleChoice } from "../experiments/multiple-choice/index.js";
import { deriveRunId, type NewRun, RunWriter } from "../store/run-writer.js";
import { Dispatcher } from "./dispatch.js";
import { requestKey } from "./plan.js";
import type { SendOptions, Stopped } from "./send.js";

export { sendJobs } from "./dispatch.js";
export type { Job, SendOptions, SendSummary } from "./send.js";

/** One run to execute: a suite of some kind, a target (with the other roles), an arm. */
export interface RunSpec {
  experiment: Experiment;
  suite: Suite;
  arm: Arm;
  roles: Roles;
  settings: RunSettings;
}

export type ExecuteOptions = SendOptions & { toolVersion: string };

export interface RunOutcome {
  id: string;
  suite: string;
  target: string;
  arm: string;
  /** The target's answers the run needs (so far: later turns are planned as they come). */
  planned: number;
  cached: number;
  ok: number;
  errors: number;
}

export interface ExecuteSummary {
  runs: RunOutcome[];
  interrupted: boolean;
  /** Targets given up on, with the reason the user should act on. */
  stopped: Stopped;
  sent: number;
  elapsedMs: number;
}

const ref = (target: Target): ModelRef => ({ spec: target.spec, identity: target.identity ?? "" });

/** The run as the writer stores it: typed roles, the kind's identity fields and config. */
export function newRun(spec: RunSpec, toolVersion: string): NewRun {
  const { suite, roles, arm, settings } = spec;
  const described = spec.experiment.describeRun(suite, roles, arm, settings);
  return {
    suite,
    roles: {
      target: ref(roles.target),
      judges: roles.judges.map(ref),
      ...(roles.contextualizer ? { contextualizer: ref(roles.contextualizer) } : {}),
      ...(roles.client ? { client: ref(roles.client) } : {}),
    },
    arm: described.arm,
    armPrompt: arm.systemPrompt ?? null,
    samples: settings.samples,
    identity: described.identity,
    config: described.config ?? {},
    toolVersion,
  };
}

/** The id of a multiple-choice run of `suite` (the same as `careprobe run` gives it). */
export function runId(
  suite: ChoiceSuite,
  target: Target,
  arm: Arm,
  options: { samples: number; temperature?: number; maxTokens?: number; constrained?: boolean },
): string {
  const { constrained = false, ...rest } = options;
  const settings = { ...rest, constrained, interval: 50, defaultJudge: false, judgeSeed: 0 };
  const roles = { target, judges: [] };
  return deriveRunId(newRun({ experiment: multipleChoice, suite, arm, roles, settings }, ""));
}

export async function executeRuns(
  specs: RunSpec[],
  options: ExecuteOptions,
): Promise<ExecuteSummary> {
  const started = Date.now();
  const writer = new RunWriter(options.store);
  const dispatcher = new Dispatcher(options, () => writer.flush());
  const outcomes: RunOutcome[] = [];
  const work: Array<Promise<void>> = [];
  let asked = 0;

  for (const spec of specs) {
    const run = newRun(spec, options.toolVersion);
    const id = writer.begin(run);
    const outcome: RunOutcome = {
      ...{ id, suite: spec.suite.id, target: spec.roles.target.spec, arm: run.arm },
      ...{ planned: 0, cached: 0, ok: 0, errors: 0 },
    };
    outcomes.push(outcome);
    for (const unit of spec.experiment.units(spec.suite, spec.arm, spec.settings)) {
      const context: StepContext = {
        roles: spec.roles,
        ask: async (request) => {
          const key = requestKey(
            request.target,
            request.messages,
            request.params,
            request.sample,
            request.constrained ?? false,
          );
          record(writer, id, unit, request, key);
          dispatcher.scheduleFlush();
          const isAnswer = request.step.role === "target";
          const pending = dispatcher.ask(request.target, {
            itemId: unit.itemId,
            sample: request.sample,
            key,
            messages: request.messages,
            params: request.params,
            choices: request.choices ?? [],
          });
          asked++;
          if (isAnswer) outcome.planned++;
          const result = await pending;
          if (result.status !== "skipped" && result.cached) {
            if (isAnswer) outcome.cached++;
          } else if (isAnswer && result.status === "ok") outcome.ok++;
          else if (isAnswer && result.status === "error") outcome.errors++;
          return toAnswer(key, result);
        },
      };
      const about = { suite: spec.suite, arm: spec.arm, settings: spec.settings };
      work.push(spec.experiment.step(unit, context, about));
    }
  }
  // Every unit has asked its first question (synchronously): that is the plan. Then sending starts.
  options.onEvent?.({
    type: "plan",
    total: asked,
    cached: dispatcher.fromStore,
    toSend: dispatcher.toSend,
    runs: specs.length,
  });
  dispatcher.release();
  try {
    await Promise.all(work);
  } finally {
    dispatcher.close();
  }
  return {
    runs: outcomes,
    interrupted: options.signal?.aborted ?? false,
    stopped: dispatcher.stopped,
    sent: dispatcher.sent,
    elapsedMs: Date.now() - started,
  };
}

function record(writer: RunWriter, runId: string, unit: WorkUnit, request: Ask, key: string): void {
  const { itemId, sample } = unit;
  if (request.step.role === "target" && request.step.turn === undefined) {
    writer.item(runId, {
      itemId,
      sample,
      requestKey: key,
      ...(unit.where ? { where: unit.where } : {}),
    });
  } else {
    writer.step(runId, {
      itemId,
      sample,
      step: request.step,
      requestKey: key,
      meta: request.meta ?? {},
    });
  }
}

function toAnswer(key: string, result: Awaited<ReturnType<Dispatcher["ask"]>>): Answer {
  if (result.status === "ok")
    return { status: "ok", key, text: result.text, warnings: result.warnings };
  if (result.status === "error") return { status: "error", key, error: result.error };
  return { status: "skipped", key };
}
