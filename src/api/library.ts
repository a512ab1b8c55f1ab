/**
 * The library's `run`: names and options in, the same plan and executor as `careprobe run`
 * (./run.ts) underneath, with the CLI's defaults. It never prints and never exits:
 * progress comes as events, problems as `CareprobeError`s or in the result.
 */

import { resolveArm } from "../catalog/arms.js";
import { resolveSuite } from "../catalog/suites.js";
import { CareprobeError } from "../core/errors.js";
import type { Arm, ProgressListener, Suite, Target } from "../core/types.js";
import type { ExecuteSummary } from "../runner/execute.js";
import { DEFAULT_RETRY } from "../runner/retry.js";
import type { Store } from "../store/store.js";
import { DEFAULT_MAX_RESPONSE_BYTES } from "../targets/guarded-fetch.js";
import { createTarget } from "../targets/registry.js";
import { careprobeHome } from "./context.js";
import { type RunPlan, readTranscripts, runPlan } from "./run.js";

/** What `run` runs: every suite against every target under every arm. */
export interface RunOptions {
  /** Where answers are stored and read back from (see `openStore`); `run` leaves it open. */
  store: Store;
  /** Built-in suite names (`stigma`, `responses`, ...), suite file paths, or loaded suites. */
  suites: Array<string | Suite>;
  /** Target specs (`openai:<model>`, `local:default`, `http:<url>` ...) or created targets. */
  targets: Array<string | Target>;
  /** Arm names (`none`, `standard-of-care`, ...) or system-prompt files. Default: `none`. */
  arms?: Array<string | Arm>;
  /** Judges for responses suites (a panel votes). Default: careprobe's default judge per target. */
  judges?: Array<string | Target>;
  /** Answers per item (default 1). */
  samples?: number;
  /** Only N items of each suite, balanced over its design. */
  limit?: number;
  /** A seeded stratified sample of `size` items per suite instead of `limit`. */
  sample?: { size: number; seed?: number };
  /** Overrides the suites' temperature. */
  temperature?: number;
  /** Overrides the suites' answer length limit (tokens). */
  maxTokens?: number;
  /** Constrain `local:` models to the option letters (default false). */
  grammar?: boolean;
  /** Responses suites: answers are judged up to this many characters (default: the suite's). */
  charLimit?: number;
  /** A transcripts file (JSONL) to place responses stimuli in (docs/transcripts.md). */
  transcripts?: string;
  /** Every N messages of a transcript (default 50). */
  interval?: number;
  /** A model that writes a bridge before each placed stimulus (needs `transcripts`). */
  contextualizer?: string | Target;
  /** Seed of the judges' option order (default 0); part of a run's identity. */
  judgeSeed?: number;
  /**
   * Conversations suites: the simulated client. Default: careprobe's choice by the target's
   * kind, said in an `info` event and in the report's run row.
   */
  client?: string | Target;
  /** Conversations suites: end every conversation after N replies of the target. */
  maxTurns?: number;
  /** Conversations suites: end a conversation at its first critical failure (default false). */
  stopOnCritical?: boolean;
  /** Parallel requests per target (default 8). */
  concurrency?: number;
  /** Per-request time limit in ms (default 60,000; 600,000 when every target is local). */
  timeoutMs?: number;
  /** Retries on 429, 5xx, timeouts (default 4; 0 when every target is local). */
  retries?: number;
  /** At most this many requests per minute to each target. */
  rpm?: number;
  /** At most this many tokens per minute to each target. */
  tpm?: number;
  /** The most of a server's answer that is read, in bytes (default 4 MiB). */
  maxResponseBytes?: number;
  /** Environment for targets (API keys, base URLs); default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** careprobe's data folder (models, fetched datasets); default `$CAREPROBE_HOME` or `./.careprobe`. */
  home?: string;
}

/** Who hears about a run while it goes, and how to stop it. */
export interface RunHooks {
  /**
   * Progress: the plan, each result, retries, downloads, notes. It is called inside the
   * run: keep it quick, and do not throw.
   */
  onEvent?: ProgressListener;
  /** Aborting stops new requests; finished answers stay stored and `interrupted` is true. */
  signal?: AbortSignal;
}

/**
 * What a run did. `runs` holds each run's id (for `buildReport`) and counts; `stopped`
 * lists targets given up on (a wrong key, a missing model), with the reason.
 */
export type RunResult = ExecuteSummary;

function whole(value: number | undefined, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) {
    throw new CareprobeError(
      "BAD_ARGUMENT",
      `run option \`${name}\` must be a whole number of at least ${min}; got ${value}.`,
    );
  }
  return value;
}

function optional(value: number | undefined, name: string, min: number): number | undefined {
  return value === undefined ? undefined : whole(value, name, min, min);
}

function settings(options: RunOptions, allLocal: boolean) {
  const { temperature } = options;
  if (temperature !== undefined && !(temperature >= 0 && temperature <= 2)) {
    throw new CareprobeError("BAD_ARGUMENT", "run option `temperature` must be from 0 to 2.");
  }
  if (options.limit !== undefined && options.sample) {
    throw new CareprobeError("BAD_ARGUMENT", "Use either `limit` or `sample`, not both.");
  }
  if (options.contextualizer !== undefined && options.transcripts === undefined) {
    throw new CareprobeError(
      "BAD_ARGUMENT",
      "run option `contextualizer` needs `transcripts`: bridges join a stimulus to a transcript.",
    );
  }
  const sample = options.sample && {
    size: whole(options.sample.size, "sample.size", 1, 1),
    seed: whole(options.sample.seed, "sample.seed", 0, 0),
  };
  return {
    samples: whole(options.samples, "samples", 1, 1),
    limit: optional(options.limit, "limit", 1),
    ...(sample ? { sample } : {}),
    temperature,
    maxTokens: optional(options.maxTokens, "maxTokens", 1),
    grammar: options.grammar ?? false,
    charLimit: optional(options.charLimit, "charLimit", 1),
    interval: whole(options.interval, "interval", 50, 2),
    judgeSeed: whole(options.judgeSeed, "judgeSeed", 0, 0),
    maxTurns: optional(options.maxTurns, "maxTurns", 1),
    stopOnCritical: options.stopOnCritical ?? false,
    concurrency: whole(options.concurrency, "concurrency", 8, 1),
    timeoutMs: whole(options.timeoutMs, "timeoutMs", allLocal ? 600_000 : 60_000, 1),
    retries: whole(options.retries, "retries", allLocal ? 0 : DEFAULT_RETRY.retries, 0),
    rpm: optional(options.rpm, "rpm", 1),
    tpm: optional(options.tpm, "tpm", 1),
  };
}

const specOf = (target: string | Target) => (typeof target === "string" ? target : target.spec);

/**
 * Runs suites against targets and stores every answer; resolves when all are done (or the
 * signal aborted). What the store already holds is read back, never sent again.
 */
export async function run(options: RunOptions, hooks: RunHooks = {}): Promise<RunResult> {
  const env = options.env ?? process.env;
  const home = options.home ?? careprobeHome(env);
  const allLocal = options.targets.every((t) => specOf(t).startsWith("local:"));
  const { concurrency, timeoutMs, retries, rpm, tpm, ...chosen } = settings(options, allLocal);
  const maxResponseBytes = whole(
    options.maxResponseBytes,
    "maxResponseBytes",
    DEFAULT_MAX_RESPONSE_BYTES,
    1024,
  );
  const given = new Map<string, Target>();
  const roles = [...(options.judges ?? []), options.contextualizer, options.client];
  for (const t of [...options.targets, ...roles]) {
    if (t !== undefined && typeof t !== "string") given.set(t.spec, t);
  }
  // Targets made here are closed here (a local model holds memory); given ones are the caller's.
  const created = new Map<string, Target>();
  const makeTarget = (spec: string): Target => {
    const known = given.get(spec) ?? created.get(spec);
    if (known) return known;
    const target = createTarget(spec, {
      env,
      home,
      constrainChoices: chosen.grammar,
      maxResponseBytes,
      ...(hooks.onEvent ? { onEvent: hooks.onEvent } : {}),
    });
    created.set(spec, target);
    return target;
  };
  try {
    const suites = options.suites.map((s) => (typeof s === "string" ? resolveSuite(s, home) : s));
    const plan: RunPlan = {
      ...chosen,
      suites,
      targets: options.targets.map((t) => makeTarget(specOf(t))),
      arms: (options.arms ?? ["none"]).map((a) =>
        typeof a === "string" ? resolveArm(a, home) : a,
      ),
      judges: options.judges?.map(specOf),
      transcripts: options.transcripts ? readTranscripts(options.transcripts, suites) : undefined,
      contextualizer: options.contextualizer
        ? makeTarget(specOf(options.contextualizer))
        : undefined,
      client: options.client === undefined ? undefined : specOf(options.client),
    };
    return await runPlan(plan, makeTarget, {
      ...{ store: options.store, concurrency, timeoutMs, retries, rpm, tpm },
      ...hooks,
      onNote: (message) => hooks.onEvent?.({ type: "info", message: `note: ${message}` }),
    });
  } finally {
    await Promise.all([...created.values()].map((t) => t.close?.()));
  }
}
