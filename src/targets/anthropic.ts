/**
 * `anthropic:<model>`: Anthropic's Messages API through the official client. The client's
 * own retries are off (the runner retries for every target kind alike), and the client is
 * loaded on the first request so that runs without an Anthropic target never load it.
 *
 * Requests use API version 2023-06-01: the SDK's default (2026-10-21) rejects any
 * `temperature`, and the paper's method runs at temperature 0. A temperature of 1 (the
 * API's default) is left out, so models that refuse the parameter run with `--temperature 1`;
 * one above the API's maximum of 1 is clamped to 1. Either change is recorded in the
 * response's `warnings`. See docs/design/http-targets.md.
 */
import type Anthropic from "@anthropic-ai/sdk";
import { CareprobeError } from "../core/errors.js";
import { registerSecret } from "../core/secrets.js";
import type { ChatMessage, ChatRequest, ChatResponse, Target } from "../core/types.js";
import { sdkError } from "./client-errors.js";
import { guardedFetch } from "./guarded-fetch.js";
import { readRateLimitHeaders } from "./rate-limit-headers.js";
import { requestDeadline } from "./request-deadline.js";

export const ANTHROPIC_DEFAULT_BASE_URL = "https://api.anthropic.com";
export const ANTHROPIC_API_VERSION = "2023-06-01";

export interface AnthropicTargetOptions {
  spec: string;
  model: string;
  apiKey?: string;
  baseURL?: string;
  fetch?: typeof fetch;
  /** The most of an answer that is read (default DEFAULT_MAX_RESPONSE_BYTES). */
  maxResponseBytes?: number;
}

type AnthropicModule = typeof import("@anthropic-ai/sdk");

/** The Messages API takes system text as a parameter, not as a message. */
export function toAnthropicMessages(messages: ChatMessage[]): {
  system?: string;
  messages: Array<{ role: "user" | "assistant"; content: string }>;
} {
  const system = messages.filter((message) => message.role === "system");
  const turns = messages.flatMap((message) =>
    message.role === "system" ? [] : [{ role: message.role, content: message.content }],
  );
  return {
    ...(system.length > 0 ? { system: system.map((message) => message.content).join("\n") } : {}),
    messages: turns,
  };
}

export function createAnthropicTarget(options: AnthropicTargetOptions): Target {
  if (!options.apiKey) {
    throw new CareprobeError("TARGET_CONFIG", `${options.spec}: ANTHROPIC_API_KEY is not set.`, {
      hint: "Set ANTHROPIC_API_KEY to an Anthropic API key (and ANTHROPIC_BASE_URL to reach the API through a proxy).",
    });
  }
  const apiKey = options.apiKey;
  registerSecret(apiKey);
  const baseURL = options.baseURL || ANTHROPIC_DEFAULT_BASE_URL;
  const where = `${options.spec} at ${baseURL}`;
  let loaded: Promise<{ sdk: AnthropicModule; client: Anthropic }> | undefined;
  const load = () => {
    loaded ??= import("@anthropic-ai/sdk").then((sdk) => ({
      sdk,
      client: new sdk.default({
        apiKey,
        baseURL,
        maxRetries: 0,
        // A long default: the runner's timeout applies, and a short one here would cut
        // requests the runner allows (the client also refuses large max_tokens without one).
        timeout: 24 * 60 * 60 * 1000,
        // The library never prints; tracing is not used.
        logLevel: "off",
        openTelemetry: false,
        // The SDK sends the key as a bearer token; proxies often read only x-api-key.
        defaultHeaders: { "anthropic-version": ANTHROPIC_API_VERSION, "x-api-key": apiKey },
        // No cross-origin redirects (they would carry x-api-key), a cap on the answer.
        fetch: guardedFetch({
          where,
          ...(options.maxResponseBytes ? { maxResponseBytes: options.maxResponseBytes } : {}),
          ...(options.fetch ? { fetch: options.fetch } : {}),
        }),
      }),
    }));
    return loaded.catch((error: unknown) => {
      loaded = undefined;
      throw error instanceof CareprobeError
        ? error
        : new CareprobeError("TARGET_CONFIG", `${options.spec}: cannot load @anthropic-ai/sdk`, {
            hint: "Reinstall careprobe's dependencies (npm ci).",
            cause: error,
          });
    });
  };
  return {
    spec: options.spec,
    kind: "anthropic",
    handlesTimeout: true,
    // The same model name behind another base URL (a proxy, a gateway) may be another model.
    identity: baseURL,
    async chat(request: ChatRequest): Promise<ChatResponse> {
      const { sdk, client } = await load();
      const { temperature, warnings } = anthropicTemperature(request.params.temperature);
      const body = {
        model: options.model,
        ...toAnthropicMessages(request.messages),
        max_tokens: request.params.maxTokens,
        ...(temperature === undefined ? {} : { temperature }),
      };
      const deadline = requestDeadline(request.signal, request.timeoutMs, where);
      try {
        // `post` rather than `messages.create`, which prints deprecation warnings to the
        // console (the library never prints) and has no `temperature` in its types.
        const { data: message, response: http } = await client
          .post<unknown>("/v1/messages", {
            body,
            // The time limit covers the whole request, body included.
            signal: deadline.signal,
          })
          .withResponse();
        const rateLimit = readRateLimitHeaders(http.headers);
        return {
          ...toResponse(message, options.spec),
          ...(warnings.length > 0 ? { warnings } : {}),
          ...(rateLimit ? { rateLimit } : {}),
        };
      } catch (error) {
        throw toCareprobeError(error, sdk, options, baseURL, deadline.signal);
      } finally {
        deadline.dispose();
      }
    },
  };
}

/** Anthropic's maximum temperature. */
const MAX_TEMPERATURE = 1;

/**
 * The temperature to send, and what was changed: 1 (the API's default) is left out, since
 * some models refuse the parameter altogether; above 1 is clamped to 1 (and so left out).
 */
export function anthropicTemperature(requested: number): {
  temperature?: number;
  warnings: string[];
} {
  if (requested > MAX_TEMPERATURE) {
    return {
      warnings: [
        `temperature ${requested} clamped to ${MAX_TEMPERATURE}, the Anthropic API's maximum, and left out of the request (${MAX_TEMPERATURE} is the API's default)`,
      ],
    };
  }
  if (requested === MAX_TEMPERATURE) {
    return {
      warnings: [
        "temperature 1 left out of the request: it is the Anthropic API's default, and some models refuse the parameter",
      ],
    };
  }
  return { temperature: requested, warnings: [] };
}

function toResponse(message: unknown, spec: string): ChatResponse {
  const body = message as {
    content?: unknown;
    usage?: { input_tokens?: unknown; output_tokens?: unknown };
    stop_reason?: unknown;
    model?: unknown;
  };
  if (!body || !Array.isArray(body.content)) {
    throw new CareprobeError("RESPONSE_MALFORMED", `${spec}: the server's reply has no content`, {
      retryable: true,
    });
  }
  let text = "";
  for (const block of body.content as Array<{ type?: unknown; text?: unknown }>) {
    if (block?.type === "text" && typeof block.text === "string") text += block.text;
  }
  return {
    text,
    ...(typeof body.usage?.input_tokens === "number"
      ? { promptTokens: body.usage.input_tokens }
      : {}),
    ...(typeof body.usage?.output_tokens === "number"
      ? { completionTokens: body.usage.output_tokens }
      : {}),
    ...(typeof body.stop_reason === "string" ? { finishReason: body.stop_reason } : {}),
    ...(typeof body.model === "string" ? { model: body.model } : {}),
  };
}

function toCareprobeError(
  error: unknown,
  sdk: AnthropicModule,
  options: AnthropicTargetOptions,
  baseURL: string,
  signal?: AbortSignal,
): CareprobeError {
  return sdkError(error, sdk, {
    spec: options.spec,
    where: `${options.spec} at ${baseURL}`,
    ...(signal ? { signal } : {}),
    networkHint: "Check the network, and ANTHROPIC_BASE_URL if it is set.",
    hintFor: (status, detail) =>
      status === 401 || status === 403
        ? "Check ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL if it is set)."
        : status === 404
          ? `Check the model id \`${options.model}\` and ANTHROPIC_BASE_URL.`
          : status === 400 && /temperature/i.test(detail)
            ? "This model accepts no temperature but its default: run it with --temperature 1."
            : undefined,
  });
}
