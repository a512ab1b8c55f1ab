/**
 * Target specs → targets. `kind:rest`, where rest is everything after the first colon
 * (model ids may contain `:` and `/`). An explicit map, one factory per kind.
 */
import { CareprobeError } from "../core/errors.js";
import type { ProgressListener, Target } from "../core/types.js";
import { createAnthropicTarget } from "./anthropic.js";
import { createHttpTarget } from "./http.js";
import { createLocalTarget } from "./local.js";
import { findLocalModel } from "./local-models.js";
import { canonicalModelPath } from "./model-identity.js";
import { createOpenAITarget } from "./openai.js";

export interface TargetContext {
  env: NodeJS.ProcessEnv;
  home: string;
  fetch?: typeof fetch;
  onEvent?: ProgressListener;
  /** Constrain local models' output to the option letters. */
  constrainChoices?: boolean;
  /** The most of a server's answer that is read (hosted and http: targets). */
  maxResponseBytes?: number;
}

type Factory = (rest: string, spec: string, context: TargetContext) => Target;

const FACTORIES: Record<string, Factory> = {
  openai: (model, spec, context) =>
    createOpenAITarget({
      spec,
      model,
      apiKey: context.env.OPENAI_API_KEY,
      baseURL: context.env.OPENAI_BASE_URL,
      ...(context.fetch ? { fetch: context.fetch } : {}),
      ...(context.maxResponseBytes ? { maxResponseBytes: context.maxResponseBytes } : {}),
    }),
  local: (model, spec, context) =>
    createLocalTarget({
      // One spelling per file: `local:./m.gguf` and `local:m.gguf` are one model.
      spec: findLocalModel(model) === undefined ? `local:${canonicalModelPath(model)}` : spec,
      model,
      home: context.home,
      constrainChoices: context.constrainChoices ?? false,
      // A mirror for local:default (air-gapped networks); the pinned sha256 still applies.
      ...(context.env.CAREPROBE_MODEL_URL ? { downloadUrl: context.env.CAREPROBE_MODEL_URL } : {}),
      ...(context.fetch ? { fetch: context.fetch } : {}),
      ...(context.onEvent ? { onEvent: context.onEvent } : {}),
    }),
  anthropic: (model, spec, context) =>
    createAnthropicTarget({
      spec,
      model,
      apiKey: context.env.ANTHROPIC_API_KEY,
      baseURL: context.env.ANTHROPIC_BASE_URL,
      ...(context.fetch ? { fetch: context.fetch } : {}),
      ...(context.maxResponseBytes ? { maxResponseBytes: context.maxResponseBytes } : {}),
    }),
  http: (source, spec, context) =>
    createHttpTarget({
      spec,
      source,
      env: context.env,
      ...(context.fetch ? { fetch: context.fetch } : {}),
      ...(context.maxResponseBytes ? { maxResponseBytes: context.maxResponseBytes } : {}),
    }),
};

export const TARGET_KINDS = Object.keys(FACTORIES);

export function parseTargetSpec(spec: string): { kind: string; rest: string } {
  const colon = spec.indexOf(":");
  if (colon <= 0 || colon === spec.length - 1) {
    throw new CareprobeError(
      "TARGET_UNKNOWN",
      `Target \`${spec}\` is not of the form kind:model.`,
      {
        hint: "Examples: openai:gpt-4o-2024-08-06, anthropic:<model>, local:default, local:./model.gguf, http:./bot.json",
      },
    );
  }
  return { kind: spec.slice(0, colon), rest: spec.slice(colon + 1) };
}

export function createTarget(spec: string, context: TargetContext): Target {
  const { kind, rest } = parseTargetSpec(spec);
  const factory = FACTORIES[kind];
  if (!factory) {
    throw new CareprobeError("TARGET_UNKNOWN", `Unknown target kind \`${kind}\` in \`${spec}\`.`, {
      hint: `Known kinds: ${TARGET_KINDS.join(", ")}.`,
    });
  }
  return factory(rest, spec, context);
}
