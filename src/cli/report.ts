/** `careprobe report`: metrics (or item rows) over the stored runs. */

import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { CareprobeError, EXIT } from "../core/errors.js";
import { RECIPES, recipeNamed } from "../core/recipe.js";
import { moore2025Dir } from "../datasets/moore2025/fetch.js";
import { HUMAN_BASELINE_PATH, humanBaselineRows } from "../datasets/moore2025/human-baseline.js";
import { conversationItems } from "../experiments/conversations/index.js";
import type { ItemFormat } from "../experiments/experiment.js";
import { rowsLackingAgreement } from "../experiments/responses/judge-agreement.js";
import { type BuiltReport, buildReport } from "../report/build.js";
import { filterReport } from "../report/compact.js";
import { sanitizeForTerminal } from "../report/format.js";
import type { GateReport } from "../report/gates.js";
import { writeFigures } from "../report/html/figure-files.js";
import { renderHtml } from "../report/html/page.js";
import { renderJunit } from "../report/junit.js";
import { renderMoore2025Csv } from "../report/moore2025-layout.js";
import { renderCsv, renderJson, renderMarkdown, renderTable } from "../report/render.js";
import { Store } from "../store/store.js";
import { integerOption, numberOption, withArgErrors } from "./args.js";
import { careprobeHome, databasePath, toolVersion } from "./context.js";
import { GATE_OPTIONS, GATE_USAGE, gateExit, gateSettings, judgeGates } from "./gates.js";
import { type CliIO, writeOutput } from "./io.js";
import { checkReportFilter, resolveRunIds } from "./report-filter.js";

export const REPORT_USAGE = `Usage: careprobe report [options]
  --format F        table (default), json, csv, md, junit, html; with --items: jsonl
                    (default) or csv
  -o, --output FILE write the report to FILE instead of standard output
  --figures DIR     also write the report's figures as SVG files into DIR
  --all             the table lists every metric row (default: overall rows, one line
                    per suite × target × arm)
  --condition C     only metric rows of these conditions (repeatable)
  --metric M        only these metrics (repeatable)
  --items           one row per answered item instead of metrics
  --layout NAME     careprobe (default) or moore2025: with --format csv, the paper's
                    result-file columns (one kind of suite and one arm per file)
  --suite NAME      only these suites (repeatable)
  --target SPEC     only these targets (repeatable)
  --arm NAME        only these arms (repeatable)
  --run ID          only these runs, by id or a unique prefix (repeatable; see
                    \`careprobe runs\`); runs named here are never superseded
  --recipe R        careprobe (default) or paper: Moore et al.'s answer rule (a leading
                    option letter) and counting (blank answers and unreadable verdicts count
                    as not appropriate), to reproduce their published numbers
  --seed N          bootstrap seed (default 0)
  --resamples N     bootstrap resamples (default 10000)
  --contrasts       stigma: paired, item-matched differences between targets and between
                    arms, and between the levels of gender, race and education (JSON:
                    paired_comparisons, demographic_contrasts; slower on large audits)
  --require-judge-agreement KAPPA
                    mark judged rates whose judge's Cohen's kappa with people's labels (per
                    condition where labelled, else overall) is below KAPPA, or unknown;
                    gates (--fail-under) refuse to pass on them
  --db FILE         database (default: $CAREPROBE_HOME/careprobe.db)
${GATE_USAGE}`;

const OPTIONS = {
  format: { type: "string" },
  items: { type: "boolean" },
  layout: { type: "string" },
  suite: { type: "string", multiple: true },
  target: { type: "string", multiple: true },
  arm: { type: "string", multiple: true },
  run: { type: "string", multiple: true },
  seed: { type: "string" },
  recipe: { type: "string" },
  resamples: { type: "string" },
  contrasts: { type: "boolean" },
  "require-judge-agreement": { type: "string" },
  db: { type: "string" },
  output: { type: "string", short: "o" },
  figures: { type: "string" },
  all: { type: "boolean" },
  condition: { type: "string", multiple: true },
  metric: { type: "string", multiple: true },
  ...GATE_OPTIONS,
} as const;

const METRIC_FORMATS = ["table", "json", "csv", "md", "junit", "html"] as const;
const ITEM_FORMATS: Record<ItemFormat, true> = { jsonl: true, csv: true };

/** Item rows of every kind, each kind by its own renderer; CSV needs one kind of columns. */
function renderItems(report: BuiltReport, format: ItemFormat): string {
  const all = report.kinds ?? [];
  const withItems = all.filter((k) => k.collected.some((c) => c.items.length > 0));
  if (format === "csv" && withItems.length > 1) {
    throw new CareprobeError(
      "BAD_ARGUMENT",
      `${withItems.map((k) => k.experiment.kind).join(" and ")} items have different columns; pick one kind with --suite for CSV (or use --format jsonl).`,
    );
  }
  const kinds = withItems.length > 0 ? withItems : all.slice(0, 1);
  return kinds
    .map(({ experiment, collected }) =>
      experiment.renderItems(
        collected.flatMap((c) => c.items),
        format,
      ),
    )
    .join("");
}

export async function reportCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = withArgErrors(
    () => parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true }),
    REPORT_USAGE,
  );
  if (positionals.length > 0) {
    throw new CareprobeError("BAD_ARGUMENT", `Unexpected argument \`${positionals[0]}\`.`, {
      hint: REPORT_USAGE,
    });
  }
  const recipe = recipeNamed(values.recipe ?? "careprobe");
  if (!recipe) {
    throw new CareprobeError(
      "BAD_ARGUMENT",
      `--recipe ${values.recipe} is not known; use ${Object.keys(RECIPES).join(" or ")}.`,
    );
  }
  const items = values.items ?? false;
  const format = values.format ?? (items ? "jsonl" : "table");
  const formats: readonly string[] = items ? Object.keys(ITEM_FORMATS) : METRIC_FORMATS;
  if (!formats.includes(format)) {
    throw new CareprobeError(
      "BAD_ARGUMENT",
      `--format ${format} is not available${items ? " with --items" : ""}; use ${formats.join(", ")}.`,
    );
  }
  const gates = gateSettings(values);
  const layout = values.layout ?? "careprobe";
  if (layout !== "careprobe" && layout !== "moore2025") {
    throw new CareprobeError(
      "BAD_ARGUMENT",
      `--layout ${layout} is not available; use careprobe or moore2025.`,
    );
  }
  if (layout === "moore2025" && values.format !== "csv") {
    throw new CareprobeError(
      "BAD_ARGUMENT",
      "--layout moore2025 writes one row per item in the paper's CSV columns; use it with --format csv.",
    );
  }
  const path = databasePath(io.env, values.db);
  if (!existsSync(path)) {
    throw new CareprobeError("BAD_ARGUMENT", `No results database at ${path}.`, {
      hint: "Run `careprobe run` first, or point at a database with --db or CAREPROBE_HOME.",
    });
  }
  const store = Store.openReadOnly(path);
  try {
    // Read once: both checks of the filters look at the same stored runs.
    const stored = store.listRuns();
    const filter = {
      ...(values.suite ? { suites: values.suite } : {}),
      ...(values.target ? { targets: values.target } : {}),
      ...(values.arm ? { arms: values.arm } : {}),
      ...(values.run ? { runIds: resolveRunIds(values.run, stored) } : {}),
    };
    checkReportFilter(filter, stored);
    const report = buildReport(store, filter, {
      seed: integerOption(values.seed, "seed", 0, 0),
      resamples: integerOption(values.resamples, "resamples", 10_000, 100),
      toolVersion: toolVersion(),
      recipe,
      contrasts: values.contrasts ?? false,
      ...requiredAgreement(values["require-judge-agreement"]),
    });
    // Beside the paper's stigma runs: the 2018 human baseline it drew, in both polarities.
    if (!items && report.data.runs.some((r) => r.suite === "moore2025-stigma")) {
      const dir = moore2025Dir(careprobeHome(io.env));
      if (existsSync(join(dir, HUMAN_BASELINE_PATH)))
        report.data.metrics.push(...humanBaselineRows(dir));
    }
    const verdict = judgeGates(gates, report.data.metrics, io);
    if (values.figures !== undefined) writeFigures(report, values.figures);
    writeOutput(
      render(report, { format, items, layout, all: values.all ?? false }, values, verdict),
      values.output,
      io,
    );
    return refuseUnvalidatedGates(verdict, io) ?? gateExit(verdict);
  } finally {
    store.close();
  }
}

interface Shape {
  format: string;
  items: boolean;
  layout: string;
  all: boolean;
}

function render(
  report: BuiltReport,
  shape: Shape,
  filter: { condition?: string[]; metric?: string[] },
  verdict: GateReport | undefined,
): string {
  if (shape.layout === "moore2025") return renderMoore2025Csv(report);
  if (shape.items) return renderItems(report, shape.format as ItemFormat);
  const conversations = conversationItems((report.kinds ?? []).flatMap((k) => k.collected));
  if (shape.format === "junit") return renderJunit(report, verdict, { conversations });
  if (shape.format === "html") {
    return renderHtml(report, { ...(verdict ? { gates: verdict } : {}), conversations });
  }
  const data = filterReport(report.data, {
    ...(filter.condition ? { conditions: filter.condition } : {}),
    ...(filter.metric ? { metrics: filter.metric } : {}),
  });
  switch (shape.format) {
    case "json":
      return renderJson(data);
    case "csv":
      return renderCsv(data);
    case "md":
      return renderMarkdown(data);
    default:
      return renderTable(data, { all: shape.all || filter.condition !== undefined });
  }
}

/** `--require-judge-agreement KAPPA`: a kappa between -1 and 1. */
function requiredAgreement(value: string | undefined): { requireJudgeAgreement?: number } {
  if (value === undefined) return {};
  const kappa = numberOption(value, "require-judge-agreement", -1, 1) as number;
  return { requireJudgeAgreement: kappa };
}

/**
 * A gate must not pass on a rate whose judge lacks the agreement with people that
 * --require-judge-agreement asks for: exit 2, naming the judge and the condition.
 */
function refuseUnvalidatedGates(verdict: GateReport | undefined, io: CliIO): number | undefined {
  const unvalidated = verdict ? rowsLackingAgreement(verdict.results.map((r) => r.row)) : [];
  if (unvalidated.length === 0) return undefined;
  const lines = unvalidated.flatMap((row) =>
    (row.warnings ?? [])
      .filter((w) => w.startsWith("judge "))
      .map(
        (w) => `  ${row.suite} · ${row.target} · ${row.arm} · ${row.metric}:${row.condition}: ${w}`,
      ),
  );
  io.stderr.write(
    sanitizeForTerminal(
      `error: the gates cannot pass: ${unvalidated.length} gated rate(s) rest on a judge below --require-judge-agreement\n${[...new Set(lines)].join("\n")}\n`,
    ),
  );
  return EXIT.badInput;
}
