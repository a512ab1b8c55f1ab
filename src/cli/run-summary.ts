/**
 * The end of `careprobe run`: the summary table (or what was run and why nothing came of
 * it), what is incomplete, and the exit code (run-outcome.ts; docs/design/errors.md).
 */
import { buildReport } from "../report/build.js";
import { sanitizeForTerminal } from "../report/format.js";
import { renderTable } from "../report/render.js";
import type { ExecuteSummary } from "../runner/execute.js";
import type { Store } from "../store/store.js";
import { toolVersion } from "./context.js";
import { type GateSettings, judgeGates } from "./gates.js";
import type { CliIO } from "./io.js";
import type { ProgressRenderer } from "./progress.js";
import {
  describeGaps,
  isIncomplete,
  nothingMeasured,
  runExitCode,
  runGaps,
  unreachableTargets,
} from "./run-outcome.js";

export interface RunEnd {
  store: Store;
  io: CliIO;
  gates: GateSettings;
  seed: number;
  progress: Pick<ProgressRenderer, "sent">;
  /** Where the results are, for the closing line. */
  database: string;
}

export function summarizeRun(summary: ExecuteSummary, end: RunEnd): number {
  const { io } = end;
  const report = buildReport(
    end.store,
    { runIds: summary.runs.map((r) => r.id) },
    { seed: end.seed, resamples: 10_000, toolVersion: toolVersion() },
  );
  const gaps = runGaps(report);
  io.stdout.write(
    report.data.metrics.length > 0
      ? renderTable(report.data)
      : sanitizeForTerminal(nothingMeasured(gaps)),
  );
  io.stderr.write(
    `sent ${summary.sent} request(s) in ${(summary.elapsedMs / 1000).toFixed(1)} s; results in ${end.database}\n`,
  );
  if (summary.interrupted) {
    io.stderr.write(
      "Interrupted. Finished answers are saved; run the same command again to continue.\n",
    );
    return runExitCode({
      interrupted: true,
      blocked: false,
      incomplete: true,
      gatesPassed: undefined,
    });
  }
  const stopped = new Set(summary.stopped.map((s) => s.target));
  for (const stop of summary.stopped) {
    const reason = sanitizeForTerminal(stop.reason);
    io.stderr.write(`error: gave up on ${sanitizeForTerminal(stop.target)}: ${reason}\n`);
    if (stop.hint) io.stderr.write(`  ${sanitizeForTerminal(stop.hint)}\n`);
  }
  const unreachable = unreachableTargets(end.progress.sent()).filter((t) => !stopped.has(t));
  for (const target of unreachable) {
    const example = connectError(report, target);
    io.stderr.write(
      `error: could not reach ${sanitizeForTerminal(target)}: every request to it failed to connect${example ? ` (${sanitizeForTerminal(example)})` : ""}\n`,
    );
    io.stderr.write(
      "  Check that the server is running and that its URL (OPENAI_BASE_URL, or the http: config) is right.\n",
    );
  }
  if (stopped.size + unreachable.length > 0) {
    io.stderr.write(
      "Finished answers are saved; fix the problem and run the same command again to continue.\n",
    );
    return runExitCode({
      interrupted: false,
      blocked: true,
      incomplete: true,
      gatesPassed: undefined,
    });
  }
  const incomplete = gaps.some(isIncomplete);
  for (const line of describeGaps(gaps)) io.stderr.write(`${sanitizeForTerminal(line)}\n`);
  const verdict = judgeGates(end.gates, report.data.metrics, io);
  if (verdict && !verdict.passed && incomplete) {
    io.stderr.write(
      "A gate failed on incomplete numbers: the exit code is 3 (incomplete), not 1, until the run is complete.\n",
    );
  } else if (verdict?.passed && incomplete) {
    io.stderr.write("The gates held on incomplete numbers: that is not a pass (exit 3).\n");
  }
  return runExitCode({
    interrupted: false,
    blocked: false,
    incomplete,
    gatesPassed: verdict?.passed,
  });
}

/** One stored connection error of the target, to show what the client said. */
function connectError(report: ReturnType<typeof buildReport>, target: string): string | undefined {
  const rows = [...report.items, ...report.responseItems];
  const answer = rows.find((r) => r.target === target && r.error?.startsWith("NETWORK"));
  if (answer?.error) return answer.error;
  for (const item of report.responseItems) {
    const judge = item.judges.find((j) => j.judge === target && j.reason?.startsWith("NETWORK"));
    if (judge?.reason) return judge.reason;
  }
  return undefined;
}
