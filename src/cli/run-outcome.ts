/**
 * What a finished `careprobe run` produced, read from its report: which answers and
 * judgements are missing, and the exit code that tells the truth about it
 * (docs/design/errors.md). 130 interrupted > 2 a target given up on or never reached >
 * 3 incomplete > 1 a gate failed > 0 complete: a gate judged on incomplete numbers is
 * neither a pass nor a final fail.
 */
import { EXIT } from "../core/errors.js";
import type { BuiltReport } from "../report/build.js";
import type { SentTally } from "./progress.js";

/** What one run still lacks. */
export interface RunGaps {
  /** `suite · target · arm`. */
  label: string;
  planned: number;
  answered: number;
  /** Target answers that failed after their retries. */
  failed: number;
  /** Target answers never sent (a target given up on, or an interrupt). */
  notSent: number;
  /** Answered items with a judgement that failed or was never sent. */
  notJudged: number;
  /** Judged items with a check whose verdict no judge's reply gave. */
  unreadable: number;
}

export function runGaps(report: BuiltReport): RunGaps[] {
  const judged = new Map(report.collectedResponses.map((c) => [c.run.id, c.items]));
  return report.data.runs.map((run) => {
    let notJudged = 0;
    let unreadable = 0;
    for (const item of judged.get(run.id) ?? []) {
      if (item.output === null || item.outcome === "blank") continue;
      if (item.judges.length === 0 || item.judges.some((j) => j.reply === null)) notJudged++;
      else if (item.outcome === "unscored") unreadable++;
    }
    return {
      label: `${run.suite} · ${run.target} · ${run.arm}`,
      planned: run.planned,
      answered: run.answered,
      failed: run.errors,
      notSent: run.pending,
      notJudged,
      unreadable,
    };
  });
}

export function isIncomplete(gaps: RunGaps): boolean {
  return gaps.failed + gaps.notSent + gaps.notJudged + gaps.unreadable > 0;
}

/** One line per incomplete run, then what to do. Empty when every run is complete. */
export function describeGaps(all: readonly RunGaps[]): string[] {
  const incomplete = all.filter(isIncomplete);
  if (incomplete.length === 0) return [];
  const lines = incomplete.map((g) => {
    const parts = [
      g.failed > 0 ? `${g.failed} of ${g.planned} answers failed` : "",
      g.notSent > 0 ? `${g.notSent} of ${g.planned} answers not sent` : "",
      g.notJudged > 0 ? `${g.notJudged} answered item(s) not yet judged` : "",
      g.unreadable > 0 ? `${g.unreadable} item(s) with a verdict no judge reply gave` : "",
    ].filter((p) => p !== "");
    return `incomplete: ${g.label}: ${parts.join(", ")}`;
  });
  const retry = incomplete.some((g) => g.failed + g.notSent + g.notJudged > 0);
  if (retry) {
    lines.push(
      "The numbers above are not final. Run the same command again to continue: only what is missing or failed is sent.",
    );
  }
  if (incomplete.some((g) => g.unreadable > 0)) {
    lines.push(
      "Unreadable verdicts stay unreadable on a rerun with the same judges (their replies are stored): see `careprobe report --items`, or judge with another model (--judge).",
    );
  }
  return lines;
}

/** Targets that answered nothing this time and whose every request failed to connect. */
export function unreachableTargets(sent: ReadonlyMap<string, SentTally>): string[] {
  return [...sent.entries()]
    .filter(([, t]) => t.ok === 0 && t.failed > 0 && t.codes.NETWORK === t.failed)
    .map(([target]) => target);
}

export interface RunVerdict {
  interrupted: boolean;
  /** Targets given up on, or never reached: the user must act (exit 2). */
  blocked: boolean;
  incomplete: boolean;
  /** undefined when no gate was asked for. */
  gatesPassed: boolean | undefined;
}

export function runExitCode(v: RunVerdict): number {
  if (v.interrupted) return EXIT.interrupted;
  if (v.blocked) return EXIT.badInput;
  if (v.incomplete) return EXIT.incomplete;
  if (v.gatesPassed === false) return EXIT.gateFailed;
  return EXIT.ok;
}

/** When the report has nothing to show: what was run, and why nothing came of it. */
export function nothingMeasured(all: readonly RunGaps[]): string {
  const lines = all.map(
    (g) =>
      `${g.label}: ${g.answered}/${g.planned} answered, ${g.failed} failed, ${g.notSent} not sent, ${g.notJudged} not yet judged`,
  );
  const answered = all.reduce((n, g) => n + g.answered, 0);
  const notJudged = all.reduce((n, g) => n + g.notJudged, 0);
  const why =
    all.length === 0
      ? "No run was planned, so there is nothing to report."
      : answered === 0
        ? "No answer arrived, so nothing could be measured yet."
        : notJudged > 0
          ? "No metric yet: the answers are stored, but they are not judged yet."
          : "No metric: the items answered measure nothing on their own (for example, a --limit that took only questions that measure no stigma). `careprobe report --items` shows every answer.";
  return `${why}\n${lines.join("\n")}${lines.length > 0 ? "\n" : ""}`;
}
