/**
 * Labelling tasks: the answered responses of a suite's stored runs, each with its
 * check(s), what the judges said and what people said. Blinding (hiding the target and
 * the judges' verdicts) is applied by `blindTask`, so a labeller is not anchored on them.
 */
import { DEFAULT_RECIPE } from "../core/recipe.js";
import type { CollectedResponsesRun, ResponseItemRow } from "../experiments/responses/collect.js";
import { responses } from "../experiments/responses/index.js";
import type { Store } from "../store/store.js";

export interface LabelTask {
  key: string;
  runId: string;
  suite: string;
  target: string | null;
  arm: string | null;
  itemId: string;
  sample: number;
  condition: string;
  severity: string;
  /** The conversation as the target saw it, without the system prompt. */
  conversation: Array<{ role: string; content: string }>;
  /** The reply as the judges saw it (cut to the suite's limit). */
  reply: string;
  checks: Array<{ index: number; question: string }>;
  judges: Array<{ judge: string; check: number; answer: string | null }> | null;
  labels: Array<{ rater: string; check: number; label: string; note?: string }>;
}

/** Every responses run stored for the suite id, collected. */
export function collectSuiteRuns(store: Store, suiteId: string): CollectedResponsesRun[] {
  return store
    .listRuns()
    .filter((run) => run.suiteId === suiteId)
    .flatMap((run) => {
      const suite = store.loadSuite(run.suiteHash)?.suite;
      return suite && responses.accepts(suite)
        ? [responses.collect(store, run, suite, DEFAULT_RECIPE)]
        : [];
    });
}

/** Suites that have a stored responses run, with their run count. */
export function responsesSuites(store: Store): Array<{ id: string; runs: number }> {
  const counts = new Map<string, number>();
  for (const run of store.listRuns()) {
    const suite = store.loadSuite(run.suiteHash)?.suite;
    if (!suite || !responses.accepts(suite)) continue;
    counts.set(run.suiteId, (counts.get(run.suiteId) ?? 0) + 1);
  }
  return [...counts].map(([id, runs]) => ({ id, runs }));
}

function toTask(run: CollectedResponsesRun, item: ResponseItemRow, key: string): LabelTask {
  const stimulus = run.suite.items.find((i) => i.id === item.stimulus_id);
  return {
    key,
    runId: run.run.id,
    suite: run.suite.id,
    target: run.run.target,
    arm: run.run.arm,
    itemId: item.item_id,
    sample: item.sample,
    condition: item.condition,
    severity: item.severity,
    conversation: item.conversation.filter((m) => m.role !== "system"),
    reply: item.judged_output ?? "",
    checks: (stimulus?.checks ?? []).map((check, index) => ({ index, question: check.question })),
    judges: item.judges.map((j) => ({ judge: j.judge, check: j.check, answer: j.answer })),
    labels: item.labels.map((l) => ({ ...l })),
  };
}

/** Answered, non-blank responses of the runs: what a person can label. */
export function labelTasks(
  store: Store,
  runs: CollectedResponsesRun[],
  keyOf: (item: ResponseItemRow) => string | undefined,
): LabelTask[] {
  const tasks: LabelTask[] = [];
  for (const run of runs) {
    for (const item of run.items) {
      if (item.outcome === "error" || item.outcome === "blank" || item.output === null) continue;
      const key = keyOf(item);
      if (key) tasks.push(toTask(run, item, key));
    }
  }
  const notes = store.labelNotes(tasks.map((t) => t.key));
  for (const task of tasks) {
    for (const note of notes.get(task.key) ?? []) {
      const label = task.labels.find((l) => l.rater === note.rater && l.check === note.check);
      if (label) label.note = note.note;
    }
  }
  return tasks;
}

/** What a blinded labeller sees: no target, arm or judge verdicts, and only their own labels. */
export function blindTask(task: LabelTask, reviewer: string): LabelTask {
  return {
    ...task,
    target: null,
    arm: null,
    judges: null,
    labels: task.labels.filter((l) => l.rater === reviewer),
  };
}
