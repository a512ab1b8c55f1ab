/**
 * Executes runs of any experiment kind: records each run, then calls the kind's step
 * function on every unit of work at once; the dispatcher bounds what is in flight per
 * target. What is already stored is read back, never sent again.
 */
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
import type { Store } from "../store/store.js";
import { Dispatcher } from "./dispatch.js";
import { requestKey, sha256 } from "./plan.js";
import type { SendOptions, Stopped } from "./send.js";

export { type Job, type SendOptions, type SendSummary, sendJobs } from "./send.js";

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

type StepRow = { itemId: string; sample: number; step: string; requestKey: string; meta: string };
type ItemRow = { itemId: string; sample: number; requestKey: string };

/**
 * A run is identified by what it measures, not by how much of it was done: the same
 * command with a bigger --limit continues the same run.
 */
export function runIdOf(spec: RunSpec): { id: string; arm: string; config?: object } {
  const { suite, roles, arm, settings } = spec;
  const described = spec.experiment.describeRun(suite, roles, arm, settings);
  const id = sha256({
    suite: suite.hash,
    target: roles.target.spec,
    identity: roles.target.identity ?? "",
    arm: described.arm,
    armPrompt: arm.systemPrompt ?? null,
    samples: settings.samples,
    ...described.identity,
  }).slice(0, 24);
  return { id, arm: described.arm, ...(described.config ? { config: described.config } : {}) };
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
  return runIdOf({ experiment: multipleChoice, suite, arm, roles, settings }).id;
}

/** The name a step is stored under (schema 1 names). */
export function stepName(step: Ask["step"]): string {
  const turn = step.turn === undefined ? "" : `:${step.turn}`;
  if (step.role === "judge") return `judge:${step.check ?? 0}:${step.judge ?? 0}${turn}`;
  if (step.role === "contextualizer") return `context${turn}`;
  return `${step.role}${turn}`;
}

export async function executeRuns(
  specs: RunSpec[],
  options: ExecuteOptions,
): Promise<ExecuteSummary> {
  const started = Date.now();
  const { store } = options;
  const items = new Map<string, ItemRow[]>();
  const steps = new Map<string, StepRow[]>();
  const dispatcher = new Dispatcher(options, () => writeBookkeeping(store, items, steps));
  const outcomes: RunOutcome[] = [];
  const work: Array<Promise<void>> = [];
  let asked = 0;

  for (const spec of specs) {
    const { id, arm, config } = runIdOf(spec);
    const now = new Date().toISOString();
    store.saveSuite(spec.suite);
    store.upsertRun({
      id,
      suiteHash: spec.suite.hash,
      suiteId: spec.suite.id,
      target: spec.roles.target.spec,
      targetIdentity: spec.roles.target.identity ?? "",
      arm,
      armPrompt: spec.arm.systemPrompt ?? null,
      samples: spec.settings.samples,
      config: JSON.stringify(config ?? {}),
      toolVersion: options.toolVersion,
      createdAt: now,
      updatedAt: now,
    });
    const outcome: RunOutcome = {
      ...{ id, suite: spec.suite.id, target: spec.roles.target.spec, arm },
      ...{ planned: 0, cached: 0, ok: 0, errors: 0 },
    };
    outcomes.push(outcome);
    const runItems: ItemRow[] = [];
    const runSteps: StepRow[] = [];
    items.set(id, runItems);
    steps.set(id, runSteps);
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
          record(runItems, runSteps, unit, request, key);
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
      const run = { suite: spec.suite, arm: spec.arm, settings: spec.settings };
      work.push(spec.experiment.step(unit, context, run));
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
    dispatcher.flush();
  }
  return {
    runs: outcomes,
    interrupted: options.signal?.aborted ?? false,
    stopped: dispatcher.stopped,
    sent: dispatcher.sent,
    elapsedMs: Date.now() - started,
  };
}

function record(
  runItems: ItemRow[],
  runSteps: StepRow[],
  unit: WorkUnit,
  request: Ask,
  key: string,
): void {
  const where = { itemId: unit.itemId, sample: unit.sample };
  if (request.step.role === "target" && request.step.turn === undefined) {
    runItems.push({ ...where, requestKey: key });
  } else {
    const meta = JSON.stringify(request.meta ?? {});
    runSteps.push({ ...where, step: stepName(request.step), requestKey: key, meta });
  }
}

function writeBookkeeping(
  store: Store,
  items: Map<string, ItemRow[]>,
  steps: Map<string, StepRow[]>,
): void {
  for (const [runId, rows] of items) if (rows.length > 0) store.addRunItems(runId, rows.splice(0));
  for (const [runId, rows] of steps) if (rows.length > 0) store.addRunSteps(runId, rows.splice(0));
}

function toAnswer(key: string, result: Awaited<ReturnType<Dispatcher["ask"]>>): Answer {
  if (result.status === "ok")
    return { status: "ok", key, text: result.text, warnings: result.warnings };
  if (result.status === "error") return { status: "error", key, error: result.error };
  return { status: "skipped", key };
}
