import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CareprobeError } from "../core/errors.js";
import type { ChatRequest } from "../core/types.js";
import {
  ANTHROPIC_API_VERSION,
  ANTHROPIC_DEFAULT_BASE_URL,
  createAnthropicTarget,
  toAnthropicMessages,
} from "./anthropic.js";
import { createTarget } from "./registry.js";

const KEY = "sk-ant-test-secret-0123";

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: Record<string, unknown>;
}

type Handler = (received: Received, response: ServerResponse) => void;

/** A fake Anthropic Messages API: POST /v1/messages, answered by the current handler. */
let server: Server;
let baseURL: string;
let handler: Handler;
let received: Received[];

function reply(response: ServerResponse, status: number, body: unknown, headers = {}): void {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(typeof body === "string" ? body : JSON.stringify(body));
}

function message(text: string[]): unknown {
  return {
    id: "msg_1",
    type: "message",
    role: "assistant",
    model: "claude-test-1",
    content: [
      { type: "thinking", thinking: "not part of the answer" },
      ...text.map((part) => ({ type: "text", text: part })),
    ],
    stop_reason: "end_turn",
    usage: { input_tokens: 21, output_tokens: 3 },
  };
}

beforeAll(async () => {
  server = createServer((request, response) => {
    let raw = "";
    request.on("data", (chunk: Buffer) => {
      raw += chunk.toString();
    });
    request.on("end", () => {
      const entry: Received = {
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
        body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {},
      };
      received.push(entry);
      handler(entry, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  received = [];
  handler = (_received, response) => reply(response, 200, message(["B"]));
});

function target(options: { apiKey?: string; baseURL?: string } = {}) {
  return createAnthropicTarget({
    spec: "anthropic:claude-test-1",
    model: "claude-test-1",
    apiKey: "apiKey" in options ? options.apiKey : KEY,
    baseURL: "baseURL" in options ? options.baseURL : baseURL,
  });
}

function request(extra: Partial<ChatRequest> = {}): ChatRequest {
  return {
    messages: [
      { role: "system", content: "You are a therapist." },
      { role: "system", content: "Answer with one letter." },
      { role: "user", content: "Question? (A) yes (B) no" },
      { role: "assistant", content: "A" },
      { role: "user", content: "Another? (A) yes (B) no" },
    ],
    params: { temperature: 0, maxTokens: 16 },
    ...extra,
  };
}

async function rejection(promise: Promise<unknown>): Promise<CareprobeError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CareprobeError);
  return error as CareprobeError;
}

describe("toAnthropicMessages", () => {
  it("moves system messages into one system parameter", () => {
    expect(toAnthropicMessages(request().messages)).toEqual({
      system: "You are a therapist.\nAnswer with one letter.",
      messages: [
        { role: "user", content: "Question? (A) yes (B) no" },
        { role: "assistant", content: "A" },
        { role: "user", content: "Another? (A) yes (B) no" },
      ],
    });
  });

  it("sends no system parameter when there is no system message", () => {
    expect(toAnthropicMessages([{ role: "user", content: "hi" }])).toEqual({
      messages: [{ role: "user", content: "hi" }],
    });
  });
});

describe("anthropic target against a fake Messages API", () => {
  it("sends the mapped request and reads text, tokens and stop reason", async () => {
    handler = (_received, response) => reply(response, 200, message(["B", " (no)"]));
    const response = await target().chat(request());
    expect(response).toEqual({
      text: "B (no)",
      promptTokens: 21,
      completionTokens: 3,
      finishReason: "end_turn",
      model: "claude-test-1",
    });
    expect(received).toHaveLength(1);
    const [sent] = received;
    expect(sent?.method).toBe("POST");
    expect(sent?.url).toBe("/v1/messages");
    expect(sent?.headers["anthropic-version"]).toBe(ANTHROPIC_API_VERSION);
    expect(sent?.headers["x-api-key"]).toBe(KEY);
    expect(sent?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(sent?.body).toEqual({
      model: "claude-test-1",
      system: "You are a therapist.\nAnswer with one letter.",
      messages: [
        { role: "user", content: "Question? (A) yes (B) no" },
        { role: "assistant", content: "A" },
        { role: "user", content: "Another? (A) yes (B) no" },
      ],
      max_tokens: 16,
      temperature: 0,
    });
  });

  it("leaves out a temperature of 1, the API's default, and says so", async () => {
    const dropped = await target().chat(request({ params: { temperature: 1, maxTokens: 8 } }));
    expect(received[0]?.body).not.toHaveProperty("temperature");
    expect(dropped.warnings).toEqual([expect.stringMatching(/^temperature 1 left out/)]);
    const kept = await target().chat(request({ params: { temperature: 0.7, maxTokens: 8 } }));
    expect(received[1]?.body.temperature).toBe(0.7);
    expect(kept.warnings).toBeUndefined();
  });

  it("clamps a temperature above 1 and records the change", async () => {
    const clamped = await target().chat(request({ params: { temperature: 1.5, maxTokens: 8 } }));
    expect(received[0]?.body).not.toHaveProperty("temperature");
    expect(clamped.warnings).toEqual([expect.stringMatching(/^temperature 1\.5 clamped to 1/)]);
  });

  it("names its base URL as identity and enforces timeouts itself", () => {
    expect(target().identity).toBe(baseURL);
    expect(target().handlesTimeout).toBe(true);
    expect(target({ baseURL: undefined }).identity).toBe(ANTHROPIC_DEFAULT_BASE_URL);
  });

  it("turns a 429 into a retryable error with the server's Retry-After", async () => {
    handler = (_received, response) =>
      reply(
        response,
        429,
        { type: "error", error: { type: "rate_limit_error", message: "Slow down" } },
        { "retry-after": "7" },
      );
    const error = await rejection(target().chat(request()));
    expect(error.code).toBe("HTTP_STATUS");
    expect(error.status).toBe(429);
    expect(error.retryable).toBe(true);
    expect(error.retryAfterSeconds).toBe(7);
    expect(error.message).toContain("Slow down");
  });

  it("retries an overloaded API (529)", async () => {
    handler = (_received, response) =>
      reply(response, 529, { type: "error", error: { type: "overloaded_error", message: "x" } });
    const error = await rejection(target().chat(request()));
    expect(error.status).toBe(529);
    expect(error.retryable).toBe(true);
  });

  it("turns a 401 into a non-retryable error that points at the key", async () => {
    handler = (_received, response) =>
      reply(response, 401, {
        type: "error",
        error: { type: "authentication_error", message: "invalid x-api-key" },
      });
    const error = await rejection(target().chat(request()));
    expect(error.code).toBe("HTTP_STATUS");
    expect(error.status).toBe(401);
    expect(error.retryable).toBe(false);
    expect(error.hint).toContain("ANTHROPIC_API_KEY");
    expect(`${error.message} ${error.hint}`).not.toContain(KEY);
  });

  it("explains a model that refuses a temperature", async () => {
    handler = (_received, response) =>
      reply(response, 400, {
        type: "error",
        error: {
          type: "invalid_request_error",
          message: "`temperature` is deprecated for this model.",
        },
      });
    const error = await rejection(target().chat(request()));
    expect(error.retryable).toBe(false);
    expect(error.hint).toContain("--temperature 1");
  });

  it("reports a body that is not JSON as malformed and retryable", async () => {
    handler = (_received, response) => reply(response, 200, "{ this is not json");
    const error = await rejection(target().chat(request()));
    expect(error.code).toBe("RESPONSE_MALFORMED");
    expect(error.retryable).toBe(true);
  });

  it("reports a reply without content as malformed", async () => {
    handler = (_received, response) => reply(response, 200, { id: "msg_1", type: "message" });
    const error = await rejection(target().chat(request()));
    expect(error.code).toBe("RESPONSE_MALFORMED");
    expect(error.retryable).toBe(true);
  });

  it("times out by itself with a retryable TIMEOUT", async () => {
    handler = (_received, response) => {
      setTimeout(() => reply(response, 200, message(["late"])), 2_000).unref();
    };
    const error = await rejection(target().chat(request({ timeoutMs: 100 })));
    expect(error.code).toBe("TIMEOUT");
    expect(error.retryable).toBe(true);
  });

  it("redacts the key and strips escapes from an error body that echoes them", async () => {
    handler = (entry, response) =>
      reply(response, 400, {
        type: "error",
        error: {
          type: "invalid_request_error",
          message: `bad key ${String(entry.headers["x-api-key"])}\u001b[2J\u001b]0;x\u0007\r0 errors`,
        },
      });
    const error = await rejection(target().chat(request()));
    expect(error.message).toContain("bad key ***");
    expect(error.message).not.toContain(KEY);
    expect(error.message).not.toContain("\u001b");
    expect(error.message).not.toContain("\r");
  });

  it("times out a body that trickles in after the headers", async () => {
    handler = (_received, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      const body = JSON.stringify(message(["B"]));
      let at = 0;
      const timer = setInterval(() => {
        if (at >= body.length || response.destroyed) {
          clearInterval(timer);
          response.end();
          return;
        }
        response.write(body[at++] ?? "");
      }, 50);
    };
    const error = await rejection(target().chat(request({ timeoutMs: 300 })));
    expect(error.code).toBe("TIMEOUT");
  });

  it("does not follow a redirect to another origin, which would carry x-api-key", async () => {
    handler = (_received, response) =>
      reply(response, 307, "", { location: "http://127.0.0.2:9/v1/messages" });
    const error = await rejection(target().chat(request()));
    expect(error.status).toBe(307);
    expect(error.message).toMatch(/another origin/);
    expect(received).toHaveLength(1);
  });

  it("stops when the caller aborts", async () => {
    handler = () => {};
    const controller = new AbortController();
    const pending = target().chat(request({ signal: controller.signal }));
    setTimeout(() => controller.abort(), 50);
    const error = await rejection(pending);
    expect(error.code).toBe("ABORTED");
  });

  it("reports a refused connection as a retryable NETWORK error", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await rejection(target({ baseURL: `http://127.0.0.1:${port}` }).chat(request()));
    expect(error.code).toBe("NETWORK");
    expect(error.retryable).toBe(true);
  });

  it("is built by the registry from ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL", async () => {
    const env = { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: baseURL };
    const built = createTarget("anthropic:claude-test-1", { env, home: tmpdir() });
    expect(built.kind).toBe("anthropic");
    expect(built.identity).toBe(baseURL);
    expect((await built.chat(request())).text).toBe("B");
    expect(received[0]?.body.model).toBe("claude-test-1");
  });

  it("refuses to start without ANTHROPIC_API_KEY", () => {
    let caught: unknown;
    try {
      target({ apiKey: undefined });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CareprobeError);
    expect((caught as CareprobeError).code).toBe("TARGET_CONFIG");
    expect((caught as CareprobeError).message).toContain("ANTHROPIC_API_KEY");
    expect(received).toHaveLength(0);
  });
});
