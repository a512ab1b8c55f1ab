/**
 * Servers careprobe cannot trust (issue 8): keys echoed back, terminal escapes, trickled
 * and huge bodies, redirects. Against the fake OpenAI-compatible server on 127.0.0.1.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { CareprobeError } from "../core/errors.js";
import type { ChatRequest, Target } from "../core/types.js";
import { sendJobs } from "../runner/dispatch.js";
import { Store } from "../store/store.js";
import {
  type FakeOpenAI,
  type FaultSettings,
  startFakeOpenAI,
} from "../testing/fake-openai-server.js";
import { createHttpTarget } from "./http.js";
import { createOpenAITarget } from "./openai.js";

const KEY = "sk-test-0123456789-secret";
/** `${NAME}`, an environment reference as users write it in a config. */
const ref = (name: string) => ["$", "{", name, "}"].join("");
const servers: FakeOpenAI[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function fake(faults: FaultSettings = {}): Promise<FakeOpenAI> {
  const server = await startFakeOpenAI({ apiKey: KEY, ...faults });
  servers.push(server);
  return server;
}

function openai(server: FakeOpenAI, extra: { maxResponseBytes?: number } = {}): Target {
  return createOpenAITarget({
    spec: "openai:m",
    model: "m",
    apiKey: KEY,
    baseURL: server.url,
    ...extra,
  });
}

const request = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [{ role: "user", content: "Which one? (A) yes (B) no" }],
  params: { temperature: 0, maxTokens: 5 },
  timeoutMs: 10_000,
  ...extra,
});

async function rejection(promise: Promise<unknown>): Promise<CareprobeError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CareprobeError);
  return error as CareprobeError;
}

function hasControl(text: string): boolean {
  return [...text].some((ch) => {
    const code = ch.charCodeAt(0);
    return (code < 32 && code !== 9 && code !== 10) || (code >= 127 && code <= 159);
  });
}

describe("secrets a server echoes back", () => {
  it("are redacted from the error and from every stored row", async () => {
    const server = await fake({ echoKey: 1 });
    const target = openai(server);
    const error = await rejection(target.chat(request()));
    expect(error.message).toContain("You sent: Bearer ***");
    expect(error.message).not.toContain(KEY);

    server.setFaults({ echoKey: 3 });
    const dir = mkdtempSync(join(tmpdir(), "careprobe-secret-"));
    const store = Store.open(join(dir, "test.db"));
    const messages = [{ role: "user" as const, content: "q" }];
    const params = { temperature: 0, maxTokens: 5 };
    const jobs = ["a", "b", "c"].map((key) => ({
      target,
      request: { itemId: key, sample: 0, key, messages, params, choices: ["A"] },
    }));
    await sendJobs(jobs, { store, concurrency: 1, timeoutMs: 5000 });
    store.close();
    const db = new Database(join(dir, "test.db"), { readonly: true });
    const rows = db.prepare("SELECT * FROM requests").all() as Array<Record<string, unknown>>;
    db.close();
    expect(rows).toHaveLength(3);
    expect(rows[0]?.error_message).toContain("***");
    expect(JSON.stringify(rows)).not.toContain(KEY);
  });
});

describe("escape sequences in a server's error body", () => {
  it("never reach the error message", async () => {
    const server = await fake({ escapes: 1 });
    const error = await rejection(openai(server).chat(request()));
    expect(error.message).toContain("Bad request (fake).");
    expect(hasControl(error.message)).toBe(false);
    expect(error.message).not.toContain("]0;pwned");
  });
});

describe("the time limit", () => {
  it("covers a body the server trickles", async () => {
    // About 300 bytes, one every 50 ms: 15 s to send, against a limit of 500 ms.
    const server = await fake({ trickle: 1, trickleMs: 50 });
    const error = await rejection(openai(server).chat(request({ timeoutMs: 500 })));
    expect(error.code).toBe("TIMEOUT");
    expect(error.retryable).toBe(true);
  });
});

describe("the answer size cap", () => {
  it("stops reading a huge answer and says it was cut", async () => {
    const server = await fake({ huge: 1, hugeChars: 3 * 1024 * 1024 });
    const target = openai(server, { maxResponseBytes: 1024 * 1024 });
    const error = await rejection(target.chat(request()));
    expect(error.code).toBe("RESPONSE_TOO_LARGE");
    expect(error.message).toMatch(/larger than 1048576 bytes.*answer cut/);
    expect(error.hint).toContain("--max-response-bytes");
  });

  it("reads an answer under the cap whole", async () => {
    const server = await fake({ huge: 1, hugeChars: 512 * 1024 });
    const response = await openai(server, { maxResponseBytes: 1024 * 1024 }).chat(request());
    expect(response.text).toHaveLength(512 * 1024);
  });
});

describe("redirects", () => {
  it("follows a 307 within the same origin, with the same method and body", async () => {
    const server = await fake({
      rules: (_body, index) =>
        index === 0
          ? { kind: "redirect", status: 307, location: "/v1/chat/completions" }
          : undefined,
    });
    const response = await openai(server).chat(request());
    expect(response.text).toMatch(/^[A-E]$/);
    const chats = server.requests.filter((entry) => entry.path.endsWith("/chat/completions"));
    expect(chats.map((entry) => entry.method)).toEqual(["POST", "POST"]);
    expect(chats[1]?.body?.messages).toEqual(request().messages);
  });

  it("does not follow a 302 that would turn the POST into a GET", async () => {
    const server = await fake({
      rules: () => ({ kind: "redirect", status: 302, location: "/v1/chat/completions" }),
    });
    const error = await rejection(openai(server).chat(request()));
    expect(error.code).toBe("HTTP_STATUS");
    expect(error.status).toBe(302);
    expect(server.stats.received).toBe(1);
  });

  it("does not follow a redirect to another origin, so the key stays home", async () => {
    const elsewhere = await fake();
    const server = await fake({
      rules: () => ({
        kind: "redirect",
        status: 307,
        location: `${elsewhere.url}/chat/completions`,
      }),
    });
    const error = await rejection(openai(server).chat(request()));
    expect(error.message).toMatch(/another origin/);
    expect(elsewhere.stats.received).toBe(0);
  });
});

describe("http: targets", () => {
  function config(body: Record<string, unknown>): string {
    const file = join(mkdtempSync(join(tmpdir(), "careprobe-http-")), "bot.json");
    writeFileSync(file, JSON.stringify(body));
    return file;
  }

  it("expand only the environment variables the config declares", () => {
    const undeclared = config({
      url: "http://127.0.0.1:9/chat",
      headers: { authorization: `Bearer ${ref("OPENAI_API_KEY")}` },
    });
    const env = { OPENAI_API_KEY: KEY, BOT_TOKEN: "bot-token-123456" };
    let caught: unknown;
    try {
      createHttpTarget({ spec: `http:${undeclared}`, source: undeclared, env });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CareprobeError);
    expect((caught as CareprobeError).message).toMatch(/OPENAI_API_KEY.*does not declare/);
    const declared = config({
      url: "http://127.0.0.1:9/chat",
      env: ["BOT_TOKEN"],
      headers: { authorization: `Bearer ${ref("BOT_TOKEN")}` },
    });
    expect(createHttpTarget({ spec: `http:${declared}`, source: declared, env }).kind).toBe("http");
  });

  it("do not follow a redirect to another origin", async () => {
    const elsewhere = await fake();
    const server = await fake({
      rules: () => ({
        kind: "redirect",
        status: 307,
        location: `${elsewhere.url}/chat/completions`,
      }),
    });
    const file = config({
      url: `${server.url}/chat/completions`,
      env: ["FAKE_KEY"],
      headers: { authorization: `Bearer ${ref("FAKE_KEY")}` },
      body: { model: "m", messages: "{{messages}}" },
      reply: "choices.0.message.content",
    });
    const target = createHttpTarget({ spec: `http:${file}`, source: file, env: { FAKE_KEY: KEY } });
    const error = await rejection(target.chat(request()));
    expect(error.status).toBe(307);
    expect(error.message).toMatch(/another origin/);
    expect(elsewhere.stats.received).toBe(0);
  });

  it("cap a huge answer", async () => {
    const server = await fake({ huge: 1, hugeChars: 2 * 1024 * 1024 });
    const file = config({
      url: `${server.url}/chat/completions`,
      env: ["FAKE_KEY"],
      headers: { authorization: `Bearer ${ref("FAKE_KEY")}` },
      body: { model: "m", messages: "{{messages}}" },
      reply: "choices.0.message.content",
    });
    const target = createHttpTarget({
      spec: `http:${file}`,
      source: file,
      env: { FAKE_KEY: KEY },
      maxResponseBytes: 1024 * 1024,
    });
    const error = await rejection(target.chat(request()));
    expect(error.code).toBe("RESPONSE_TOO_LARGE");
  });
});
