/**
 * `openai:<model>` over plain `fetch`: a thin typed client of the chat completions API
 * (OpenAI, vLLM, Ollama, llama.cpp server, OpenRouter, Together). The request is the four
 * fields careprobe sends; the reply is checked with zod; errors follow the same rule as
 * every HTTP target (client-errors.ts): 408/409/429/5xx and network errors retryable,
 * Retry-After honoured, the runner retries. The fetch is careprobe's guarded fetch
 * (same-origin redirects only, a cap on the answer), the deadline covers the body, and the
 * key is registered for redaction. See docs/design/openai-client.md for why this replaced
 * the official client.
 */
import { z } from "zod";
import { CareprobeError } from "../core/errors.js";
import { registerSecret } from "../core/secrets.js";
import type { ChatRequest, ChatResponse, Target } from "../core/types.js";
import { cleanError, isRetryableStatus, retryAfterSeconds, serverText } from "./client-errors.js";
import { guardedFetch } from "./guarded-fetch.js";
import { readRateLimitHeaders } from "./rate-limit-headers.js";
import { requestDeadline } from "./request-deadline.js";

export const OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1";

export interface OpenAITargetOptions {
  spec: string;
  model: string;
  apiKey?: string;
  baseURL?: string;
  fetch?: typeof fetch;
  /** The most of an answer that is read (default DEFAULT_MAX_RESPONSE_BYTES). */
  maxResponseBytes?: number;
}

const Completion = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullish() }),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number() }).partial().nullish(),
  model: z.string().nullish(),
});

const ErrorBody = z.object({ error: z.object({ message: z.string() }) });

export function createOpenAITarget(options: OpenAITargetOptions): Target {
  if (!options.apiKey && !options.baseURL) {
    throw new CareprobeError("TARGET_CONFIG", `${options.spec}: OPENAI_API_KEY is not set.`, {
      hint: "Set OPENAI_API_KEY, or set OPENAI_BASE_URL to an OpenAI-compatible server (vLLM, Ollama, llama.cpp server), or use --target local:default.",
    });
  }
  registerSecret(options.apiKey);
  const base = (options.baseURL ?? OPENAI_DEFAULT_BASE_URL).replace(/\/+$/, "");
  const url = `${base}/chat/completions`;
  const where = `${options.spec} at ${options.baseURL ?? "api.openai.com"}`;
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json",
    // Local servers need no key; sending none is what they expect.
    ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
  };
  const send = guardedFetch({
    where,
    ...(options.maxResponseBytes ? { maxResponseBytes: options.maxResponseBytes } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const hintFor = (status: number) =>
    status === 401 || status === 403
      ? "Check OPENAI_API_KEY."
      : status === 404
        ? `Check the model id \`${options.model}\` and OPENAI_BASE_URL.`
        : undefined;

  return {
    spec: options.spec,
    kind: "openai",
    handlesTimeout: true,
    // The same model name on another server is another model.
    identity: options.baseURL ?? OPENAI_DEFAULT_BASE_URL,
    async chat(request: ChatRequest): Promise<ChatResponse> {
      const deadline = requestDeadline(request.signal, request.timeoutMs, where);
      const body = JSON.stringify({
        model: options.model,
        messages: request.messages,
        temperature: request.params.temperature,
        max_tokens: request.params.maxTokens,
      });
      let response: Response;
      let text: string;
      try {
        response = await send(url, { method: "POST", headers, body, signal: deadline.signal });
        text = await response.text();
      } catch (error) {
        throw cleanError(failure(error, where, deadline.signal));
      } finally {
        deadline.dispose();
      }
      if (!response.ok) throw cleanError(statusError(response, text, where, hintFor));
      const rateLimit = readRateLimitHeaders(response.headers);
      return { ...toResponse(text, where), ...(rateLimit ? { rateLimit } : {}) };
    },
  };
}

function failure(error: unknown, where: string, signal: AbortSignal): CareprobeError {
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    return reason instanceof CareprobeError
      ? reason
      : new CareprobeError("ABORTED", `${where}: request aborted`);
  }
  if (error instanceof CareprobeError) return error;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const why = serverText(cause?.code ?? cause?.message ?? (error as Error).message ?? "");
  return new CareprobeError("NETWORK", `${where}: cannot connect (${why})`, {
    retryable: true,
    cause: error,
    hint: "Check that the server is running and OPENAI_BASE_URL is right.",
  });
}

function statusError(
  response: Response,
  text: string,
  where: string,
  hintFor: (status: number) => string | undefined,
): CareprobeError {
  const { status } = response;
  let detail = text;
  try {
    const parsed = ErrorBody.safeParse(JSON.parse(text));
    if (parsed.success) detail = parsed.data.error.message;
  } catch {
    // Not JSON: the body itself, cut short, is the detail.
  }
  const hint = hintFor(status);
  return new CareprobeError("HTTP_STATUS", `${where}: HTTP ${status}: ${serverText(detail)}`, {
    retryable: isRetryableStatus(status),
    status,
    retryAfterSeconds: retryAfterSeconds(response.headers.get("retry-after")),
    ...(hint ? { hint } : {}),
  });
}

function toResponse(text: string, where: string): ChatResponse {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CareprobeError("RESPONSE_MALFORMED", `${where}: the reply is not JSON`, {
      retryable: true,
    });
  }
  const parsed = Completion.safeParse(json);
  if (!parsed.success) {
    throw new CareprobeError(
      "RESPONSE_MALFORMED",
      `${where}: the server's reply has no choices[0].message.content`,
      { retryable: true },
    );
  }
  const { choices, usage, model } = parsed.data;
  const choice = choices[0];
  return {
    text: choice?.message.content ?? "",
    ...(typeof usage?.prompt_tokens === "number" ? { promptTokens: usage.prompt_tokens } : {}),
    ...(typeof usage?.completion_tokens === "number"
      ? { completionTokens: usage.completion_tokens }
      : {}),
    ...(typeof choice?.finish_reason === "string" ? { finishReason: choice.finish_reason } : {}),
    ...(typeof model === "string" ? { model } : {}),
  };
}
