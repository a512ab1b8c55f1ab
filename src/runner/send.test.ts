import { getEventListeners } from "node:events";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ChatRequest, ChatResponse, ProgressEvent, Target } from "../core/types.js";
import { Store } from "../store/store.js";
import { createOpenAITarget } from "../targets/openai.js";
import { type FakeOpenAI, startFakeOpenAI } from "../testing/fake-openai-server.js";
import { sendJobs } from "./dispatch.js";
import type { Job } from "./send.js";

const stores: Store[] = [];
const servers: FakeOpenAI[] = [];

afterEach(async () => {
  for (const store of stores.splice(0)) store.close();
  for (const server of servers.splice(0)) await server.close();
});

function openStore(): Store {
  const store = Store.open(join(mkdtempSync(join(tmpdir(), "careprobe-send-")), "test.db"));
  stores.push(store);
  return store;
}

function jobsFor(target: Target, count: number): Job[] {
  return Array.from({ length: count }, (_, i) => ({
    target,
    request: {
      itemId: `item-${i}`,
      sample: 0,
      key: `key-${i}`,
      messages: [{ role: "user" as const, content: `question ${i}` }],
      params: { temperature: 0, maxTokens: 5 },
      choices: ["A", "B"],
    },
  }));
}

/** Like the official HTTP clients: adds an abort listener per request and never removes it. */
function leakyTarget(
  answer: (request: ChatRequest) => Promise<ChatResponse> = async () => ({ text: "A" }),
): Target & { signals: AbortSignal[] } {
  const signals: AbortSignal[] = [];
  return {
    spec: "test:leaky",
    kind: "test",
    handlesTimeout: true,
    signals,
    async chat(request) {
      if (request.signal) {
        signals.push(request.signal);
        request.signal.addEventListener("abort", () => {});
      }
      return answer(request);
    },
  };
}

describe("sendJobs and abort signals", () => {
  it("leaves no listener on the run's signal after the requests settle", async () => {
    const run = new AbortController();
    const target = leakyTarget();
    const summary = await sendJobs(jobsFor(target, 40), {
      store: openStore(),
      concurrency: 4,
      timeoutMs: 5000,
      signal: run.signal,
    });
    expect(summary.sent).toBe(40);
    expect(getEventListeners(run.signal, "abort")).toHaveLength(0);
    // Every request got a signal of its own, not the run's.
    expect(new Set(target.signals).size).toBe(40);
    expect(target.signals).not.toContain(run.signal);
  });

  it("still aborts requests in flight when the run is aborted", async () => {
    const run = new AbortController();
    const target = leakyTarget(
      (request) =>
        new Promise((_resolve, reject) => {
          request.signal?.addEventListener("abort", () => reject(request.signal?.reason));
        }),
    );
    const sending = sendJobs(jobsFor(target, 10), {
      store: openStore(),
      concurrency: 3,
      timeoutMs: 60_000,
      signal: run.signal,
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(target.signals).toHaveLength(3);
    run.abort(new Error("stop"));
    const summary = await sending;
    expect(summary.interrupted).toBe(true);
    expect(target.signals.every((signal) => signal.aborted)).toBe(true);
    expect(getEventListeners(run.signal, "abort")).toHaveLength(0);
  });

  it("the OpenAI client leaves no listener on the run's signal", async () => {
    const server = await startFakeOpenAI({ apiKey: "k" });
    servers.push(server);
    const target = createOpenAITarget({
      spec: "openai:m",
      model: "m",
      apiKey: "k",
      baseURL: server.url,
    });
    const run = new AbortController();
    const summary = await sendJobs(jobsFor(target, 25), {
      store: openStore(),
      concurrency: 5,
      timeoutMs: 5000,
      signal: run.signal,
    });
    expect(summary.sent).toBe(25);
    expect(server.stats.answered).toBe(25);
    expect(getEventListeners(run.signal, "abort")).toHaveLength(0);
  });
});

describe("sendJobs and a target's warnings", () => {
  it("reports each distinct warning of a target once", async () => {
    const events: ProgressEvent[] = [];
    const target: Target = {
      spec: "test:warns",
      kind: "test",
      async chat() {
        return { text: "A", warnings: ["temperature 1 left out of the request"] };
      },
    };
    await sendJobs(jobsFor(target, 6), {
      store: openStore(),
      concurrency: 2,
      timeoutMs: 5000,
      onEvent: (event) => events.push(event),
    });
    const warnings = events.filter((event) => event.type === "warning");
    expect(warnings).toEqual([
      { type: "warning", message: "test:warns: temperature 1 left out of the request" },
    ]);
  });
});
