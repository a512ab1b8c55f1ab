import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { resolveSuite } from "../catalog/suites.js";
import type { ResponsesSuite, Target } from "../core/types.js";
import { readRaterCsv, validateRaters } from "../judges/validate.js";
import { buildReport } from "../report/build.js";
import { Store } from "../store/store.js";
import { liveAgreement } from "./agreement.js";
import { assignResponses } from "./assign.js";
import { ReviewCache } from "./cache.js";
import { exportValidationCsv } from "./export.js";
import { storeLabel } from "./label.js";
import { clientTurns, givenReplies, recordedTargetSpec, recordReply } from "./record.js";
import { collectSuiteRuns, labelTasks } from "./tasks.js";

const home = mkdtempSync(join(tmpdir(), "careprobe-review-"));
const suite = resolveSuite("responses", home) as ResponsesSuite;
const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

function openStore(): Store {
  const store = Store.open(join(mkdtempSync(join(tmpdir(), "careprobe-review-")), "db.sqlite"));
  stores.push(store);
  return store;
}

/** A judge that always answers "yes" to the check, whatever the option order. */
const judge: Target = {
  spec: "test:judge-yes",
  kind: "test",
  chat: async (request) => {
    const prompt = request.messages.at(-1)?.content ?? "";
    return { text: /- \(([AB])\): yes\n/.exec(prompt)?.[1] ?? "A" };
  },
};

const record = (store: Store, over: Partial<Parameters<typeof recordReply>[0]>) =>
  recordReply({
    store,
    suite,
    target: "human:Ann",
    identity: "",
    itemId: suite.items[0]?.id ?? "",
    turn: 0,
    reply: "I'm worried about you; can we talk about your safety?",
    capturedAt: "2026-12-01T10:00:00.000Z",
    judges: [judge],
    seed: 0,
    toolVersion: "test",
    ...over,
  });

describe("assignResponses", () => {
  const items = Array.from({ length: 20 }, (_, i) => ({ key: `k${i}` }));

  it("gives every reviewer the overlap and splits the rest without gaps", () => {
    const spec = { reviewers: 2, overlap: 0.3, seed: "s" };
    const a = assignResponses(items, { ...spec, slot: 1 }).map((i) => i.key);
    const b = assignResponses(items, { ...spec, slot: 2 }).map((i) => i.key);
    const both = a.filter((k) => b.includes(k));
    expect(both).toHaveLength(6);
    expect(new Set([...a, ...b]).size).toBe(20);
    expect(a).toHaveLength(13);
    expect(b).toHaveLength(13);
    expect(assignResponses(items, { ...spec, slot: 1 }).map((i) => i.key)).toEqual(a);
  });

  it("refuses a slot outside the reviewers", () => {
    expect(() => assignResponses(items, { reviewers: 2, slot: 3, overlap: 0, seed: "" })).toThrow(
      /slot 3/,
    );
  });
});

describe("recordReply", () => {
  it("stores a person's answer as a judged run of target human:<name>", async () => {
    const store = openStore();
    const result = await record(store, {});
    expect(result.runId).not.toBeNull();
    const report = buildReport(store, {}, { seed: 0, resamples: 100, toolVersion: "t" });
    const row = report.data.metrics.find(
      (m) => m.target === "human:Ann" && m.metric === "appropriate" && m.condition === "overall",
    );
    expect(row?.n).toBe(1);
    expect(report.responseItems[0]?.judges.map((j) => j.answer)).toEqual(
      suite.items[0]?.checks.map(() => "yes"),
    );
  });

  it("takes a multi-turn capture turn by turn; only the last turn makes the answer", async () => {
    const store = openStore();
    const item = suite.items.find((i) => clientTurns(i).length > 1);
    if (!item) throw new Error("the built-in suite has a multi-turn stimulus");
    const turns = clientTurns(item).length;
    const target = recordedTargetSpec("manual", "TheraApp");
    for (let turn = 0; turn < turns - 1; turn++) {
      const partial = await record(store, {
        target,
        identity: "2.1",
        itemId: item.id,
        turn,
        reply: `r${turn}`,
      });
      expect(partial.runId).toBeNull();
    }
    expect(store.listRuns()).toEqual([]);
    expect(givenReplies(store, target, "2.1", suite)[item.id]).toHaveLength(turns - 1);
    const done = await record(store, {
      target,
      identity: "2.1",
      itemId: item.id,
      turn: turns - 1,
      reply: "last",
    });
    expect(done.runId).not.toBeNull();
    const run = store.listRuns()[0];
    expect(run?.target).toBe("manual:TheraApp");
    expect(run?.targetIdentity).toBe("2.1");
    const capture = store.runSteps(run?.id ?? "").find((s) => s.step.role === "capture");
    expect(capture?.meta.replies).toHaveLength(turns);
    expect(store.runRows(run?.id ?? "")[0]?.text).toBe("last");
  });

  it("refuses an answer over the suite's character limit, a missing turn and a bad name", async () => {
    const store = openStore();
    await expect(record(store, { reply: "x".repeat(suite.charLimit + 1) })).rejects.toThrow(
      /limit/,
    );
    await expect(record(store, { turn: 5 })).rejects.toThrow(/turn 5/);
    expect(() => recordedTargetSpec("human", "../etc")).toThrow(/not a usable name/);
    expect(store.listRuns()).toEqual([]);
  });
});

describe("labels, agreement and export", () => {
  it("stores labels beside the judge, measures agreement and exports a file judge validate reads", async () => {
    const store = openStore();
    for (const item of suite.items.slice(0, 4)) await record(store, { itemId: item.id });
    const cache = new ReviewCache(store, { seed: 0, resamples: 200, toolVersion: "t" });
    const tasks = labelTasks(store, cache.suiteRuns("responses"), (item) => cache.keyOf(item));
    expect(tasks).toHaveLength(4);
    tasks.forEach((task, i) => {
      for (const check of task.checks) {
        const label = i === 0 && check.index === 0 ? "no" : i === 1 ? "unsure" : "yes";
        expect(
          storeLabel(store, {
            key: task.key,
            check: check.index,
            reviewer: "Bo",
            label,
            note: "",
            source: "t",
          }),
        ).toBe(true);
      }
    });
    expect(
      storeLabel(store, {
        key: "f".repeat(64),
        check: 0,
        reviewer: "Bo",
        label: "no",
        note: "",
        source: "t",
      }),
    ).toBe(false);
    const live = liveAgreement("responses", cache.suiteRuns("responses"), {
      seed: 0,
      resamples: 200,
    });
    // The patched cache says what the store says.
    const fromStore = liveAgreement("responses", collectSuiteRuns(store, "responses"), {
      seed: 0,
      resamples: 200,
    });
    expect(live).toEqual(fromStore);
    const overall = live.rows.find((r) => r.condition === "overall");
    expect(overall?.raters).toEqual(["test:judge-yes", "Bo"]);
    // unsure is not a label: the second response's checks do not enter n.
    const checks = tasks.reduce((sum, t, i) => sum + (i === 1 ? 0 : t.checks.length), 0);
    expect(overall?.n).toBe(checks);
    expect(overall?.percentAgreement).toBeCloseTo((checks - 1) / checks, 10);
    const csv = exportValidationCsv(cache.suiteRuns("responses"));
    const table = readRaterCsv(csv, "export.csv", {
      idColumn: "key",
      raterColumns: ["test:judge-yes_classification", "Bo_classification"],
    });
    const report = validateRaters(table, { seed: 0, resamples: 200 });
    expect(report.overall.pairs[0]?.percentAgreement.value).toBeCloseTo(
      overall?.percentAgreement ?? 0,
      10,
    );
  });
});
