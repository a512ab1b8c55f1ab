/**
 * A stored conversations run as item rows (one per conversation) and observations. Each
 * conversation is rebuilt by walking it again with an `ask` that only reads the store:
 * every request the walk would make is looked up by its step (role, turn, check, judge)
 * among the steps the run recorded for that persona and sample, so the report shows
 * exactly what was sent and answered, and nothing is sent.
 */
import { z } from "zod";
import type { ConversationObservation } from "../../analysis/conversations.js";
import type { ModelRef, StepRef } from "../../core/run-record.js";
import type { ConversationsSuite, Target } from "../../core/types.js";
import { validate } from "../../store/records.js";
import type { RunRecord, StepRow, Store } from "../../store/store.js";
import type { Collected } from "../experiment.js";
import { type ConversationItemRow, conversationRow } from "./rows.js";
import { armPromptFor } from "./step.js";
import { toObservation } from "./verdicts.js";
import { type Answer, type AskRequest, walkStored } from "./walk.js";

export interface CollectedConversationsRun
  extends Collected<ConversationItemRow, ConversationObservation> {
  suite: ConversationsSuite;
  client: string;
  defaultClient: boolean;
  judges: string[];
  defaultJudge: boolean;
}

/** The settings a conversations run stores with itself (see index.ts, describeRun). */
const configSchema = z.looseObject({
  defaultClient: z.boolean().optional(),
  defaultJudge: z.boolean().optional(),
  maxTurns: z.number().int().positive().nullable().optional(),
  stopOnCritical: z.boolean().optional(),
  temperature: z.number().nullable().optional(),
  maxTokens: z.number().nullable().optional(),
  seed: z.number().optional(),
});

/** A stand-in with the spec and identity of a stored role: enough to walk its requests. */
function stored(model: ModelRef): Target {
  return {
    spec: model.spec,
    kind: model.spec.split(":")[0] ?? "",
    identity: model.identity,
    chat: () => Promise.reject(new Error("reports never send requests")),
  };
}

/** A step's place among an item's steps, from its typed columns. */
const stepKey = (step: StepRef) =>
  JSON.stringify([step.role, step.turn ?? null, step.check ?? null, step.judge ?? null]);

const unitKey = (itemId: string, sample: number) => JSON.stringify([itemId, sample]);

/** The run's steps by persona and sample, then by step. */
function stepsByUnit(steps: readonly StepRow[]): Map<string, Map<string, StepRow>> {
  const out = new Map<string, Map<string, StepRow>>();
  for (const row of steps) {
    const unit = unitKey(row.itemId, row.sample);
    const byStep = out.get(unit) ?? new Map<string, StepRow>();
    byStep.set(stepKey(row.step), row);
    out.set(unit, byStep);
  }
  return out;
}

/** An `ask` that answers from the store only: stored, failed, or not sent yet. */
export function storeAsk(
  store: Store,
  steps: ReadonlyMap<string, StepRow>,
): (request: AskRequest) => Answer {
  return (request) => {
    const row = steps.get(stepKey(request.step));
    if (!row) return { status: "skipped", key: "" };
    const key = row.requestKey;
    const result = store.results([key]).get(key);
    if (result?.status === "ok") {
      return { status: "ok", key, text: result.text ?? "", warnings: result.warnings };
    }
    if (result?.status === "error") {
      return { status: "error", key, error: result.error ?? "request failed" };
    }
    return { status: "skipped", key };
  };
}

export function collectConversationsRun(
  store: Store,
  run: RunRecord,
  suite: ConversationsSuite,
): CollectedConversationsRun {
  const config = validate(configSchema, run.config, `the config of run ${run.id}`);
  const judges = run.roles.judges.map(stored);
  const roles = {
    client: stored(run.roles.client ?? { spec: "", identity: "" }),
    target: stored(run.roles.target),
    judges,
  };
  const params = {
    ...suite.params,
    ...(config.temperature == null ? {} : { temperature: config.temperature }),
    ...(config.maxTokens == null ? {} : { maxTokens: config.maxTokens }),
  };
  const control = new Set(suite.conditions.filter((c) => c.control).map((c) => c.id));
  const items: ConversationItemRow[] = [];
  const observations: ConversationObservation[] = [];
  const counts = { planned: 0, answered: 0, errors: 0, pending: 0, turns: 0 };
  const units = stepsByUnit(store.runSteps(run.id));
  for (const persona of suite.items) {
    for (let sample = 0; sample < run.samples; sample++) {
      const steps = units.get(unitKey(persona.id, sample));
      if (!steps) continue;
      counts.planned++;
      const walked = walkStored(storeAsk(store, steps), roles, {
        suite,
        persona,
        sample,
        armPrompt: armPromptFor(persona, run.armPrompt ?? undefined),
        params,
        ...(config.maxTurns == null ? {} : { maxTurns: config.maxTurns }),
        stopOnCritical: config.stopOnCritical ?? false,
        seed: config.seed ?? 0,
      });
      const context = {
        suite: run.suiteId,
        target: run.target,
        arm: run.arm,
        control: control.has(persona.condition),
      };
      items.push(conversationRow(walked, { ...context, judges: judges.map((j) => j.spec) }));
      counts.turns += walked.turns.length;
      if (walked.end === "pending") counts.pending++;
      else if (walked.end === "error") counts.errors++;
      else counts.answered++;
      const observation = toObservation(walked, context);
      if (observation) observations.push(observation);
    }
  }
  return {
    run,
    suite,
    items,
    observations,
    counts,
    client: run.roles.client?.spec ?? "",
    defaultClient: config.defaultClient ?? false,
    judges: judges.map((j) => j.spec),
    defaultJudge: config.defaultJudge ?? false,
  };
}
