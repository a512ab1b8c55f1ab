/** The opening of the HTML report: what was run and how. */
import type { MetricRow } from "../../core/types.js";
import type { RunRecord } from "../../store/store.js";
import type { BuiltReport } from "../build.js";
import { esc } from "./svg.js";

interface SuiteInfo {
  id: string;
  version: string;
  hash: string;
  kind: string;
}

function suites(report: BuiltReport): SuiteInfo[] {
  const seen = new Map<string, SuiteInfo>();
  for (const c of [...report.collected, ...report.collectedResponses]) {
    seen.set(c.suite.hash, {
      id: c.suite.id,
      version: c.suite.version,
      hash: c.suite.hash,
      kind: c.suite.kind,
    });
  }
  return [...seen.values()];
}

function runs(report: BuiltReport): RunRecord[] {
  return [...report.collected, ...report.collectedResponses].map((c) => c.run);
}

/** "κ = 0.71 with annotator-1 (n = 40)" per labeller, or "not validated". */
export function judgeValidation(judge: string, metrics: readonly MetricRow[]): string {
  const rows = metrics.filter(
    (m) =>
      m.metric === "cohen_kappa" &&
      m.condition === "overall" &&
      m.raters?.[0] === judge &&
      m.value !== null,
  );
  if (rows.length === 0) return "not validated against people's labels";
  // One line per labeller (several runs of one judge may each carry the same agreement).
  const lines = rows.map(
    (m) => `κ = ${(m.value ?? 0).toFixed(2)} with ${m.raters?.[1] ?? "?"} (n = ${m.n})`,
  );
  return [...new Set(lines)].join("; ");
}

function list(items: string[]): string {
  return items.length === 0 ? "—" : `<ul>${items.map((i) => `<li>${i}</li>`).join("")}</ul>`;
}

function judgesHtml(report: BuiltReport, metrics: readonly MetricRow[]): string {
  const judges = new Map<string, boolean>();
  for (const c of report.collectedResponses)
    for (const j of c.judges) judges.set(j, (judges.get(j) ?? false) || c.defaultJudge);
  return list(
    [...judges].map(
      ([judge, isDefault]) =>
        `${esc(judge)}${isDefault ? " (chosen by careprobe)" : ""}: ${esc(judgeValidation(judge, metrics))}`,
    ),
  );
}

export function headerHtml(
  report: BuiltReport,
  metrics: readonly MetricRow[],
  generatedAt: Date,
): string {
  const data = report.data;
  const all = runs(report);
  const dates = all.flatMap((r) => [r.createdAt, r.updatedAt]).sort();
  const samples = [...new Set(all.map((r) => r.samples))].join(", ");
  const rows: Array<[string, string]> = [
    [
      "Suites",
      list(
        suites(report).map(
          (s) =>
            `${esc(s.id)} v${esc(s.version)} (${esc(s.kind)}; sha256 <code>${esc(s.hash.slice(0, 16))}</code>)`,
        ),
      ),
    ],
    ["Targets", list([...new Set(all.map((r) => r.target))].map(esc))],
    ["Arms", list([...new Set(all.map((r) => r.arm))].map(esc))],
    [
      "Judges",
      report.collectedResponses.length > 0
        ? judgesHtml(report, metrics)
        : "— (no responses suites)",
    ],
    [
      "Runs",
      list(
        data.runs.map(
          (r) =>
            `${esc(r.suite)} · ${esc(r.target)} · ${esc(r.arm)}: ${r.answered}/${r.planned} answered, ${r.errors} errors, ${r.pending} not yet run <span class="muted">(run ${esc(r.id)})</span>`,
        ),
      ),
    ],
    ["Samples per item", esc(samples || "—")],
    [
      "Statistics",
      `recipe ${esc(data.recipe ?? "careprobe")}; 95% percentile bootstrap, ${data.resamples} resamples, seed ${data.seed}; Wilson intervals beside`,
    ],
    [
      "Run dates",
      dates.length > 0 ? `${esc(dates[0] ?? "")} to ${esc(dates[dates.length - 1] ?? "")}` : "—",
    ],
    ["Report", `careprobe ${esc(data.toolVersion)}, generated ${esc(generatedAt.toISOString())}`],
  ];
  return `<dl class="meta">${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join("")}</dl>`;
}
