/**
 * Answers given by people, stored as runs like any model's: a clinician's answers
 * (target `human:<name>`, the Answer page) and replies of consumer apps pasted by hand
 * (target `manual:<app>`, identity its version, the Capture page). Each reply is stored
 * the moment it is given (the captures table); once a stimulus's last client turn has
 * its reply, it becomes the answer of the target's run through the same pipeline as a
 * model's, and the same judges judge it.
 */

import { resolveArm } from "../catalog/arms.js";
import { CareprobeError } from "../core/errors.js";
import type { ResponseItem, ResponsesSuite, Target } from "../core/types.js";
import { executeResponsesRuns } from "../runner/responses.js";
import { DEFAULT_RETRY } from "../runner/retry.js";
import { RunWriter } from "../store/run-writer.js";
import type { Store } from "../store/store.js";

const NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,63}$/u;

/** `human:<name>` or `manual:<app>`, with a name a person can read and a file system can't misuse. */
export function recordedTargetSpec(kind: "human" | "manual", name: string): string {
  const trimmed = name.trim();
  if (!NAME.test(trimmed)) {
    throw new CareprobeError(
      "BAD_ARGUMENT",
      `"${name}" is not a usable name: use 1 to 64 letters, digits, spaces, dots, dashes or underscores.`,
    );
  }
  return `${kind}:${trimmed}`;
}

/** The client turns of a stimulus, in order: each gets a reply (the last one is judged). */
export function clientTurns(item: ResponseItem): string[] {
  return item.turns.filter((t) => t.role === "client").map((t) => t.content);
}

/** A target that gives the reply a person typed; it never calls anything. */
function recordedTarget(spec: string, identity: string, reply: string): Target {
  return {
    spec,
    kind: spec.slice(0, spec.indexOf(":")),
    identity,
    maxConcurrency: 1,
    chat: async () => ({ text: reply, model: identity || spec, finishReason: "recorded" }),
  };
}

export interface RecordOptions {
  store: Store;
  suite: ResponsesSuite;
  /** `human:<name>` or `manual:<app>`. */
  target: string;
  /** The app's version for `manual:` (part of the run's identity); "" for people. */
  identity: string;
  itemId: string;
  /** Which client turn this reply answers (0-based); the last one completes the stimulus. */
  turn: number;
  reply: string;
  capturedAt: string;
  judges: Target[];
  seed: number;
  toolVersion: string;
}

export interface RecordResult {
  stored: true;
  /** Set once the stimulus's last turn has its reply: the run it became part of. */
  runId: string | null;
  /** Judgements requested and how many failed (the answer is kept either way). */
  judged: { sent: number; failed: string[] };
}

function itemOf(suite: ResponsesSuite, itemId: string): ResponseItem {
  const item = suite.items.find((i) => i.id === itemId);
  if (!item) {
    throw new CareprobeError("BAD_ARGUMENT", `Stimulus "${itemId}" is not in suite ${suite.id}.`);
  }
  return item;
}

/** Stores one reply; when it completes its stimulus, records the answer and judges it. */
export async function recordReply(options: RecordOptions): Promise<RecordResult> {
  const { store, suite, target, identity } = options;
  const item = itemOf(suite, options.itemId);
  const turns = clientTurns(item);
  if (!Number.isInteger(options.turn) || options.turn < 0 || options.turn >= turns.length) {
    throw new CareprobeError(
      "BAD_ARGUMENT",
      `Stimulus "${item.id}" has ${turns.length} client turn(s); turn ${options.turn} does not exist.`,
    );
  }
  if (target.startsWith("human:") && options.reply.length > suite.charLimit) {
    throw new CareprobeError(
      "BAD_ARGUMENT",
      `The answer has ${options.reply.length} characters; the limit is ${suite.charLimit}, as for the models.`,
    );
  }
  store.saveSuite(suite);
  store.saveCapture({
    target,
    identity,
    suiteHash: suite.hash,
    itemId: item.id,
    turn: options.turn,
    reply: options.reply,
    capturedAt: options.capturedAt,
  });
  if (options.turn < turns.length - 1)
    return { stored: true, runId: null, judged: { sent: 0, failed: [] } };
  const summary = await executeResponsesRuns(
    [{ suite, target: recordedTarget(target, identity, options.reply), arm: resolveArm("none") }],
    {
      samples: 1,
      interval: 50,
      judges: options.judges,
      defaultJudge: false,
      seed: options.seed,
      only: new Set([item.id]),
    },
    {
      store,
      concurrency: 4,
      timeoutMs: 60_000,
      retry: DEFAULT_RETRY,
      toolVersion: options.toolVersion,
    },
  );
  const runId = summary.runs[0]?.id ?? null;
  if (runId) {
    const replies = store
      .captures(target, identity, suite.hash)
      .filter((c) => c.itemId === item.id)
      .map((c) => ({ turn: c.turn, reply: c.reply, capturedAt: c.capturedAt }));
    // Who captured which replies, written like every other step of a run.
    const writer = new RunWriter(store);
    writer.step(runId, {
      itemId: item.id,
      sample: 0,
      step: { role: "capture" },
      requestKey: store.runRows(runId).find((r) => r.itemId === item.id)?.requestKey ?? "",
      meta: { target, version: identity, replies },
    });
    writer.flush();
  }
  return {
    stored: true,
    runId,
    judged: { sent: summary.sent, failed: summary.stopped.map((s) => `${s.target}: ${s.reason}`) },
  };
}

/** What a person has already given for a suite: replies per stimulus and turn. */
export function givenReplies(
  store: Store,
  target: string,
  identity: string,
  suite: ResponsesSuite,
): Record<string, Array<{ turn: number; reply: string; capturedAt: string }>> {
  const out: Record<string, Array<{ turn: number; reply: string; capturedAt: string }>> = {};
  for (const row of store.captures(target, identity, suite.hash)) {
    const list = out[row.itemId] ?? [];
    list.push({ turn: row.turn, reply: row.reply, capturedAt: row.capturedAt });
    out[row.itemId] = list;
  }
  return out;
}
