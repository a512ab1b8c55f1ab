/**
 * `report --suite/--target/--arm` must name something stored: a filter that matches no
 * run is bad input (exit 2) naming what exists, so a typo never reads as "no results".
 */
import { CareprobeError } from "../core/errors.js";
import type { ReportFilter } from "../report/build.js";
import type { RunRecord } from "../store/store.js";

const DIMENSIONS = [
  { flag: "suite", key: "suites", of: (r: RunRecord) => r.suiteId, plural: "suites" },
  { flag: "target", key: "targets", of: (r: RunRecord) => r.target, plural: "targets" },
  { flag: "arm", key: "arms", of: (r: RunRecord) => r.arm, plural: "arms" },
] as const;

const SHOWN = 20;

function list(values: readonly string[]): string {
  const shown = values.slice(0, SHOWN).join(", ");
  return values.length > SHOWN ? `${shown} and ${values.length - SHOWN} more` : shown;
}

/** Throws BAD_ARGUMENT when a filter value, or the filters together, match no stored run. */
export function checkReportFilter(filter: ReportFilter, runs: readonly RunRecord[]): void {
  const given = DIMENSIONS.filter((d) => (filter[d.key]?.length ?? 0) > 0);
  if (given.length === 0) return;
  if (runs.length === 0) {
    throw new CareprobeError("BAD_ARGUMENT", "The database holds no runs yet.", {
      hint: "Run `careprobe run` (or `careprobe import moore2025`) first.",
    });
  }
  for (const d of given) {
    const stored = [...new Set(runs.map(d.of))].sort();
    const unknown = (filter[d.key] ?? []).filter((v) => !stored.includes(v));
    if (unknown.length > 0) {
      throw new CareprobeError(
        "BAD_ARGUMENT",
        `--${d.flag} ${unknown.join(", ")}: no stored run has this ${d.flag}.`,
        { hint: `Stored ${d.plural}: ${list(stored)}.` },
      );
    }
  }
  const matches = runs.some((r) => given.every((d) => (filter[d.key] ?? []).includes(d.of(r))));
  if (!matches) {
    const combos = [...new Set(runs.map((r) => `${r.suiteId} · ${r.target} · ${r.arm}`))].sort();
    throw new CareprobeError(
      "BAD_ARGUMENT",
      `No stored run matches ${given.map((d) => `--${d.flag} ${(filter[d.key] ?? []).join(",")}`).join(" ")} together.`,
      { hint: `Stored runs (suite · target · arm): ${list(combos)}.` },
    );
  }
}

/**
 * `--run ID`: each value names one stored run, by its id or a unique prefix of it (as
 * `careprobe runs` prints them). Returns the full ids.
 */
export function resolveRunIds(given: readonly string[], runs: readonly RunRecord[]): string[] {
  return given.map((value) => {
    const found = runs.filter((r) => r.id.startsWith(value));
    if (found.length === 1 && value.length >= 4) return found[0]?.id ?? value;
    const problem =
      found.length === 0
        ? `--run ${value}: no stored run has this id.`
        : `--run ${value}: ${value.length < 4 ? "give at least 4 characters of a run id" : `${found.length} runs start with it`}.`;
    throw new CareprobeError("BAD_ARGUMENT", problem, {
      hint: "`careprobe runs` lists the stored runs with their ids.",
    });
  });
}
