import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CareprobeError } from "../core/errors.js";
import type {
  ChatRequest,
  ChatResponse,
  ChoiceSuite,
  ProgressEvent,
  Target,
} from "../core/types.js";
import type { RunSettings } from "../experiments/experiment.js";
import { multipleChoice } from "../experiments/multiple-choice/index.js";
import { deriveRunId } from "../store/run-writer.js";
import { Store } from "../store/store.js";
import { loadChoiceSuiteText } from "../suites/load.js";
import { executeRuns, newRun, type RunSpec } from "./execute.js";
import { requestKey } from "./plan.js";

const SUITE_TEXT = `format: careprobe-suite/1
id: tiny
kind: multiple-choice
version: "1"
description: six items
instruction: Answer with the letter only.
scales:
  likely: [Not likely, Likely]
factors:
  person:
    - { id: a, label: A }
    - { id: b, label: B }
    - { id: c, label: C }
conditions:
  - { id: control, label: Control, control: true, vignette: "{person} is fine." }
  - { id: ill, label: Ill, vignette: "{person} is unwell." }
questions:
  - { id: q, group: g, text: Violent?, scale: likely, stigma: [Likely] }
`;

const suite: ChoiceSuite = loadChoiceSuiteText(SUITE_TEXT, "tiny.yaml");
const FAST = { retries: 3, baseDelayMs: 1, maxDelayMs: 5 };
const stores: Store[] = [];

function openStore(): Store {
  const store = Store.open(join(mkdtempSync(join(tmpdir(), "careprobe-run-")), "test.db"));
  stores.push(store);
  return store;
}

/** A multiple-choice run of the tiny suite, as `careprobe run` would plan it. */
function planRun(
  target: Target,
  arm: RunSpec["arm"],
  settings: Partial<RunSettings> & { samples: number },
): RunSpec & { id: string } {
  const full: RunSettings = {
    constrained: false,
    interval: 50,
    defaultJudge: false,
    judgeSeed: 0,
    ...settings,
  };
  const spec: RunSpec = {
    experiment: multipleChoice,
    suite,
    arm,
    roles: { target, judges: [] },
    settings: full,
  };
  return { ...spec, id: deriveRunId(newRun(spec, "t")) };
}

/** The key of the first request of a run. */
function firstKey(spec: RunSpec): string {
  const unit = multipleChoice.units(suite, spec.arm, spec.settings)[0];
  if (!unit) throw new Error("no units");
  return requestKey(spec.roles.target, unit.messages, unit.params, unit.sample, false);
}

afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

/** A target whose behaviour per call is scripted; it records what it was sent. */
function scriptedTarget(
  behave: (request: ChatRequest, call: number) => Promise<ChatResponse> | ChatResponse,
  spec = "test:model",
): Target & { calls: ChatRequest[] } {
  const calls: ChatRequest[] = [];
  return {
    spec,
    kind: "test",
    calls,
    async chat(request) {
      calls.push(request);
      return behave(request, calls.length);
    },
  };
}

describe("executeRuns", () => {
  it("sends each planned request once and stores the answers", async () => {
    const store = openStore();
    const target = scriptedTarget(() => ({ text: "B", promptTokens: 10, completionTokens: 1 }));
    const run = planRun(target, { id: "none", description: "" }, { samples: 1 });
    const summary = await executeRuns([run], {
      store,
      concurrency: 4,
      timeoutMs: 1000,
      toolVersion: "t",
    });
    expect(target.calls).toHaveLength(6);
    expect(summary.runs[0]).toMatchObject({ planned: 6, ok: 6, errors: 0, cached: 0 });
    const rows = store.runRows(run.id);
    expect(rows.map((r) => r.text)).toEqual(["B", "B", "B", "B", "B", "B"]);
    // The system message is the instruction; the user message is the item.
    expect(target.calls[0]?.messages[0]).toEqual({
      role: "system",
      content: "Answer with the letter only.",
    });
    expect(target.calls[0]?.choices).toEqual(["A", "B"]);
  });

  it("never re-sends a finished request, and retries only the ones that failed", async () => {
    const store = openStore();
    const failing = scriptedTarget((request) => {
      if (request.messages.at(-1)?.content.includes("B is")) {
        throw new CareprobeError("HTTP_STATUS", "bad request", { status: 400 });
      }
      return { text: "A" };
    });
    const first = planRun(failing, { id: "none", description: "" }, { samples: 1 });
    const summary = await executeRuns([first], {
      store,
      concurrency: 2,
      timeoutMs: 1000,
      toolVersion: "t",
      retry: FAST,
    });
    expect(summary.runs[0]).toMatchObject({ ok: 4, errors: 2 });
    expect(failing.calls).toHaveLength(6); // 400 is not retried

    const healthy = scriptedTarget(() => ({ text: "A" }));
    const again = planRun(healthy, { id: "none", description: "" }, { samples: 1 });
    expect(again.id).toBe(first.id);
    const second = await executeRuns([again], {
      store,
      concurrency: 2,
      timeoutMs: 1000,
      toolVersion: "t",
    });
    expect(healthy.calls).toHaveLength(2);
    expect(second.runs[0]).toMatchObject({ cached: 4, ok: 2, errors: 0 });
    expect(store.runRows(first.id).every((r) => r.status === "ok")).toBe(true);
  });

  it("treats samples as independent requests and sends duplicates once", async () => {
    const store = openStore();
    const target = scriptedTarget((_request, call) => ({ text: call % 2 ? "A" : "B" }));
    const run = planRun(target, { id: "none", description: "" }, { samples: 3, temperature: 0.7 });
    await executeRuns([run, run], { store, concurrency: 3, timeoutMs: 1000, toolVersion: "t" });
    expect(target.calls).toHaveLength(18);
    expect(target.calls[0]?.params.temperature).toBe(0.7);
  });

  it("retries retryable errors with backoff and honours Retry-After", async () => {
    const store = openStore();
    const events: ProgressEvent[] = [];
    const target = scriptedTarget((_request, call) => {
      if (call <= 2)
        throw new CareprobeError("HTTP_STATUS", "slow down", {
          status: 429,
          retryable: true,
          retryAfterSeconds: 0,
        });
      if (call === 3) throw new CareprobeError("NETWORK", "reset", { retryable: true });
      return { text: "A" };
    });
    const run = planRun(target, { id: "none", description: "" }, { samples: 1, limit: 1 });
    const summary = await executeRuns([run], {
      store,
      concurrency: 1,
      timeoutMs: 1000,
      toolVersion: "t",
      retry: FAST,
      onEvent: (e) => events.push(e),
    });
    expect(summary.runs[0]).toMatchObject({ ok: 1, errors: 0 });
    expect(events.filter((e) => e.type === "retry")).toHaveLength(3);
  });

  it("times out a request that never answers, and gives up after the retry budget", async () => {
    const store = openStore();
    const target = scriptedTarget(
      (request) =>
        new Promise((_resolve, reject) => {
          request.signal?.addEventListener("abort", () => reject(request.signal?.reason));
        }),
    );
    const run = planRun(target, { id: "none", description: "" }, { samples: 1, limit: 1 });
    const summary = await executeRuns([run], {
      store,
      concurrency: 1,
      timeoutMs: 20,
      toolVersion: "t",
      retry: FAST,
    });
    expect(target.calls).toHaveLength(4);
    expect(summary.runs[0]).toMatchObject({ ok: 0, errors: 1 });
    expect(store.runRows(run.id)[0]).toMatchObject({ status: "error", errorCode: "TIMEOUT" });
  });

  it("stops a target after repeated failures instead of hammering it", async () => {
    const store = openStore();
    const target = scriptedTarget(() => {
      throw new CareprobeError("NETWORK", "connection refused", {
        retryable: true,
        hint: "Is the server running?",
      });
    });
    const run = planRun(target, { id: "none", description: "" }, { samples: 1 });
    const summary = await executeRuns([run], {
      store,
      concurrency: 1,
      timeoutMs: 1000,
      toolVersion: "t",
      retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 1 },
      stopAfterFailures: 2,
    });
    expect(summary.stopped).toHaveLength(1);
    expect(summary.stopped[0]?.reason).toContain("connection refused");
    expect(summary.stopped[0]?.hint).toBe("Is the server running?");
    expect(target.calls).toHaveLength(4); // 2 requests x 2 attempts, then stop
  });

  it("stops at once on an authentication error", async () => {
    const store = openStore();
    const target = scriptedTarget(() => {
      throw new CareprobeError("HTTP_STATUS", "HTTP 401", { status: 401 });
    });
    const run = planRun(target, { id: "none", description: "" }, { samples: 1 });
    const summary = await executeRuns([run], {
      store,
      concurrency: 1,
      timeoutMs: 1000,
      toolVersion: "t",
    });
    expect(target.calls).toHaveLength(1);
    expect(summary.stopped[0]?.target).toBe("test:model");
  });

  it("stops cleanly on abort without recording the unfinished requests as errors", async () => {
    const store = openStore();
    const controller = new AbortController();
    const target = scriptedTarget(async (_request, call) => {
      if (call === 2) controller.abort(new CareprobeError("ABORTED", "interrupted"));
      return { text: "A" };
    });
    const run = planRun(target, { id: "none", description: "" }, { samples: 1 });
    const summary = await executeRuns([run], {
      store,
      concurrency: 1,
      timeoutMs: 1000,
      toolVersion: "t",
      signal: controller.signal,
    });
    expect(summary.interrupted).toBe(true);
    const statuses = store.runRows(run.id).map((r) => r.status);
    expect(statuses.filter((s) => s === "error")).toHaveLength(0);
    expect(statuses.filter((s) => s === null).length).toBeGreaterThanOrEqual(4);
  });

  it("keys requests by target identity, arm prompt and parameters", () => {
    const a = scriptedTarget(() => ({ text: "A" }));
    const b = { ...scriptedTarget(() => ({ text: "A" })), identity: "http://other" };
    const none = { id: "none", description: "" };
    const soc = { id: "soc", description: "", systemPrompt: "Be kind." };
    const key = (t: Target, arm: typeof none, temperature?: number) =>
      firstKey(
        planRun(t, arm, { samples: 1, ...(temperature === undefined ? {} : { temperature }) }),
      );
    expect(key(a, none)).toBe(key(a, none));
    expect(key(a, none)).not.toBe(key(b, none));
    expect(key(a, none)).not.toBe(key(a, soc));
    expect(key(a, none)).not.toBe(key(a, none, 0.5));
    expect(
      multipleChoice.units(suite, soc, planRun(a, soc, { samples: 1 }).settings)[0]?.messages[0]
        ?.content,
    ).toBe("Be kind.\nAnswer with the letter only.");
  });
});
