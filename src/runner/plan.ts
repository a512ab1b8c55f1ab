/**
 * Planning: which requests a run needs. Pure: builds the messages of each item under an
 * arm and the keys that identify runs and requests.
 */
import { createHash } from "node:crypto";
import type {
  Arm,
  ChatMessage,
  ChoiceItem,
  ChoiceSuite,
  GenerationParams,
  Suite,
  Target,
} from "../core/types.js";
import { letterFor } from "../judges/choice.js";
import { type OptionOrder, optionPermutations, reorderItem } from "../suites/option-order.js";
import { choiceStrata, selectItems } from "../suites/select.js";
import { systemMessage as joinSystemMessage } from "../suites/system-message.js";

export interface PlannedRequest {
  itemId: string;
  sample: number;
  key: string;
  messages: ChatMessage[];
  params: GenerationParams;
  choices: string[];
}

export interface PlannedRun {
  id: string;
  suite: Suite;
  target: Target;
  arm: Arm;
  samples: number;
  requests: PlannedRequest[];
  /** Settings beyond suite, target, arm and samples, stored with the run. */
  config?: Record<string, unknown>;
}

export interface PlanOptions {
  samples: number;
  /** Only N items of the suite, balanced over its design (see suites/select.ts). */
  limit?: number;
  /** A seeded stratified sample of N items instead. */
  sample?: { size: number; seed: number };
  /** Overrides the suite's temperature (e.g. to sample several answers). */
  temperature?: number;
  /** Overrides the suite's answer length limit. */
  maxTokens?: number;
  /** Whether the target constrains decoding to the option letters (changes outputs, so it is keyed). */
  constrained?: boolean;
  /** How each item's options are ordered (default `fixed`: as the suite writes them). */
  optionOrder?: OptionOrder;
  /** Seed of `balanced` and `shuffled` orders. */
  optionSeed?: number;
}

const sha256 = (value: unknown): string =>
  createHash("sha256").update(JSON.stringify(value)).digest("hex");

/** The system message: the arm's prompt, then the suite's answer instruction (as in the paper). */
export function systemMessage(suite: ChoiceSuite, arm: Arm): string {
  return joinSystemMessage(arm, "multiple-choice", suite.instruction);
}

export function itemMessages(suite: ChoiceSuite, arm: Arm, item: ChoiceItem): ChatMessage[] {
  return [
    { role: "system", content: systemMessage(suite, arm) },
    ...suite.fewShot,
    { role: "user", content: item.prompt },
  ];
}

/**
 * A run is identified by what it measures, not by how much of it was done: the same
 * command with a bigger --limit continues the same run.
 */
export function runId(suite: Suite, target: Target, arm: Arm, options: PlanOptions): string {
  return sha256({
    suite: suite.hash,
    target: target.spec,
    identity: target.identity ?? "",
    arm: arm.id,
    armPrompt: arm.systemPrompt ?? null,
    samples: options.samples,
    temperature: options.temperature ?? null,
    maxTokens: options.maxTokens ?? null,
    constrained: options.constrained ?? false,
    // Only a counterbalanced run carries its order, so fixed runs keep their ids.
    ...orderIdentity(options),
  }).slice(0, 24);
}

function orderIdentity(options: PlanOptions): Record<string, unknown> {
  const order = options.optionOrder ?? "fixed";
  if (order === "fixed") return {};
  if (order === "reversed") return { optionOrder: order };
  return { optionOrder: order, optionSeed: options.optionSeed ?? 0 };
}

/** The items of a suite as a run with these options shows them (reordered options). */
export function shownItems(suite: ChoiceSuite, order: OptionOrder, seed: number): ChoiceItem[] {
  if (order === "fixed") return suite.items;
  const perms = optionPermutations(suite.items, order, String(seed));
  return suite.items.map((item) => reorderItem(item, perms.get(item.id) ?? []));
}

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

export function planRun(
  suite: ChoiceSuite,
  target: Target,
  arm: Arm,
  options: PlanOptions,
): PlannedRun {
  const order = options.optionOrder ?? "fixed";
  const shown = shownItems(suite, order, options.optionSeed ?? 0);
  const items = selectItems(shown, options, choiceStrata);
  const params: GenerationParams = {
    ...suite.params,
    ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
    ...(options.maxTokens === undefined ? {} : { maxTokens: options.maxTokens }),
  };
  const constrained = options.constrained ?? false;
  const requests: PlannedRequest[] = [];
  for (const item of items) {
    const messages = itemMessages(suite, arm, item);
    const choices = item.options.map((_option, index) => letterFor(index));
    for (let sample = 0; sample < options.samples; sample++) {
      const key = requestKey(target, messages, params, sample, constrained);
      requests.push({ itemId: item.id, sample, key, messages, params, choices });
    }
  }
  return {
    id: runId(suite, target, arm, options),
    suite,
    target,
    arm,
    samples: options.samples,
    requests,
    config: {
      optionOrder: order,
      ...(order === "balanced" || order === "shuffled"
        ? { optionSeed: options.optionSeed ?? 0 }
        : {}),
    },
  };
}
