/** What every route works with: the store, where careprobe lives, and the judges to use. */

import { resolveSuite } from "../catalog/suites.js";
import { CareprobeError } from "../core/errors.js";
import type { ResponsesSuite, Target } from "../core/types.js";
import { responses } from "../experiments/responses/index.js";
import type { ReviewCache } from "../review/cache.js";
import type { Store } from "../store/store.js";
import { createTarget } from "../targets/registry.js";

export interface ViewContext {
  store: Store;
  /** Collected runs between requests (see src/review/cache.ts). */
  cache: ReviewCache;
  home: string;
  env: NodeJS.ProcessEnv;
  /** Judges for people's answers and captures; default: those of the suite's model runs. */
  judges?: string[];
  seed: number;
  /** Bootstrap resamples for the figures and live agreement. */
  resamples: number;
  toolVersion: string;
}

const RECORDED = /^(human|manual):/;

/** Responses suites a person can answer: those of stored runs, and the built-in one. */
export function answerableSuites(context: ViewContext): ResponsesSuite[] {
  const byId = new Map<string, { suite: ResponsesSuite; at: string }>();
  for (const run of context.store.listRuns()) {
    const suite = context.store.loadSuite(run.suiteHash)?.suite;
    if (!suite || !responses.accepts(suite)) continue;
    const seen = byId.get(suite.id);
    if (!seen || seen.at <= run.updatedAt) byId.set(suite.id, { suite, at: run.updatedAt });
  }
  if (!byId.has("responses")) {
    const builtin = resolveSuite("responses", context.home);
    if (responses.accepts(builtin)) byId.set(builtin.id, { suite: builtin, at: "" });
  }
  return [...byId.values()].map((entry) => entry.suite);
}

export function answerableSuite(context: ViewContext, id: string): ResponsesSuite {
  const suite = answerableSuites(context).find((s) => s.id === id);
  if (!suite) throw new CareprobeError("BAD_ARGUMENT", `No responses suite "${id}" is available.`);
  return suite;
}

/** The judge specs for a suite: --judge, else those of its newest model run. */
export function judgeSpecs(context: ViewContext, suiteId: string): string[] {
  if (context.judges && context.judges.length > 0) return context.judges;
  const runs = context.store
    .listRuns()
    .filter((run) => run.suiteId === suiteId && !RECORDED.test(run.target))
    .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
  for (const run of runs.reverse()) {
    const specs = run.roles.judges.map((j) => j.spec);
    if (specs.length > 0 && !specs.some((s) => s.startsWith("moore2025"))) return specs;
  }
  throw new CareprobeError(
    "BAD_ARGUMENT",
    `No judge is known for suite ${suiteId}: no model run of it has judges.`,
    { hint: "Start careprobe view with --judge SPEC (the judges your model runs use)." },
  );
}

const targets = new Map<string, Target>();
export function judgeTargets(context: ViewContext, suiteId: string): Target[] {
  return judgeSpecs(context, suiteId).map((spec) => {
    let target = targets.get(spec);
    if (!target) {
      target = createTarget(spec, { env: context.env, home: context.home });
      targets.set(spec, target);
    }
    return target;
  });
}

export async function closeJudges(): Promise<void> {
  await Promise.all([...targets.values()].map((t) => t.close?.()));
  targets.clear();
}
