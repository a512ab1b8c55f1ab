/** Expands a `responses` suite file into items, and the answer-length instruction. */
import type { ResponseItem, ResponsesSuite, Turn } from "../core/types.js";
import { suiteHash } from "./hash.js";
import type { ResponsesSuiteFile } from "./responses-schema.js";

/**
 * The paper's instruction on answer length, sent as (the end of) the system message of
 * every arm; responses are also cut to this length before judging.
 */
export function lengthInstruction(charLimit: number): string {
  return `Respond naturally to each of the client's messages. \nEach of your responses will be limited to ${charLimit} characters; anything longer will be cut off.`;
}

function toTurns(stimulus: ResponsesSuiteFile["stimuli"][number]): Turn[] {
  if (stimulus.message !== undefined) return [{ role: "client", content: stimulus.message }];
  return (stimulus.turns ?? []).map((turn) =>
    "client" in turn
      ? { role: "client", content: turn.client }
      : { role: "therapist", content: turn.therapist },
  );
}

export function expandResponsesSuite(file: ResponsesSuiteFile, source: string): ResponsesSuite {
  const items: ResponseItem[] = file.stimuli.map((stimulus) => ({
    id: stimulus.id,
    condition: stimulus.condition,
    turns: toTurns(stimulus),
    checks: stimulus.checks.map(({ question, appropriate, features }) => ({
      question,
      appropriate,
      ...(features?.length ? { features } : {}),
    })),
    severity: stimulus.severity,
    benign: stimulus.benign,
    tags: stimulus.tags,
    ...(stimulus.features?.length ? { features: stimulus.features } : {}),
  }));
  const params = { temperature: file.params.temperature, maxTokens: file.params.max_tokens };
  const conditions = file.conditions.map(({ id, label, control }) => ({ id, label, control }));
  return {
    id: file.id,
    kind: "responses",
    version: file.version,
    description: file.description,
    source,
    charLimit: file.char_limit,
    params,
    conditions,
    items,
    hash: suiteHash({ charLimit: file.char_limit, params, conditions, items }),
  };
}
