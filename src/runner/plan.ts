/**
 * Request identity: a request is keyed by everything that changes the output (target and
 * its identity, messages, parameters, constrained decoding, sample index), so an identical
 * request is never sent twice and a rerun resumes exactly where it stopped.
 */
import { createHash } from "node:crypto";
import type { ChatMessage, GenerationParams, Target } from "../core/types.js";

export interface PlannedRequest {
  itemId: string;
  sample: number;
  key: string;
  messages: ChatMessage[];
  params: GenerationParams;
  choices: string[];
}

export const sha256 = (value: unknown): string =>
  createHash("sha256").update(JSON.stringify(value)).digest("hex");

export function requestKey(
  target: Target,
  messages: ChatMessage[],
  params: GenerationParams,
  sample: number,
  constrained: boolean,
): string {
  return sha256({
    target: target.spec,
    identity: target.identity ?? "",
    messages,
    params,
    constrained,
    sample,
  });
}
