/**
 * A fake OpenAI-compatible chat server for tests, demos and benchmarks. It listens on
 * 127.0.0.1 only, answers deterministically, and misbehaves on demand (latency, 429,
 * 500, hangs, malformed bodies, dropped sockets, empty answers).
 */
import { createHash } from "node:crypto";
import { setMaxListeners } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { setTimeout as delay } from "node:timers/promises";
import {
  type HostileKind,
  type HostileSettings,
  type RedirectFault,
  sendHostile,
} from "./fake-hostile.js";

export interface FakeChatMessage {
  role: string;
  content: string;
}

/** The part of an OpenAI chat request the fake server reads. */
export interface FakeChatRequest {
  model: string;
  messages: FakeChatMessage[];
  temperature?: number;
  max_tokens?: number;
  seed?: number;
}

export type FaultKind =
  | "fail429"
  | "fail500"
  | "hang"
  | "malformed"
  | "drop"
  | "empty"
  | HostileKind;

/**
 * What a rule makes of one request: a fault kind, a 429 with its own Retry-After, or a
 * redirect. Hostile kinds (fake-hostile.ts): `echoKey` (a 400 whose message repeats the
 * Authorization header), `escapes` (a 400 with terminal escapes in its message), `trickle`
 * (a 200 sent a byte every `trickleMs`), `huge` (a 200 whose answer has `hugeChars`
 * characters, without a content-length), `redirect`.
 */
export type Fault = FaultKind | { kind: "fail429"; retryAfterSeconds: number } | RedirectFault;

/**
 * Misbehaviour on demand. Each counter is "the next N chat requests": `fail429` get a 429
 * with `Retry-After: retryAfterSeconds` (default 0); `fail500` a 500; `hang` never get an
 * answer (the socket stays open); `drop` a destroyed socket; `malformed` a 200 whose body
 * is not JSON; `empty` a 200 with content "". Counters go down by one as they are used.
 */
export interface FaultSettings extends HostileSettings {
  /** Delay before every chat answer (or fault), in milliseconds. */
  latencyMs?: number;
  retryAfterSeconds?: number;
  fail429?: number;
  fail500?: number;
  hang?: number;
  drop?: number;
  malformed?: number;
  empty?: number;
  echoKey?: number;
  escapes?: number;
  trickle?: number;
  huge?: number;
  /** Per-request control, consulted before the counters; `index` counts chat requests from 0. */
  rules?: (request: FakeChatRequest, index: number) => Fault | undefined;
}

export interface FakeOpenAIOptions extends FaultSettings {
  /** When set, chat and model requests need `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** The assistant's answer; by default a letter A–E chosen by hashing the last user message. */
  answer?: (request: FakeChatRequest) => string | Promise<string>;
  /**
   * A provider-like rate limit: at most `requests` chat requests per fixed window of
   * `windowMs`. Every answer carries OpenAI's `x-ratelimit-*-requests` headers; a request
   * over the limit gets a 429 with Retry-After (counted as `fail429`).
   */
  rateLimit?: { requests: number; windowMs: number };
  /** Keep every request in `requests` (default true); benchmarks of long runs turn it off. */
  keepLog?: boolean;
}

export interface FakeRequestLogEntry {
  method: string;
  path: string;
  /** The parsed chat request; undefined for other paths or unreadable bodies. */
  body?: FakeChatRequest;
  /** Whether an Authorization header came with the request (its value is never kept). */
  hasAuthorization: boolean;
  /** `Date.now()` when the request arrived. */
  receivedAt: number;
  /** The fault the request got, if any. */
  fault?: FaultKind;
}

export interface FakeOpenAIStats {
  /** Every HTTP request the server saw, whatever the path or outcome. */
  received: number;
  /** Chat requests answered with a regular 200 (including `empty`). */
  answered: number;
  faults: Record<FaultKind, number>;
}

export interface FakeOpenAI {
  /** Base URL ending in `/v1`, e.g. `http://127.0.0.1:PORT/v1`. */
  readonly url: string;
  readonly port: number;
  /** Every request, oldest first; it only grows, so keep a server to one test or run. */
  readonly requests: readonly FakeRequestLogEntry[];
  readonly stats: FakeOpenAIStats;
  /** Merges the given settings into the current ones (counters replace, not add). */
  setFaults(settings: FaultSettings): void;
  /** Closes the server and every socket, hung ones included. Safe to call twice. */
  close(): Promise<void>;
}

const FAULT_ORDER = [
  "fail429",
  "fail500",
  "hang",
  "drop",
  "malformed",
  "empty",
  "echoKey",
  "escapes",
  "trickle",
  "huge",
] as const;
const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** The default answer: a stable letter for a given last user message. */
export function defaultFakeAnswer(request: FakeChatRequest): string {
  const lastUser = request.messages.findLast((message) => message.role === "user");
  const digest = createHash("sha256")
    .update(lastUser?.content ?? "")
    .digest();
  return "ABCDE"[(digest[0] ?? 0) % 5] ?? "A";
}

function sendJson(response: ServerResponse, status: number, body: unknown, retryAfter?: string) {
  const text = JSON.stringify(body);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (retryAfter !== undefined) headers["retry-after"] = retryAfter;
  response.writeHead(status, { ...headers, "content-length": Buffer.byteLength(text) });
  response.end(text);
}

/** An OpenAI-style error body. */
function apiError(message: string, type = "invalid_request_error", code: string | null = null) {
  return { error: { message, type, param: null, code } };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reject(new Error("request body too large"));
      else chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
    request.on("close", () => {
      if (!request.complete) reject(new Error("client went away before sending the whole body"));
    });
  });
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

function parseChatRequest(text: string): FakeChatRequest | undefined {
  let record: Record<string, unknown>;
  try {
    record = asRecord(JSON.parse(text));
  } catch {
    return undefined;
  }
  if (!Array.isArray(record.messages)) return undefined;
  const messages = record.messages.map((message: unknown) => {
    const entry = asRecord(message);
    return { role: String(entry.role ?? ""), content: String(entry.content ?? "") };
  });
  const request: FakeChatRequest = { model: String(record.model ?? ""), messages };
  for (const key of ["temperature", "max_tokens", "seed"] as const) {
    const value = record[key];
    if (typeof value === "number") request[key] = value;
  }
  return request;
}

function completion(body: FakeChatRequest, content: string, id: number) {
  // A rough token count (about four characters a token), enough for a plausible `usage`.
  const promptTokens = Math.ceil(body.messages.reduce((n, m) => n + m.content.length, 0) / 4);
  const completionTokens = Math.ceil(content.length / 4);
  const message = { role: "assistant", content };
  return {
    id: `chatcmpl-fake-${id}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: body.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: "stop" }],
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    },
  };
}

/** Sets the rate-limit headers of each response; a 429 fault for a request over the limit. */
function rateLimiter(
  rateLimit: FakeOpenAIOptions["rateLimit"],
): (response: ServerResponse) => Fault | undefined {
  let windowStart = Date.now();
  let windowCount = 0;
  return (response) => {
    if (rateLimit === undefined) return undefined;
    const now = Date.now();
    if (now - windowStart >= rateLimit.windowMs) {
      windowStart = now;
      windowCount = 0;
    }
    const admitted = windowCount < rateLimit.requests;
    if (admitted) windowCount++;
    const resetMs = Math.max(1, windowStart + rateLimit.windowMs - now);
    response.setHeader("x-ratelimit-limit-requests", String(rateLimit.requests));
    response.setHeader("x-ratelimit-remaining-requests", String(rateLimit.requests - windowCount));
    response.setHeader("x-ratelimit-reset-requests", `${resetMs}ms`);
    return admitted ? undefined : { kind: "fail429", retryAfterSeconds: Math.ceil(resetMs / 1000) };
  };
}

function emptyStats(): FakeOpenAIStats {
  return {
    received: 0,
    answered: 0,
    faults: {
      fail429: 0,
      fail500: 0,
      hang: 0,
      malformed: 0,
      drop: 0,
      empty: 0,
      echoKey: 0,
      escapes: 0,
      trickle: 0,
      huge: 0,
      redirect: 0,
    },
  };
}

/** The plain faults: a dropped connection, a 429, a 500, a truncated body. */
function sendFault(
  kind: string,
  fault: Fault | undefined,
  response: ServerResponse,
  faults: FaultSettings,
): void {
  if (kind === "drop") {
    response.socket?.destroy();
  } else if (kind === "fail429") {
    const seconds =
      typeof fault === "object" && fault.kind === "fail429"
        ? fault.retryAfterSeconds
        : (faults.retryAfterSeconds ?? 0);
    const error = apiError("Rate limit reached (fake).", "requests", "rate_limit_exceeded");
    sendJson(response, 429, error, String(seconds));
  } else if (kind === "fail500") {
    sendJson(response, 500, apiError("The server had an error (fake).", "server_error"));
  } else if (kind === "malformed") {
    response.writeHead(200, { "content-type": "application/json" });
    response.end('{"id":"chatcmpl-fake","object":"chat.completion","choices":[{"mess');
  }
}

/** Faults answered by the hostile-server helpers (fake-hostile.ts). */
const HOSTILE: ReadonlySet<string> = new Set(["echoKey", "escapes", "trickle", "huge", "redirect"]);
const isHostile = (kind: string): kind is HostileKind => HOSTILE.has(kind);

/** Serves `handle` on 127.0.0.1 (port 0: any free one), keeping its sockets for close(). */
async function listen(
  handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>,
  port: number,
  sockets: Set<Socket>,
): Promise<{ server: ReturnType<typeof createServer>; address: AddressInfo }> {
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent || response.destroyed) return;
      const message = error instanceof Error ? error.message : String(error);
      sendJson(response, 500, apiError(message, "server_error"));
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return { server, address: server.address() as AddressInfo };
}

/**
 * Answers what is not a chat completion (an unknown route, a wrong key, the model list, a
 * body without messages); returns the chat request otherwise.
 */
function routeRequest(
  request: IncomingMessage,
  response: ServerResponse,
  text: string,
  apiKey: string | undefined,
): FakeChatRequest | undefined {
  const method = request.method ?? "GET";
  const path = (request.url ?? "/").split("?")[0] ?? "/";
  const route = `${method} ${path.replace(/^\/v1\//, "/")}`;
  if (route !== "POST /chat/completions" && route !== "GET /models") {
    sendJson(response, 404, apiError(`No route ${method} ${path} (fake).`));
  } else if (apiKey !== undefined && request.headers.authorization !== `Bearer ${apiKey}`) {
    const error = apiError("Incorrect API key provided (fake).", undefined, "invalid_api_key");
    sendJson(response, 401, error);
  } else if (route === "GET /models") {
    const data = [{ id: "fake-model", object: "model", created: 0, owned_by: "careprobe" }];
    sendJson(response, 200, { object: "list", data });
  } else {
    const body = parseChatRequest(text);
    if (body !== undefined) return body;
    sendJson(response, 400, apiError("Send a JSON body with a `messages` array (fake)."));
  }
  return undefined;
}

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const {
    apiKey,
    port = 0,
    answer = defaultFakeAnswer,
    keepLog = true,
    rateLimit,
    ...initialFaults
  } = options;
  const overLimit = rateLimiter(rateLimit);
  let faults: FaultSettings = { ...initialFaults };
  const requests: FakeRequestLogEntry[] = [];
  const stats = emptyStats();
  const sockets = new Set<Socket>();
  /** Aborted by close(), so pending latency delays end at once. */
  const closing = new AbortController();
  setMaxListeners(0, closing.signal); // One listener per delayed request, by design.
  let chatIndex = 0;

  /** Picks this request's fault: the rule first, then the counters, each used once. */
  function chooseFault(request: FakeChatRequest, index: number): Fault | undefined {
    const ruled = faults.rules?.(request, index);
    if (ruled !== undefined) return ruled;
    const kind = FAULT_ORDER.find((name) => (faults[name] ?? 0) > 0);
    if (kind !== undefined) faults = { ...faults, [kind]: (faults[kind] ?? 1) - 1 };
    return kind;
  }

  async function handleChat(
    request: IncomingMessage,
    response: ServerResponse,
    entry: FakeRequestLogEntry,
  ) {
    const body = entry.body as FakeChatRequest;
    const index = chatIndex++;
    const fault = overLimit(response) ?? chooseFault(body, index);
    const kind = typeof fault === "object" ? fault.kind : fault;
    if (kind !== undefined) {
      entry.fault = kind;
      stats.faults[kind] += 1;
    }
    if (kind === "hang") return; // Never answer; close() or the client ends the socket.
    const latency = faults.latencyMs ?? 0;
    if (latency > 0) await delay(latency, undefined, { signal: closing.signal }).catch(() => {});
    if (response.destroyed || closing.signal.aborted) return;
    if (kind !== undefined && isHostile(kind)) {
      const redirect = typeof fault === "object" && fault.kind === "redirect" ? fault : undefined;
      const json = (content: string) => JSON.stringify(completion(body, content, index));
      sendHostile(kind, request, response, { ...faults, redirect }, json, closing.signal);
    } else if (kind !== undefined && kind !== "empty") {
      sendFault(kind, fault, response, faults);
    } else {
      const content = kind === "empty" ? "" : await answer(body);
      if (response.destroyed || closing.signal.aborted) return;
      stats.answered += 1;
      sendJson(response, 200, completion(body, content, index));
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    stats.received += 1;
    const path = (request.url ?? "/").split("?")[0] ?? "/";
    const entry: FakeRequestLogEntry = {
      method: request.method ?? "GET",
      path,
      hasAuthorization: request.headers.authorization !== undefined,
      receivedAt: Date.now(),
    };
    if (keepLog) requests.push(entry);
    const body = routeRequest(request, response, await readBody(request), apiKey);
    if (body === undefined) return;
    entry.body = body;
    await handleChat(request, response, entry);
  }

  const { server, address } = await listen(handle, port, sockets);
  return {
    url: `http://127.0.0.1:${address.port}/v1`,
    port: address.port,
    requests,
    stats,
    setFaults(settings: FaultSettings): void {
      faults = { ...faults, ...settings };
    },
    close(): Promise<void> {
      if (closing.signal.aborted) return Promise.resolve();
      closing.abort();
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      return done;
    },
  };
}
