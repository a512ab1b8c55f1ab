import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Store } from "../store/store.js";
import { createOpenAITarget } from "../targets/openai.js";
import { readRateLimitHeaders, resetMs } from "../targets/rate-limit-headers.js";
import { startFakeOpenAI } from "../testing/fake-openai-server.js";
import { sendJobs } from "./dispatch.js";
import { Throttle, Throttles } from "./throttle.js";

const ok = { ok: true, rateLimited: false };
const limited = { ok: false, rateLimited: true };

/** Whether the promise settles once pending timers and microtasks have run. */
async function settles(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  await vi.advanceTimersByTimeAsync(0);
  return done;
}

describe("Throttle", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("halves the requests in flight on a 429, once per congestion event, and grows back", async () => {
    const throttle = new Throttle(8);
    const early = await throttle.acquire(1);
    const alsoEarly = await throttle.acquire(1);
    vi.advanceTimersByTime(10);
    throttle.release(early, limited);
    expect(throttle.concurrency).toBe(4);
    // Sent before the decrease: the same congestion, no second halving.
    throttle.release(alsoEarly, limited);
    expect(throttle.concurrency).toBe(4);
    vi.advanceTimersByTime(10);
    throttle.release(await throttle.acquire(1), limited);
    expect(throttle.concurrency).toBe(2);
    // Additive increase: about one more per window of successes, never above the maximum.
    for (let i = 0; i < 6; i++) throttle.release(await throttle.acquire(1), ok);
    expect(throttle.concurrency).toBe(4);
    for (let i = 0; i < 200; i++) throttle.release(await throttle.acquire(1), ok);
    expect(throttle.concurrency).toBe(8);
  });

  it("lets no more than the window be in flight", async () => {
    const throttle = new Throttle(8);
    const first = await throttle.acquire(1);
    throttle.release(first, limited);
    const held = await Promise.all([1, 2, 3, 4].map(() => throttle.acquire(1)));
    const waiting = throttle.acquire(1);
    expect(await settles(waiting)).toBe(false);
    throttle.release(held[0] as (typeof held)[0], ok);
    expect(await settles(waiting)).toBe(true);
  });

  it("keeps under --rpm over any minute", async () => {
    const throttle = new Throttle(10, { rpm: 3 });
    for (let i = 0; i < 3; i++) throttle.release(await throttle.acquire(1), ok);
    const fourth = throttle.acquire(1);
    expect(await settles(fourth)).toBe(false);
    await vi.advanceTimersByTimeAsync(59_000);
    expect(await settles(fourth)).toBe(false);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await settles(fourth)).toBe(true);
  });

  it("keeps under --tpm, counting what answers actually used", async () => {
    const throttle = new Throttle(10, { tpm: 1000 });
    throttle.release(await throttle.acquire(400), { ...ok, tokens: 900 });
    const next = throttle.acquire(400);
    expect(await settles(next)).toBe(false);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await settles(next)).toBe(true);
  });

  it("pauses until the provider's reset when its headers say nothing remains", async () => {
    const throttle = new Throttle(10);
    const rateLimit = { requestsRemaining: 0, requestsResetMs: 5_000 };
    throttle.release(await throttle.acquire(1), { ...ok, rateLimit });
    const next = throttle.acquire(1);
    await vi.advanceTimersByTimeAsync(4_900);
    expect(await settles(next)).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(await settles(next)).toBe(true);
  });

  it("stops waiting when the run is aborted", async () => {
    const throttle = new Throttle(1);
    await throttle.acquire(1);
    const controller = new AbortController();
    const waiting = throttle.acquire(1, controller.signal);
    controller.abort(new Error("stop"));
    await expect(waiting).rejects.toThrow("stop");
  });
});

describe("rate-limit headers", () => {
  it("reads OpenAI's and Anthropic's", () => {
    const now = Date.parse("2026-12-01T12:00:00Z");
    const openai = new Headers({
      "x-ratelimit-limit-requests": "500",
      "x-ratelimit-remaining-requests": "499",
      "x-ratelimit-reset-requests": "120ms",
      "x-ratelimit-limit-tokens": "30000",
      "x-ratelimit-remaining-tokens": "29000",
      "x-ratelimit-reset-tokens": "6m0.5s",
    });
    expect(readRateLimitHeaders(openai, now)).toEqual({
      requestsLimit: 500,
      requestsRemaining: 499,
      requestsResetMs: 120,
      tokensLimit: 30000,
      tokensRemaining: 29000,
      tokensResetMs: 360_500,
    });
    const anthropic = new Headers({
      "anthropic-ratelimit-requests-remaining": "0",
      "anthropic-ratelimit-requests-reset": "2026-12-01T12:00:03Z",
    });
    expect(readRateLimitHeaders(anthropic, now)).toEqual({
      requestsRemaining: 0,
      requestsResetMs: 3000,
    });
    expect(readRateLimitHeaders(new Headers(), now)).toBeUndefined();
    expect(resetMs("2", now)).toBe(2000);
    expect(resetMs("soon", now)).toBeUndefined();
  });
});

describe("sendJobs against a rate-limited server", () => {
  it("follows the server's headers instead of running into its 429s", async () => {
    const server = await startFakeOpenAI({ rateLimit: { requests: 4, windowMs: 400 } });
    try {
      const target = createOpenAITarget({ spec: "openai:m", model: "m", baseURL: server.url });
      const store = Store.open(join(mkdtempSync(join(tmpdir(), "careprobe-rate-")), "t.db"));
      const jobs = Array.from({ length: 12 }, (_, i) => ({
        target,
        request: {
          itemId: `i${i}`,
          sample: 0,
          key: `k${i}`,
          messages: [{ role: "user" as const, content: `q${i}` }],
          params: { temperature: 0, maxTokens: 5 },
          choices: ["A"],
        },
      }));
      const summary = await sendJobs(jobs, {
        store,
        concurrency: 1,
        timeoutMs: 5000,
        throttles: new Throttles(),
      });
      store.close();
      expect(summary.sent).toBe(12);
      expect(server.stats.answered).toBe(12);
      expect(server.stats.faults.fail429).toBe(0);
    } finally {
      await server.close();
    }
  });
});
