/**
 * `http:<url>` or `http:<config.json>`: a deployed chatbot behind its own HTTP API, tested
 * as it is. A small JSON config says where to send the conversation, how to shape the
 * request body and where the answer is in the response (docs/design/http-targets.md).
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { CareprobeError } from "../core/errors.js";
import { readInputText } from "../core/input-file.js";
import { registerSecret } from "../core/secrets.js";
import type { ChatMessage, ChatRequest, ChatResponse, Target } from "../core/types.js";
import { cleanError, isRetryableStatus, retryAfterSeconds, serverText } from "./client-errors.js";
import { guardedFetch } from "./guarded-fetch.js";
import { readRateLimitHeaders } from "./rate-limit-headers.js";

const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;
const WHOLE_MESSAGES = /^\{\{\s*messages\s*\}\}$/;
const KNOWN_PLACEHOLDERS = ["messages", "last_user_message", "system"];
const ENV_REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const CREDENTIAL_HEADER = /auth|key|token|secret|cookie|session|password/i;

const configSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }),
  method: z.enum(["POST", "PUT", "PATCH"]).default("POST"),
  headers: z.record(z.string(), z.string()).default({}),
  // The environment variables `${NAME}` in header values may name; no others are expanded.
  env: z.array(z.string().regex(ENV_NAME, "must be an environment variable name")).default([]),
  body: z.json().default({ messages: "{{messages}}" }),
  roles: z
    .strictObject({
      user: z.string().default("user"),
      assistant: z.string().default("assistant"),
      // null leaves system messages out of {{messages}} ({{system}} still has them).
      system: z.string().nullable().default("system"),
    })
    .prefault({}),
  reply: z
    .string()
    .regex(/^[^.]+(\.[^.]+)*$/, "must be a dot path such as `choices.0.message.content`")
    .default("reply"),
  timeout_ms: z.number().int().positive().optional(),
});

export type HttpTargetConfig = z.infer<typeof configSchema>;
type Json = HttpTargetConfig["body"];

export interface HttpTargetOptions {
  spec: string;
  /** What follows `http:`: an http(s) URL (defaults), or the path of a JSON config file. */
  source: string;
  /** Where `${NAME}` in header values is looked up (only names the config declares in `env`). */
  env: Record<string, string | undefined>;
  fetch?: typeof fetch;
  /** The most of an answer that is read (default DEFAULT_MAX_RESPONSE_BYTES). */
  maxResponseBytes?: number;
}

const configError = (message: string, hint?: string) =>
  new CareprobeError("TARGET_CONFIG", message, hint ? { hint } : {});

/** Reads and checks a config; `file` names it in errors. */
export function parseHttpTargetConfig(raw: unknown, file: string): HttpTargetConfig {
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.slice(0, 5).map((issue) => {
      const field = issue.path.join(".");
      if (issue.code !== "unrecognized_keys")
        return `field \`${field || "(top level)"}\`: ${issue.message}`;
      const known = field ? "" : ` (known: ${Object.keys(configSchema.shape).join(", ")})`;
      return `unknown field \`${[...issue.path, issue.keys.join("`, `")].join(".")}\`${known}`;
    });
    throw configError(`${file}: ${problems.join("; ")}`);
  }
  const used = new Set<string>();
  mapStrings(result.data.body, "body", (value, path) => {
    for (const match of value.matchAll(PLACEHOLDER)) {
      const name = match[1] ?? "";
      const problem = !KNOWN_PLACEHOLDERS.includes(name)
        ? `has an unknown placeholder ${match[0]}; known: {{messages}}, {{last_user_message}}, {{system}}`
        : name === "messages" && !WHOLE_MESSAGES.test(value)
          ? "uses {{messages}} inside a longer string; it must be the whole value (it becomes an array)"
          : undefined;
      if (problem) throw configError(`${file}: field \`${path}\` ${problem}.`);
      used.add(name);
    }
    return value;
  });
  if (!used.has("messages") && !used.has("last_user_message")) {
    throw configError(
      `${file}: field \`body\` uses neither {{messages}} nor {{last_user_message}}, so the bot would never see the conversation.`,
    );
  }
  return result.data;
}

/** A copy of a JSON value with every string replaced by `map(string, its dot path)`. */
function mapStrings(value: Json, path: string, map: (text: string, path: string) => Json): Json {
  if (typeof value === "string") return map(value, path);
  if (Array.isArray(value))
    return value.map((item, index) => mapStrings(item, `${path}.${index}`, map));
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, mapStrings(item, `${path}.${key}`, map)]),
  );
}

const SPEC_HINT =
  "Give the chatbot's URL (http:https://bot.example.com/chat) or a JSON config file (http:./bot.json).";

/** The config file's text, refused (with its path) when missing, over its size limit or not UTF-8. */
function readConfigText(source: string): string {
  try {
    return readInputText(source, {
      what: "target config file",
      kind: "target",
      code: "TARGET_CONFIG",
      hint: SPEC_HINT,
    });
  } catch (error) {
    const errno = ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code;
    if (!errno) throw error;
    throw configError(
      `http:${source}: cannot read the config file \`${source}\` (${errno}).`,
      SPEC_HINT,
    );
  }
}

function loadConfig(source: string): { config: HttpTargetConfig; file?: string } {
  if (/^https?:\/\//i.test(source))
    return { config: parseHttpTargetConfig({ url: source }, source) };
  const text = readConfigText(source);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw configError(`${source}: not valid JSON (${(error as Error).message}).`);
  }
  return { config: parseHttpTargetConfig(raw, source), file: source };
}

/**
 * Header values with `${NAME}` replaced from the environment, for the names the config
 * declares in `env` only: a config cannot send a key it did not ask for (say
 * `${OPENAI_API_KEY}`) to its URL. Values from the environment, and the whole value of
 * a header that uses one or whose name says it holds a credential, are registered as secrets.
 */
function resolveHeaders(config: HttpTargetConfig, env: HttpTargetOptions["env"], file: string) {
  const headers: Record<string, string> = {};
  for (const [name, template] of Object.entries(config.headers)) {
    headers[name] = template.replace(ENV_REFERENCE, (_whole, variable: string) => {
      if (!config.env.includes(variable)) {
        throw configError(
          `${file}: header \`${name}\` uses \${${variable}}, which the config does not declare in \`env\`.`,
          `careprobe expands only the environment variables a config lists: add "env": ["${variable}"] to ${file} if this bot should get it.`,
        );
      }
      const value = env[variable];
      if (!value) {
        throw configError(
          `${file}: header \`${name}\` needs the environment variable ${variable}, which is not set.`,
          `Set ${variable} before running careprobe.`,
        );
      }
      registerSecret(value);
      return value;
    });
    if (template !== headers[name] || CREDENTIAL_HEADER.test(name)) registerSecret(headers[name]);
  }
  const named = (wanted: string) =>
    Object.keys(headers).some((name) => name.toLowerCase() === wanted);
  if (!named("content-type")) headers["content-type"] = "application/json";
  return headers;
}

/** URL plus a hash of everything that shapes the exchange, without header values. */
export function httpTargetIdentity(config: HttpTargetConfig): string {
  const { headers, timeout_ms: _timeout, env: _env, ...shape } = config;
  // Sorted keys: the order of keys in the file does not change the hash.
  const sorted = (_key: string, value: unknown) =>
    value !== null && typeof value === "object" && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : value;
  const text = JSON.stringify({ ...shape, headers: Object.keys(headers).sort() }, sorted);
  return `${config.url} config-sha256:${createHash("sha256").update(text).digest("hex")}`;
}

/** The body template with the conversation filled in. */
export function renderHttpBody(config: HttpTargetConfig, messages: ChatMessage[]): Json {
  const system = messages.filter((message) => message.role === "system");
  const users = messages.filter((message) => message.role === "user");
  const text: Record<string, string> = {
    system: system.map((message) => message.content).join("\n"),
    last_user_message: users.at(-1)?.content ?? "",
  };
  const conversation = messages.flatMap((message) => {
    const role = config.roles[message.role];
    return role === null ? [] : [{ role, content: message.content }];
  });
  return mapStrings(config.body, "body", (value) =>
    WHOLE_MESSAGES.test(value)
      ? conversation
      : value.replace(PLACEHOLDER, (whole, name: string) => text[name] ?? whole),
  );
}

/** Follows a dot path (numeric segments index arrays); says where it stopped if it fails. */
export function readReplyPath(body: unknown, path: string): { text: string } | { problem: string } {
  let value = body;
  const segments = path.split(".");
  for (const [index, segment] of segments.entries()) {
    const inside = value !== null && typeof value === "object" && Object.hasOwn(value, segment);
    value = inside ? (value as Record<string, unknown>)[segment] : undefined;
    if (value === undefined)
      return { problem: `\`${segments.slice(0, index + 1).join(".")}\` is missing` };
  }
  if (typeof value === "string") return { text: value };
  const kind = value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
  return { problem: `\`${path}\` is ${kind}, not a string` };
}

/** Names only, never values: the response may hold anything. */
function describeTopLevel(body: unknown): string {
  if (Array.isArray(body)) return `the response is an array of ${body.length} items`;
  if (body === null || typeof body !== "object") return `the response is ${typeof body}`;
  const keys = Object.keys(body);
  const shown = keys.slice(0, 20).map((key) => key.replace(/[^\x20-\x7e]/g, "?").slice(0, 40));
  return keys.length === 0
    ? "the response is an empty object"
    : `its top-level keys: ${shown.join(", ")}`;
}

function sendFailure(error: unknown, where: string, caller?: AbortSignal, timeout?: AbortSignal) {
  const reason: unknown = caller?.reason;
  if (reason instanceof CareprobeError) return reason;
  if (caller?.aborted) return new CareprobeError("ABORTED", `${where}: request aborted`);
  if (timeout?.aborted) {
    return new CareprobeError("TIMEOUT", `${where}: no answer within the config's timeout_ms`, {
      retryable: true,
      cause: error,
    });
  }
  // A refused redirect or an answer too large, from careprobe's own fetch.
  if (error instanceof CareprobeError) return error;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const why = serverText(cause?.code ?? cause?.message ?? (error as Error).message);
  return new CareprobeError("NETWORK", `${where}: cannot connect (${why})`, {
    retryable: true,
    cause: error,
    hint: "Check that the chatbot is running and its URL is right.",
  });
}

export function createHttpTarget(options: HttpTargetOptions): Target {
  const { config, file } = loadConfig(options.source);
  const headers = resolveHeaders(config, options.env, file ?? options.spec);
  const where = file ? `${options.spec} (${config.url})` : options.spec;
  const send = guardedFetch({
    where,
    ...(options.maxResponseBytes ? { maxResponseBytes: options.maxResponseBytes } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const authHint = file
    ? `Check the headers in ${file} and the environment variables they name.`
    : "The chatbot wants credentials: give a JSON config file with `headers`.";

  const statusError = (response: Response, text: string) => {
    const status = response.status;
    const hint =
      status === 401 || status === 403
        ? authHint
        : status === 404 || status === 405
          ? "Check the chatbot's URL and method."
          : undefined;
    const detail = serverText(text, 200);
    return new CareprobeError("HTTP_STATUS", `${where}: HTTP ${status}${detail && `: ${detail}`}`, {
      retryable: isRetryableStatus(status),
      status,
      retryAfterSeconds: retryAfterSeconds(response.headers.get("retry-after")),
      ...(hint ? { hint } : {}),
    });
  };

  return {
    spec: options.spec,
    kind: "http",
    identity: httpTargetIdentity(config),
    // The runner enforces the run's timeout; `timeout_ms` from the config applies as well.
    handlesTimeout: false,
    async chat(request: ChatRequest): Promise<ChatResponse> {
      const timeout = config.timeout_ms ? AbortSignal.timeout(config.timeout_ms) : undefined;
      const signals = [request.signal, timeout].filter((signal) => signal !== undefined);
      let response: Response;
      let text: string;
      try {
        response = await send(config.url, {
          method: config.method,
          headers,
          body: JSON.stringify(renderHttpBody(config, request.messages)),
          ...(signals.length > 0 ? { signal: AbortSignal.any(signals) } : {}),
        });
        text = await response.text();
      } catch (error) {
        throw sendFailure(error, where, request.signal, timeout);
      }
      if (!response.ok) throw cleanError(statusError(response, text));
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        const type = serverText(response.headers.get("content-type") ?? "no content-type", 80);
        const message = `${where}: the response is not JSON (${type})`;
        throw new CareprobeError("RESPONSE_MALFORMED", message, { retryable: true });
      }
      const reply = readReplyPath(body, config.reply);
      if ("problem" in reply) {
        throw new CareprobeError(
          "RESPONSE_MALFORMED",
          `${where}: reply path \`${config.reply}\` does not lead to a string: ${reply.problem}; ${describeTopLevel(body)}`,
          { hint: file ? `Check \`reply\` in ${file}.` : "Give a JSON config file with `reply`." },
        );
      }
      const rateLimit = readRateLimitHeaders(response.headers);
      return { text: reply.text, ...(rateLimit ? { rateLimit } : {}) };
    },
  };
}
