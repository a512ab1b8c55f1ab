import { afterEach, describe, expect, it } from "vitest";
import {
  defaultFakeAnswer,
  type FakeChatRequest,
  type FakeOpenAI,
  type FakeOpenAIOptions,
  startFakeOpenAI,
} from "./fake-openai-server.js";

const servers: FakeOpenAI[] = [];

async function start(options?: FakeOpenAIOptions): Promise<FakeOpenAI> {
  const server = await startFakeOpenAI(options);
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const chatBody: FakeChatRequest = {
  model: "test-model",
  messages: [
    { role: "system", content: "Answer with a letter." },
    { role: "user", content: "Which one?" },
  ],
  temperature: 0,
  max_tokens: 10,
};

function chat(server: FakeOpenAI, init: { signal?: AbortSignal; headers?: object } = {}) {
  return fetch(`${server.url}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...init.headers },
    body: JSON.stringify(chatBody),
    signal: init.signal ?? null,
  });
}

interface Completion {
  id: string;
  object: string;
  created: number;
  model: string;
  choices: { index: number; message: { role: string; content: string }; finish_reason: string }[];
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

async function content(response: Response): Promise<string> {
  const body = (await response.json()) as Completion;
  return body.choices[0]?.message.content ?? "<missing>";
}

/** Waits (a bounded number of turns) until the server has seen `count` requests. */
async function untilReceived(server: FakeOpenAI, count: number): Promise<void> {
  for (let turn = 0; turn < 1000 && server.stats.received < count; turn++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  expect(server.stats.received).toBe(count);
}

describe("startFakeOpenAI", () => {
  it("answers in the OpenAI shape on 127.0.0.1 with a stable letter", async () => {
    const server = await start();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const response = await chat(server);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Completion;
    expect(body).toMatchObject({ object: "chat.completion", model: "test-model" });
    expect(typeof body.id).toBe("string");
    expect(typeof body.created).toBe("number");
    expect(body.choices).toEqual([
      {
        index: 0,
        message: { role: "assistant", content: defaultFakeAnswer(chatBody) },
        logprobs: null,
        finish_reason: "stop",
      },
    ]);
    expect(body.choices[0]?.message.content).toMatch(/^[A-E]$/);
    const { prompt_tokens, completion_tokens, total_tokens } = body.usage;
    expect(prompt_tokens).toBeGreaterThan(0);
    expect(total_tokens).toBe(prompt_tokens + completion_tokens);
    expect(await content(await chat(server))).toBe(body.choices[0]?.message.content);
    expect(server.stats).toMatchObject({ received: 2, answered: 2 });
  });

  it("spreads default answers over the letters and depends only on the last user message", () => {
    const letters = new Set<string>();
    for (let i = 0; i < 50; i++) {
      letters.add(
        defaultFakeAnswer({ model: "m", messages: [{ role: "user", content: `q${i}` }] }),
      );
    }
    expect([...letters].sort()).toEqual(["A", "B", "C", "D", "E"]);
    const withAssistant = {
      ...chatBody,
      messages: [...chatBody.messages, { role: "assistant", content: "B" }],
    };
    expect(defaultFakeAnswer(withAssistant)).toBe(defaultFakeAnswer(chatBody));
  });

  it("serves paths without the /v1 prefix, lists models and rejects unknown routes", async () => {
    const server = await start();
    const base = server.url.replace(/\/v1$/, "");
    const bare = await fetch(`${base}/chat/completions`, {
      method: "POST",
      body: JSON.stringify(chatBody),
    });
    expect(bare.status).toBe(200);
    const models = (await (await fetch(`${server.url}/models`)).json()) as { object: string };
    expect(models.object).toBe("list");
    expect((await fetch(`${server.url}/nothing`)).status).toBe(404);
    const bad = await fetch(`${server.url}/chat/completions`, { method: "POST", body: "{nope" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toBeTruthy();
  });

  it("passes the parsed request to a custom answer and logs it without the key", async () => {
    const seen: FakeChatRequest[] = [];
    const server = await start({
      apiKey: "sk-secret-value",
      answer: (request) => {
        seen.push(request);
        return `echo ${request.messages.at(-1)?.content}`;
      },
    });
    const missing = await chat(server);
    expect(missing.status).toBe(401);
    const error = (await missing.json()) as { error: { code: string; type: string } };
    expect(error.error).toMatchObject({ code: "invalid_api_key", type: "invalid_request_error" });
    expect((await chat(server, { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
    const ok = await chat(server, { headers: { authorization: "Bearer sk-secret-value" } });
    expect(await content(ok)).toBe("echo Which one?");
    expect(seen).toEqual([chatBody]);
    expect(server.requests.map((entry) => entry.hasAuthorization)).toEqual([false, true, true]);
    expect(server.requests[2]).toMatchObject({ method: "POST", path: "/v1/chat/completions" });
    expect(server.requests[2]?.body).toEqual(chatBody);
    expect(JSON.stringify(server.requests)).not.toContain("sk-secret-value");
  });

  it("sends 429 with Retry-After for the next N requests, then recovers", async () => {
    const server = await start({ fail429: 2, retryAfterSeconds: 3 });
    for (let i = 0; i < 2; i++) {
      const response = await chat(server);
      expect(response.status).toBe(429);
      expect(response.headers.get("retry-after")).toBe("3");
      const body = (await response.json()) as { error: { code: string } };
      expect(body.error.code).toBe("rate_limit_exceeded");
    }
    expect((await chat(server)).status).toBe(200);
    expect(server.stats.faults.fail429).toBe(2);
    expect(server.requests.map((entry) => entry.fault)).toEqual(["fail429", "fail429", undefined]);
  });

  it("changes faults at runtime and uses the counters one at a time", async () => {
    const server = await start();
    expect((await chat(server)).status).toBe(200);
    server.setFaults({ fail500: 1, empty: 1 });
    const failed = await chat(server);
    expect(failed.status).toBe(500);
    expect(((await failed.json()) as { error: { type: string } }).error.type).toBe("server_error");
    const empty = await chat(server);
    expect(empty.status).toBe(200);
    expect(await content(empty)).toBe("");
    expect(await content(await chat(server))).toMatch(/^[A-E]$/);
    expect(server.stats).toMatchObject({ received: 4, answered: 3 });
    expect(server.stats.faults).toMatchObject({ fail500: 1, empty: 1, fail429: 0 });
  });

  it("returns a body that is not JSON when malformed", async () => {
    const server = await start({ malformed: 1 });
    const response = await chat(server);
    expect(response.status).toBe(200);
    await expect(response.json()).rejects.toThrow();
    expect(server.stats.faults.malformed).toBe(1);
  });

  it("drops the socket without a response", async () => {
    const server = await start({ drop: 1, latencyMs: 1 });
    await expect(chat(server)).rejects.toThrow();
    expect((await chat(server)).status).toBe(200);
    expect(server.stats.faults.drop).toBe(1);
  });

  it("hangs until the client gives up, then keeps serving", async () => {
    const server = await start({ hang: 1 });
    const controller = new AbortController();
    const pending = chat(server, { signal: controller.signal });
    await untilReceived(server, 1);
    controller.abort();
    await expect(pending).rejects.toThrow(/abort/i);
    expect((await chat(server)).status).toBe(200);
    expect(server.stats.faults.hang).toBe(1);
  });

  it("closes hung and delayed requests on close()", async () => {
    const server = await startFakeOpenAI({ hang: 1 });
    const hung = chat(server);
    await untilReceived(server, 1);
    server.setFaults({ latencyMs: 600_000 });
    const delayed = chat(server);
    await untilReceived(server, 2);
    const outcomes = Promise.allSettled([hung, delayed]);
    await server.close();
    expect((await outcomes).map((outcome) => outcome.status)).toEqual(["rejected", "rejected"]);
    await server.close();
  });

  it("applies per-request rules before the counters", async () => {
    const server = await start({
      empty: 100,
      rules: (_request, index) =>
        index % 5 === 4 ? { kind: "fail429", retryAfterSeconds: 7 } : undefined,
    });
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const response = await chat(server);
      statuses.push(response.status);
      if (response.status === 429) expect(response.headers.get("retry-after")).toBe("7");
      await response.arrayBuffer();
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429, 200, 200, 200, 200, 429]);
    expect(server.stats.faults).toMatchObject({ fail429: 2, empty: 8 });
  });
});
