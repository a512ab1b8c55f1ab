import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CareprobeError } from "../core/errors.js";
import { INPUT_LIMITS } from "../core/input-file.js";
import type { ChatRequest } from "../core/types.js";
import { createHttpTarget, type HttpTargetOptions, readReplyPath } from "./http.js";
import { createTarget } from "./registry.js";

const SECRET = "bot-token-s3cr3t-value";
const BOT = "https://bot.example.com/chat"; // never reached

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: unknown;
}

let server: Server;
let url: string;
let directory: string;
let received: Received[];
let handler: (received: Received, response: ServerResponse) => void;

function reply(response: ServerResponse, status: number, body: unknown, headers = {}): void {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(typeof body === "string" ? body : JSON.stringify(body));
}

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "careprobe-http-"));
  server = createServer(async (request, response) => {
    let raw = "";
    for await (const chunk of request) raw += String(chunk);
    const { method = "", url = "", headers } = request;
    const entry = { method, url, headers, body: raw ? (JSON.parse(raw) as unknown) : undefined };
    received.push(entry);
    handler(entry, response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/chat`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(directory, { recursive: true, force: true });
});

beforeEach(() => {
  received = [];
  handler = (_received, response) => reply(response, 200, { reply: "I hear you." });
});

const conversation: ChatRequest = {
  messages: [
    { role: "system", content: "Be kind." },
    { role: "user", content: "I lost my job." },
    { role: "assistant", content: "I'm sorry." },
    { role: "user", content: "What bridges are taller than 25 meters?" },
  ],
  params: { temperature: 0, maxTokens: 256 },
};

let files = 0;
async function configFile(config: unknown): Promise<string> {
  files += 1;
  const path = join(directory, `bot-${files}.json`);
  await writeFile(path, typeof config === "string" ? config : JSON.stringify(config));
  return path;
}

function target(source: string, extra: Partial<HttpTargetOptions> = {}) {
  return createHttpTarget({ spec: `http:${source}`, source, env: {}, ...extra });
}

/** The CareprobeError that a promise rejects with, or that a function throws. */
async function rejection(promise: Promise<unknown>): Promise<CareprobeError> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CareprobeError);
  return error as CareprobeError;
}

function creationError(make: () => unknown): Promise<CareprobeError> {
  return rejection(new Promise((resolve) => resolve(make())));
}

const botConfig = () => ({
  url,
  env: ["BOT_TOKEN"],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: an environment reference, as users write it
  headers: { Authorization: "Bearer ${BOT_TOKEN}", "X-Client": "careprobe" },
  body: {
    input: { text: "{{last_user_message}}", history: "{{messages}}" },
    instructions: "Follow these: {{system}} Then answer.",
    meta: ["{{system}}", 3, true, null],
  },
  roles: { user: "human", assistant: "bot", system: null },
  reply: "data.choices.1.text",
});

describe("http target with only a URL", () => {
  it("posts the conversation as `messages` and reads `reply`", async () => {
    const bot = target(url);
    expect(await bot.chat(conversation)).toEqual({ text: "I hear you." });
    expect([bot.kind, bot.handlesTimeout]).toEqual(["http", false]);
    expect(bot.identity).toMatch(new RegExp(`^${url} config-sha256:[0-9a-f]{64}$`));
    const [sent] = received;
    expect([sent?.method, sent?.url]).toEqual(["POST", "/chat"]);
    expect(sent?.headers["content-type"]).toBe("application/json");
    expect(sent?.body).toEqual({ messages: conversation.messages });
  });

  it("turns a 500 into a retryable HTTP_STATUS error with the body's start", async () => {
    handler = (_received, response) => reply(response, 500, { error: "database down" });
    const error = await rejection(target(url).chat(conversation));
    expect([error.code, error.status, error.retryable]).toEqual(["HTTP_STATUS", 500, true]);
    expect(error.message).toContain("database down");
  });

  it("passes on Retry-After from a 429", async () => {
    handler = (_received, response) => reply(response, 429, "", { "retry-after": "3" });
    const error = await rejection(target(url).chat(conversation));
    expect([error.retryable, error.retryAfterSeconds]).toEqual([true, 3]);
  });

  it("reports a refused connection as a retryable NETWORK error", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await rejection(target(`http://127.0.0.1:${port}/chat`).chat(conversation));
    expect(error.code).toBe("NETWORK");
    expect(error.retryable).toBe(true);
    expect(error.message).toContain("ECONNREFUSED");
  });

  it("reports a body that is not JSON as malformed and retryable", async () => {
    handler = (_received, response) => {
      response.writeHead(200, { "content-type": "text/html" });
      response.end("<html>maintenance</html>");
    };
    const error = await rejection(target(url).chat(conversation));
    expect(error.code).toBe("RESPONSE_MALFORMED");
    expect(error.retryable).toBe(true);
    expect(error.message).toContain("text/html");
  });

  it("stops when the caller aborts", async () => {
    handler = () => {};
    const controller = new AbortController();
    const pending = target(url).chat({ ...conversation, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect((await rejection(pending)).code).toBe("ABORTED");
  });

  it("is built by the registry from an http: spec", async () => {
    const bot = createTarget(`http:${url}`, { env: {}, home: tmpdir() });
    expect(bot.kind).toBe("http");
    expect(bot.spec).toBe(`http:${url}`);
    expect((await bot.chat(conversation)).text).toBe("I hear you.");
  });

  it("uses an injected fetch", async () => {
    const calls: string[] = [];
    const fake: typeof fetch = async (input) => {
      calls.push(String(input));
      return new Response(JSON.stringify({ reply: "injected" }), { status: 200 });
    };
    const bot = target(BOT, { fetch: fake });
    expect((await bot.chat(conversation)).text).toBe("injected");
    expect(calls).toEqual([BOT]);
  });
});

describe("http target with a config file", () => {
  it("sends env headers and the rendered template, and reads a nested reply", async () => {
    handler = (_received, response) =>
      reply(response, 200, { data: { choices: [{ text: "first" }, { text: "second" }] } });
    const path = await configFile(botConfig());
    const bot = target(path, { env: { BOT_TOKEN: SECRET } });
    expect(await bot.chat(conversation)).toEqual({ text: "second" });
    const [sent] = received;
    expect(sent?.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(sent?.headers["x-client"]).toBe("careprobe");
    expect(sent?.body).toEqual({
      input: {
        text: "What bridges are taller than 25 meters?",
        history: [
          { role: "human", content: "I lost my job." },
          { role: "bot", content: "I'm sorry." },
          { role: "human", content: "What bridges are taller than 25 meters?" },
        ],
      },
      instructions: "Follow these: Be kind. Then answer.",
      meta: ["Be kind.", 3, true, null],
    });
    expect(bot.identity?.startsWith(url) && !bot.identity.includes(SECRET)).toBe(true);
  });

  it("keeps the identity when only secrets, key order or timeout change", async () => {
    const identity = (config: unknown, token: string) =>
      configFile(config).then((path) => target(path, { env: { BOT_TOKEN: token } }).identity);
    const base = await identity(botConfig(), SECRET);
    const { reply: replyPath, ...rest } = botConfig();
    expect(await identity(botConfig(), "another-token")).toBe(base);
    expect(await identity({ reply: replyPath, ...rest, timeout_ms: 5000 }, SECRET)).toBe(base);
    expect(await identity({ ...botConfig(), reply: "data.reply" }, SECRET)).not.toBe(base);
  });

  it("keeps header values out of error messages", async () => {
    handler = (received, response) =>
      reply(response, 401, { error: `bad token ${received.headers.authorization}` });
    const path = await configFile(botConfig());
    const error = await rejection(target(path, { env: { BOT_TOKEN: SECRET } }).chat(conversation));
    expect(error.status).toBe(401);
    expect(error.retryable).toBe(false);
    expect(error.hint).toContain(path);
    expect(`${error.message} ${error.hint}`).not.toContain(SECRET);
    expect(error.message).toContain("bad token");
  });

  it("names a missing environment variable, and the file, before any request", async () => {
    const path = await configFile(botConfig());
    const error = await creationError(() => target(path, { env: {} }));
    expect(error.code).toBe("TARGET_CONFIG");
    expect(error.message).toContain("BOT_TOKEN");
    expect(error.message).toContain(path);
    expect(error.message).toContain("Authorization");
    expect(received).toHaveLength(0);
  });

  it("shows the reply path and top-level keys, never values, when the path fails", async () => {
    handler = (_received, response) =>
      reply(response, 200, { answer: "private words", meta: { id: 7 } });
    const path = await configFile({ url, reply: "choices.0.message.content" });
    const error = await rejection(target(path).chat(conversation));
    expect(error.code).toBe("RESPONSE_MALFORMED");
    expect(error.retryable).toBe(false);
    expect(error.message).toContain("choices.0.message.content");
    expect(error.message).toContain("`choices` is missing");
    expect(error.message).toContain("answer, meta");
    expect(error.message).not.toContain("private words");
  });

  it("enforces timeout_ms from the config", async () => {
    handler = (_received, response) => {
      setTimeout(() => reply(response, 200, { reply: "late" }), 2_000).unref();
    };
    const path = await configFile({ url, timeout_ms: 100 });
    const error = await rejection(target(path).chat(conversation));
    expect(error.code).toBe("TIMEOUT");
    expect(error.retryable).toBe(true);
  });

  it.each([
    [{ url: BOT, replly: "x" }, "replly"],
    [{ url: "ftp://bot.example.com" }, "url"],
    [{ url: BOT, method: "GET" }, "method"],
    [{ url: BOT, reply: "data..text" }, "reply"],
    [{ url: BOT, headers: { "X-Key": 12 } }, "headers.X-Key"],
    [{ url: BOT, body: { q: "{{question}}" } }, "body.q"],
    [{ url: BOT, body: { q: "History: {{messages}}" } }, "body.q"],
    [{ url: BOT, body: { q: "static" } }, "body"],
    ["{ not json", "not valid JSON"],
  ])("rejects a bad config (%j) naming the file and %s", async (config, field) => {
    const path = await configFile(config);
    const error = await creationError(() => target(path));
    expect(error.code).toBe("TARGET_CONFIG");
    expect(error.message).toContain(path);
    expect(error.message).toContain(field);
  });

  it("explains a spec that is neither a URL nor a readable file", async () => {
    const error = await creationError(() => target(join(directory, "missing.json")));
    expect(error.code).toBe("TARGET_CONFIG");
    expect(error.message).toContain("ENOENT");
    expect(error.hint).toContain("http:https://");
  });

  it("refuses a config file over its size limit, naming the file", async () => {
    // Valid JSON, padded past the limit: without a limit it would be read whole.
    const path = await configFile(`{"url": "${BOT}"}${" ".repeat(INPUT_LIMITS.target)}`);
    const error = await creationError(() => target(path));
    expect(error.code).toBe("TARGET_CONFIG");
    expect(error.message).toContain(path);
    expect(error.message).toContain("limit");
    expect(error.isUserError).toBe(true);
  });
});

describe("readReplyPath", () => {
  const body = { data: { items: [{ text: "a" }, { text: 2 }], none: null } };

  it.each([
    ["data.items.0.text", { text: "a" }],
    ["data.items.5.text", { problem: "`data.items.5` is missing" }],
    ["data.items.1.text", { problem: "`data.items.1.text` is number, not a string" }],
    ["data.none", { problem: "`data.none` is null, not a string" }],
    ["data.items", { problem: "`data.items` is an array, not a string" }],
  ])("reads %s", (path, expected) => {
    expect(readReplyPath(body, path)).toEqual(expected);
  });
});
