/**
 * Which stored runs a report shows. A run is identified by everything that changes what
 * it measures: the suite, the target and its identity (the server, the model file's
 * sha256, an http: config's hash), the arm and its prompt, the samples and the options a
 * kind records (temperature, constrained decoding, judges ...). Of runs that differ only
 * in the suite's version, the newest is shown and the others are listed as superseded.
 * Runs that share a target label but measure different things are all shown, their labels
 * told apart by what differs (`openai:m [http://127.0.0.1:8080/v1]`).
 */
import type { RunRecord, Store } from "../store/store.js";

export interface ReportFilter {
  suites?: string[];
  targets?: string[];
  arms?: string[];
  /** These runs exactly (ids, or unique prefixes resolved by the caller); none superseded. */
  runIds?: string[];
}

/** A run left out because a newer run of the same suite, target and settings replaced it. */
export interface SupersededRun {
  id: string;
  suite: string;
  target: string;
  arm: string;
  updated_at: string;
  /** The run shown instead. */
  by: string;
}

export interface SelectedRuns {
  /** The runs to report, with their target labels told apart where they collide. */
  runs: RunRecord[];
  superseded: SupersededRun[];
}

/** What the run measures, without the suite's version. */
function measureKey(run: RunRecord): string {
  return JSON.stringify([
    run.suiteId,
    run.target,
    run.targetIdentity,
    run.arm,
    run.armPrompt,
    run.samples,
    run.config.identity ?? null,
  ]);
}

function matches(run: RunRecord, filter: ReportFilter): boolean {
  if (filter.runIds && !filter.runIds.includes(run.id)) return false;
  if (filter.suites && !filter.suites.includes(run.suiteId)) return false;
  if (filter.targets && !filter.targets.includes(run.target)) return false;
  if (filter.arms && !filter.arms.includes(run.arm)) return false;
  return true;
}

export function selectRuns(store: Store, filter: ReportFilter): SelectedRuns {
  const chosen = store.listRuns().filter((run) => matches(run, filter));
  const latest = new Map<string, RunRecord>();
  for (const run of chosen) {
    const key = filter.runIds ? run.id : measureKey(run);
    const current = latest.get(key);
    if (!current || current.updatedAt <= run.updatedAt) latest.set(key, run);
  }
  const shown = [...latest.values()];
  const superseded: SupersededRun[] = chosen
    .filter((run) => !shown.includes(run))
    .map((run) => ({
      id: run.id,
      suite: run.suiteId,
      target: run.target,
      arm: run.arm,
      updated_at: run.updatedAt,
      by: latest.get(measureKey(run))?.id ?? "",
    }));
  return { runs: distinctLabels(shown), superseded };
}

/** The settings of a run that tell it apart from another, as `name=value` strings. */
function settings(run: RunRecord): Map<string, string> {
  const out = new Map<string, string>([
    ["identity", run.targetIdentity],
    ["arm prompt", run.armPrompt ?? ""],
    ["samples", String(run.samples)],
  ]);
  const flatten = (prefix: string, value: unknown) => {
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      for (const [key, inner] of Object.entries(value)) flatten(key, inner);
    } else {
      out.set(prefix, describe(value));
    }
  };
  flatten("", run.config.identity ?? {});
  return out;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return value.map(describe).join("+");
  if (value !== null && typeof value === "object" && "spec" in value) return String(value.spec);
  return value === null || value === undefined ? "-" : String(value);
}

/** Runs that would share a row label get the settings that differ appended to their target. */
function distinctLabels(runs: RunRecord[]): RunRecord[] {
  const groups = new Map<string, RunRecord[]>();
  for (const run of runs) {
    const key = JSON.stringify([run.suiteId, run.target, run.arm]);
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  return runs.map((run) => {
    const group = groups.get(JSON.stringify([run.suiteId, run.target, run.arm])) ?? [];
    if (group.length < 2) return run;
    const mine = settings(run);
    const all = group.map(settings);
    // A setting one run records and another leaves at its default differs too.
    const names = [...new Set(all.flatMap((other) => [...other.keys()]))];
    const differing = names.filter((name) =>
      all.some((other) => other.get(name) !== mine.get(name)),
    );
    const parts = differing.map((name) =>
      name === "identity"
        ? shortIdentity(mine.get(name) ?? "")
        : `${name}=${mine.get(name) ?? "default"}`,
    );
    const label = parts.length > 0 ? parts.join(", ") : run.id.slice(0, 8);
    return { ...run, target: `${run.target} [${label}]` };
  });
}

/** A server URL as written; a long hash (a model file's, a config's) by its first characters. */
function shortIdentity(identity: string): string {
  if (/^https?:\/\//.test(identity)) return identity;
  return identity.length > 20 ? `${identity.slice(0, 16)}…` : identity || "-";
}
