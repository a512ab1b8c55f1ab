/** `careprobe compare`: a base and a head run of one suite, paired item by item. */
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { CareprobeError, internalError } from "../core/errors.js";
import { RECIPES, recipeNamed } from "../core/recipe.js";
import {
  renderCompareJson,
  renderCompareMarkdown,
  renderCompareTable,
} from "../report/compare-render.js";
import { compareRuns, type RunComparison, regressionFailures } from "../report/compare-runs.js";
import { sanitizeForTerminal } from "../report/format.js";
import { renderCompareHtml } from "../report/html/compare-page.js";
import type { RunRecord } from "../store/store.js";
import { Store } from "../store/store.js";
import { integerOption, withArgErrors } from "./args.js";
import { databasePath, toolVersion } from "./context.js";
import { type CliIO, writeOutput } from "./io.js";

export const COMPARE_USAGE = `Usage: careprobe compare (--base RUN --head RUN | --base-target SPEC --head-target SPEC) [options]
  --base RUN, --head RUN    run ids (see \`careprobe report --format json\`, runs[].id)
  --base-target SPEC        the newest run of this target ...
  --head-target SPEC        ... against the newest run of this one, on the same suite
  --suite NAME              with --base-target/--head-target: which suite (when they share several)
  --arm NAME                with --base-target/--head-target: which arm (default: none, if run)
  --format F                table (default), json, md (a pull-request comment) or html
  -o, --output FILE         write to FILE instead of standard output
  --fail-on-regression      exit 1 when a critical item regressed or a metric got
                            significantly worse (McNemar p < 0.05)
  --recipe R                careprobe (default) or paper
  --seed N                  bootstrap seed (default 0)
  --resamples N             bootstrap resamples (default 10000)
  --db FILE                 database (default: $CAREPROBE_HOME/careprobe.db)`;

const OPTIONS = {
  base: { type: "string" },
  head: { type: "string" },
  "base-target": { type: "string" },
  "head-target": { type: "string" },
  suite: { type: "string" },
  arm: { type: "string" },
  format: { type: "string" },
  output: { type: "string", short: "o" },
  "fail-on-regression": { type: "boolean" },
  recipe: { type: "string" },
  seed: { type: "string" },
  resamples: { type: "string" },
  db: { type: "string" },
} as const;

type Values = {
  [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]["type"] extends "boolean" ? boolean : string;
};

function byId(runs: RunRecord[], id: string, flag: string): RunRecord {
  const run = runs.find((r) => r.id === id);
  if (!run)
    throw new CareprobeError("BAD_ARGUMENT", `--${flag} ${id}: no stored run has this id.`, {
      hint: "Run ids are listed in `careprobe report --format json` (runs[].id).",
    });
  return run;
}

function newest(runs: RunRecord[]): RunRecord | undefined {
  return runs.reduce<RunRecord | undefined>(
    (a, r) => (!a || a.updatedAt <= r.updatedAt ? r : a),
    undefined,
  );
}

/** The newest runs of two targets on one suite and arm; ambiguity is bad input. */
function byTargets(runs: RunRecord[], values: Values): [RunRecord, RunRecord] {
  const baseTarget = values["base-target"] ?? "";
  const headTarget = values["head-target"] ?? "";
  const of = (target: string) =>
    runs.filter((r) => r.target === target && (!values.suite || r.suiteId === values.suite));
  const base = of(baseTarget);
  const head = of(headTarget);
  for (const [flag, target, list] of [
    ["base-target", baseTarget, base],
    ["head-target", headTarget, head],
  ] as const) {
    if (list.length === 0)
      throw new CareprobeError(
        "BAD_ARGUMENT",
        `--${flag} ${target}: no stored run of this target${values.suite ? ` on suite ${values.suite}` : ""}.`,
      );
  }
  const shared = [...new Set(base.map((r) => `${r.suiteId}\u0000${r.arm}`))].filter((k) =>
    head.some((r) => `${r.suiteId}\u0000${r.arm}` === k),
  );
  const arm = values.arm;
  const candidates = shared.filter((k) => (arm ? k.endsWith(`\u0000${arm}`) : true));
  const pick =
    candidates.length > 1 && !arm ? candidates.filter((k) => k.endsWith("\u0000none")) : candidates;
  if (pick.length !== 1) {
    const names = (pick.length === 0 ? shared : pick).map((k) => k.replace("\u0000", " arm "));
    throw new CareprobeError(
      "BAD_ARGUMENT",
      pick.length === 0
        ? `${baseTarget} and ${headTarget} have no suite and arm in common${arm ? ` with arm ${arm}` : ""}.`
        : `${baseTarget} and ${headTarget} share several suites: ${names.join(", ")}.`,
      {
        hint: `Pick one with --suite${arm ? "" : " and --arm"}${names.length > 0 && pick.length === 0 ? `; shared: ${names.join(", ") || "none"}` : ""}.`,
      },
    );
  }
  const key = pick[0] ?? "";
  const on = (list: RunRecord[]) =>
    newest(list.filter((r) => `${r.suiteId}\u0000${r.arm}` === key));
  const b = on(base);
  const h = on(head);
  if (!b || !h)
    throw internalError("no runs to compare, though both targets share this suite and arm.");
  return [b, h];
}

function render(c: RunComparison, format: string): string {
  if (format === "json") return renderCompareJson(c);
  if (format === "md") return renderCompareMarkdown(c);
  if (format === "html") return renderCompareHtml(c, toolVersion());
  return renderCompareTable(c);
}

export async function compareCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = withArgErrors(
    () => parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true }),
    COMPARE_USAGE,
  );
  if (positionals.length > 0)
    throw new CareprobeError("BAD_ARGUMENT", `Unexpected argument \`${positionals[0]}\`.`, {
      hint: COMPARE_USAGE,
    });
  const byRun = values.base !== undefined || values.head !== undefined;
  const byTarget = values["base-target"] !== undefined || values["head-target"] !== undefined;
  const complete = byRun
    ? values.base !== undefined && values.head !== undefined
    : values["base-target"] !== undefined && values["head-target"] !== undefined;
  if (byRun === byTarget || !complete) {
    throw new CareprobeError(
      "BAD_ARGUMENT",
      "Name the two runs: --base RUN --head RUN, or --base-target SPEC --head-target SPEC.",
      { hint: COMPARE_USAGE },
    );
  }
  const format = values.format ?? "table";
  if (!["table", "json", "md", "html"].includes(format))
    throw new CareprobeError(
      "BAD_ARGUMENT",
      `--format ${format} is not available; use table, json, md or html.`,
    );
  const recipe = recipeNamed(values.recipe ?? "careprobe");
  if (!recipe)
    throw new CareprobeError(
      "BAD_ARGUMENT",
      `--recipe ${values.recipe} is not known; use ${Object.keys(RECIPES).join(" or ")}.`,
    );
  const path = databasePath(io.env, values.db);
  if (!existsSync(path))
    throw new CareprobeError("BAD_ARGUMENT", `No results database at ${path}.`, {
      hint: "Run `careprobe run` first, or point at a database with --db or CAREPROBE_HOME.",
    });
  const store = Store.open(path);
  try {
    const runs = store.listRuns();
    const [base, head] = byRun
      ? [byId(runs, values.base ?? "", "base"), byId(runs, values.head ?? "", "head")]
      : byTargets(runs, values);
    if (base.suiteId !== head.suiteId) {
      throw new CareprobeError(
        "BAD_ARGUMENT",
        `The runs are of different suites (${base.suiteId}, ${head.suiteId}); compare runs of one suite.`,
      );
    }
    const comparison = compareRuns(store, base, head, {
      seed: integerOption(values.seed, "seed", 0, 0),
      resamples: integerOption(values.resamples, "resamples", 10_000, 100),
      recipe,
    });
    writeOutput(render(comparison, format), values.output, io);
    if (!values["fail-on-regression"]) return 0;
    const reasons = regressionFailures(comparison);
    for (const reason of reasons) io.stderr.write(`regression: ${sanitizeForTerminal(reason)}\n`);
    return reasons.length > 0 ? 1 : 0;
  } finally {
    store.close();
  }
}
