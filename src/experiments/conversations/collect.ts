/**
 * A stored conversations run as item rows (one per conversation) and observations. Each
 * conversation is rebuilt by walking it again with an `ask` that only reads the store:
 * the keys are those the run used, so the report shows exactly what was sent and
 * answered, and nothing is sent.
 */
import type { ConversationObservation } from "../../analysis/conversations.js";
import type { ConversationsSuite, Target } from "../../core/types.js";
import { requestKey } from "../../runner/plan.js";
import type { RunRecord, Store } from "../../store/store.js";
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

interface Model {
  spec: string;
  identity: string;
}

interface RunConfig {
  client?: Model | null;
  defaultClient?: boolean;
  judges?: Model[];
  defaultJudge?: boolean;
  maxTurns?: number | null;
  stopOnCritical?: boolean;
  temperature?: number | null;
  maxTokens?: number | null;
  seed?: number;
}

/** A stand-in with the spec and identity of a stored role: enough to rebuild its keys. */
function stored(model: Model): Target {
  return {
    spec: model.spec,
    kind: model.spec.split(":")[0] ?? "",
    identity: model.identity,
    chat: () => Promise.reject(new Error("reports never send requests")),
  };
}

/** An `ask` that answers from the store only: stored, failed, or not sent yet. */
export function storeAsk(store: Store): (request: AskRequest) => Answer {
  return (request) => {
    const key = requestKey(request.target, request.messages, request.params, request.sample, false);
    const row = store.results([key]).get(key);
    if (row?.status === "ok") return { status: "ok", key, text: row.text ?? "" };
    if (row?.status === "error") {
      return { status: "error", key, error: row.error ?? "request failed" };
    }
    return { status: "skipped", key };
  };
}

export function collectConversationsRun(
  store: Store,
  run: RunRecord,
  suite: ConversationsSuite,
): CollectedConversationsRun {
  const config = JSON.parse(run.config || "{}") as RunConfig;
  const judges = (config.judges ?? []).map(stored);
  const roles = {
    client: stored(config.client ?? { spec: "", identity: "" }),
    target: stored({ spec: run.target, identity: run.targetIdentity }),
    judges,
  };
  const params = {
    ...suite.params,
    ...(config.temperature == null ? {} : { temperature: config.temperature }),
    ...(config.maxTokens == null ? {} : { maxTokens: config.maxTokens }),
  };
  const control = new Set(suite.conditions.filter((c) => c.control).map((c) => c.id));
  const ask = storeAsk(store);
  const items: ConversationItemRow[] = [];
  const observations: ConversationObservation[] = [];
  const counts = { planned: 0, answered: 0, errors: 0, pending: 0, turns: 0 };
  const planned = new Set(store.runSteps(run.id).map((s) => `${s.itemId}\u0000${s.sample}`));
  for (const persona of suite.items) {
    for (let sample = 0; sample < run.samples; sample++) {
      if (!planned.has(`${persona.id}\u0000${sample}`)) continue;
      counts.planned++;
      const walked = walkStored(ask, roles, {
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
    client: config.client?.spec ?? "",
    defaultClient: config.defaultClient ?? false,
    judges: judges.map((j) => j.spec),
    defaultJudge: config.defaultJudge ?? false,
  };
}
