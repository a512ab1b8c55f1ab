/**
 * `openai:<model>`: any server speaking the OpenAI chat completions API (OpenAI, vLLM,
 * Ollama, llama.cpp server, OpenRouter, Together) through the official client.
 * The client's own retries are off: the runner retries, so that backoff, Retry-After
 * and the retry budget are the same for every target kind. The client fetches through
 * careprobe's guarded fetch (no cross-origin redirects, a cap on the answer's size), the
 * time limit covers the whole request, body included, and the key is registered for
 * redaction from everything careprobe shows or stores.
 */
import OpenAI from "openai";
import { CareprobeError } from "../core/errors.js";
import { registerSecret } from "../core/secrets.js";
import type { ChatRequest, ChatResponse, Target } from "../core/types.js";
import { sdkError } from "./client-errors.js";
import { guardedFetch } from "./guarded-fetch.js";
import { readRateLimitHeaders } from "./rate-limit-headers.js";
import { requestDeadline } from "./request-deadline.js";

export interface OpenAITargetOptions {
  spec: string;
  model: string;
  apiKey?: string;
  baseURL?: string;
  fetch?: typeof fetch;
  /** The most of an answer that is read (default DEFAULT_MAX_RESPONSE_BYTES). */
  maxResponseBytes?: number;
}

export function createOpenAITarget(options: OpenAITargetOptions): Target {
  if (!options.apiKey && !options.baseURL) {
    throw new CareprobeError("TARGET_CONFIG", `${options.spec}: OPENAI_API_KEY is not set.`, {
      hint: "Set OPENAI_API_KEY, or set OPENAI_BASE_URL to an OpenAI-compatible server (vLLM, Ollama, llama.cpp server), or use --target local:default.",
    });
  }
  registerSecret(options.apiKey);
  const where = `${options.spec} at ${options.baseURL ?? "api.openai.com"}`;
  const client = new OpenAI({
    // Local servers often need no key, but the client insists on one.
    apiKey: options.apiKey || "not-needed",
    baseURL: options.baseURL,
    maxRetries: 0,
    // The time limit is careprobe's own (requestDeadline), over the body too.
    timeout: 24 * 60 * 60 * 1000,
    fetch: guardedFetch({
      where,
      ...(options.maxResponseBytes ? { maxResponseBytes: options.maxResponseBytes } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    }),
  });
  return {
    spec: options.spec,
    kind: "openai",
    handlesTimeout: true,
    // The same model name on another server is another model.
    identity: options.baseURL ?? "https://api.openai.com/v1",
    async chat(request: ChatRequest): Promise<ChatResponse> {
      const deadline = requestDeadline(request.signal, request.timeoutMs, where);
      try {
        const { data: completion, response } = await client.chat.completions
          .create(
            {
              model: options.model,
              messages: request.messages,
              temperature: request.params.temperature,
              max_tokens: request.params.maxTokens,
            },
            { signal: deadline.signal },
          )
          .withResponse();
        const rateLimit = readRateLimitHeaders(response.headers);
        return { ...toResponse(completion, options.spec), ...(rateLimit ? { rateLimit } : {}) };
      } catch (error) {
        throw toCareprobeError(error, options, deadline.signal);
      } finally {
        deadline.dispose();
      }
    },
  };
}

function toResponse(completion: unknown, spec: string): ChatResponse {
  const body = completion as {
    choices?: Array<{ message?: { content?: unknown }; finish_reason?: unknown }>;
    usage?: { prompt_tokens?: unknown; completion_tokens?: unknown };
    model?: unknown;
  };
  const choice = Array.isArray(body?.choices) ? body.choices[0] : undefined;
  const content = choice?.message?.content;
  if (!choice || (content !== null && content !== undefined && typeof content !== "string")) {
    throw new CareprobeError(
      "RESPONSE_MALFORMED",
      `${spec}: the server's reply has no choices[0].message.content`,
      {
        retryable: true,
      },
    );
  }
  return {
    text: typeof content === "string" ? content : "",
    ...(typeof body.usage?.prompt_tokens === "number"
      ? { promptTokens: body.usage.prompt_tokens }
      : {}),
    ...(typeof body.usage?.completion_tokens === "number"
      ? { completionTokens: body.usage.completion_tokens }
      : {}),
    ...(typeof choice.finish_reason === "string" ? { finishReason: choice.finish_reason } : {}),
    ...(typeof body.model === "string" ? { model: body.model } : {}),
  };
}

function toCareprobeError(
  error: unknown,
  options: OpenAITargetOptions,
  signal?: AbortSignal,
): CareprobeError {
  return sdkError(error, OpenAI, {
    spec: options.spec,
    where: `${options.spec} at ${options.baseURL ?? "api.openai.com"}`,
    ...(signal ? { signal } : {}),
    networkHint: "Check that the server is running and OPENAI_BASE_URL is right.",
    hintFor: (status) =>
      status === 401 || status === 403
        ? "Check OPENAI_API_KEY."
        : status === 404
          ? `Check the model id \`${options.model}\` and OPENAI_BASE_URL.`
          : undefined,
  });
}
