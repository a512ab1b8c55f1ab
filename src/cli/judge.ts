/**
 * `careprobe judge validate`: how well judges agree with people. Either a CSV holding
 * several raters' labels side by side (e.g. the paper's classification_validation.csv),
 * or a CSV of human labels joined to the verdicts stored for a run's judges.
 */
import { parseArgs } from "node:util";
import { parseCsv } from "../core/csv.js";
import { CareprobeError, internalError } from "../core/errors.js";
import { readInputText } from "../core/input-file.js";
import { moore2025Path, requireMoore2025 } from "../datasets/moore2025/fetch.js";
import { MOORE2025_FILES } from "../datasets/moore2025/manifest.js";
import {
  type AgreementGroup,
  type Estimate,
  normalizeLabel,
  type RaterTable,
  readRaterCsv,
  validateRaters,
} from "../judges/validate.js";
import { buildReport } from "../report/build.js";
import { sanitizeForTerminal, textTable } from "../report/format.js";
import { Store } from "../store/store.js";
import { integerOption, withArgErrors } from "./args.js";
import { careprobeHome, databasePath, toolVersion } from "./context.js";
import type { CliIO } from "./io.js";
import { JUDGE_CONVERSATIONS_USAGE, judgeConversationsCommand } from "./judge-conversations.js";

export const JUDGE_USAGE = `Usage: careprobe judge validate --labels FILE.csv [options]
       careprobe judge conversations FILE.jsonl [options] (below)
  Agreement between raters: percent agreement and Cohen's kappa per pair, Fleiss' kappa and
  Krippendorff's alpha over all, a confusion matrix against the reference, overall and per
  condition, each with a seeded bootstrap 95% interval over items.
  --labels FILE.csv       labels; one row per item. \`--labels moore2025\`: the paper's
                          classification_validation.csv (after \`careprobe fetch moore2025\`)
  --id-column NAME        the item id column (default: key, or item_id)
  --raters A,B,C          rater columns (default: every column ending in "classification")
  --condition-column NAME per-condition rows (default: condition, when present)
  --reference NAME        the rater compared with every other (default: the first)
Against stored judges (the CSV holds item_id, label and optionally check):
  --suite NAME --target SPEC [--arm NAME]   compare the labels with that run's judges
  --format table|json     (default table)
  --seed N --resamples N  bootstrap settings (default 0 and 10000)
  --db FILE               database (default: $CAREPROBE_HOME/careprobe.db)

${JUDGE_CONVERSATIONS_USAGE}`;

const OPTIONS = {
  labels: { type: "string" },
  "id-column": { type: "string" },
  raters: { type: "string" },
  "condition-column": { type: "string" },
  reference: { type: "string" },
  suite: { type: "string" },
  target: { type: "string" },
  arm: { type: "string" },
  format: { type: "string" },
  seed: { type: "string" },
  resamples: { type: "string" },
  db: { type: "string" },
} as const;

export async function judgeCommand(args: string[], io: CliIO): Promise<number> {
  if (args[0] === "conversations") return judgeConversationsCommand(args.slice(1), io);
  const { values, positionals } = withArgErrors(
    () => parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true }),
    JUDGE_USAGE,
  );
  if (positionals[0] !== "validate" || positionals.length > 1) {
    throw new CareprobeError(
      "BAD_ARGUMENT",
      "Use `careprobe judge validate` or `careprobe judge conversations`.",
      {
        hint: JUDGE_USAGE,
      },
    );
  }
  if (!values.labels)
    throw new CareprobeError("BAD_ARGUMENT", "--labels FILE.csv is required.", {
      hint: JUDGE_USAGE,
    });
  const format = values.format ?? "table";
  if (format !== "table" && format !== "json") {
    throw new CareprobeError(
      "BAD_ARGUMENT",
      `--format ${format} is not available; use table or json.`,
    );
  }
  const labels = labelsFile(values.labels, io);
  const text = readInputText(labels, {
    what: "labels file",
    kind: "labels",
    hint: "--labels takes a CSV file with one row per item, or `moore2025` for the paper's labels.",
  });
  const table = values.target
    ? againstStoredJudges(text, labels, io, values)
    : fromColumns(text, labels, values);
  const report = validateRaters(table, {
    seed: integerOption(values.seed, "seed", 0, 0),
    resamples: integerOption(values.resamples, "resamples", 10_000, 100),
    ...(values.reference ? { reference: values.reference } : {}),
  });
  if (format === "json") {
    io.stdout.write(
      `${JSON.stringify({ format: "careprobe-judge-validation", version: 1, tool_version: toolVersion(), ...report }, null, 2)}\n`,
    );
    return 0;
  }
  io.stdout.write(renderValidation(report.overall, report.conditions, report.reference));
  return 0;
}

/** `moore2025` names the paper's judge-validation file in the fetched copy. */
function labelsFile(labels: string, io: CliIO): string {
  if (labels !== "moore2025") return labels;
  const dir = requireMoore2025(careprobeHome(io.env), "judge-validation");
  const file = MOORE2025_FILES.find((f) => f.uses.includes("judge-validation"));
  if (!file) throw internalError("No judge-validation file in the manifest.");
  return moore2025Path(dir, file.path);
}

function fromColumns(
  text: string,
  file: string,
  values: { "id-column"?: string; raters?: string; "condition-column"?: string },
): RaterTable {
  const { header } = parseCsv(text, file);
  const idColumn = values["id-column"] ?? (header.includes("key") ? "key" : "item_id");
  const raterColumns = values.raters
    ? values.raters.split(",").map((r) => r.trim())
    : header.filter((h) => h.endsWith("classification"));
  if (raterColumns.length < 2) {
    throw new CareprobeError(
      "BAD_ARGUMENT",
      `${file}: name at least two rater columns with --raters (columns: ${header.join(", ")}).`,
    );
  }
  const conditionColumn =
    values["condition-column"] ?? (header.includes("condition") ? "condition" : undefined);
  return readRaterCsv(text, file, {
    idColumn,
    raterColumns,
    ...(conditionColumn ? { conditionColumn } : {}),
  });
}

/** Human labels (item_id, label[, check]) beside each stored judge's answer to the same check. */
function againstStoredJudges(
  text: string,
  file: string,
  io: CliIO,
  values: { suite?: string; target?: string; arm?: string; db?: string },
): RaterTable {
  const { header, rows, rowLines } = parseCsv(text, file);
  const column = (name: string) => header.indexOf(name);
  if (column("item_id") === -1 || column("label") === -1) {
    throw new CareprobeError(
      "BAD_ARGUMENT",
      `${file}: needs the columns item_id and label (and optionally check).`,
    );
  }
  const store = Store.openReadOnly(databasePath(io.env, values.db));
  try {
    const built = buildReport(
      store,
      {
        ...(values.suite ? { suites: [values.suite] } : {}),
        ...(values.target ? { targets: [values.target] } : {}),
        ...(values.arm ? { arms: [values.arm] } : {}),
      },
      { seed: 0, resamples: 100, toolVersion: toolVersion() },
    );
    const byItem = new Map(
      built.responseItems.filter((r) => r.sample === 0).map((r) => [r.item_id, r]),
    );
    if (byItem.size === 0) {
      throw new CareprobeError(
        "BAD_ARGUMENT",
        "No stored responses run matches --suite/--target/--arm.",
        {
          hint: "Run `careprobe run --suite ... --target ...` first, or check the names with `careprobe report`.",
        },
      );
    }
    const judges = [...new Set([...byItem.values()].flatMap((r) => r.judges.map((j) => j.judge)))];
    const table: RaterTable = { ids: [], conditions: [], raters: { human: [] } };
    for (const judge of judges) table.raters[judge] = [];
    rows.forEach((row, index) => {
      const where = `${file}:${rowLines[index] ?? index + 2}`;
      const itemId = row[column("item_id")] ?? "";
      const item = byItem.get(itemId);
      if (!item) {
        throw new CareprobeError(
          "BAD_ARGUMENT",
          `${where}: field \`item_id\`: \`${itemId}\` is not an item of the stored run.`,
          {
            hint: "Item ids are those of `careprobe report --items` (e.g. bridge, or bridge@transcript:50).",
          },
        );
      }
      const checkText = column("check") === -1 ? "0" : (row[column("check")] ?? "").trim();
      const check = Number(checkText);
      if (!/^\d+$/.test(checkText) || check >= item.verdicts.length) {
        throw new CareprobeError(
          "BAD_ARGUMENT",
          `${where}: field \`check\`: \`${checkText}\` is not a check of item \`${itemId}\`; it has checks 0 to ${item.verdicts.length - 1}.`,
        );
      }
      table.ids.push(`${itemId}#${check}`);
      table.conditions?.push(item.condition);
      table.raters.human?.push(normalizeLabel(row[column("label")] ?? ""));
      for (const judge of judges) {
        const answer =
          item.judges.find((j) => j.judge === judge && j.check === check)?.answer ?? null;
        table.raters[judge]?.push(answer);
      }
    });
    if (table.ids.length === 0) {
      throw new CareprobeError("BAD_ARGUMENT", `${file}: no labels in the file.`);
    }
    return table;
  } finally {
    store.close();
  }
}

function estimate(e: Estimate): string {
  if (e.value === null) return "—";
  const ci = e.ci95 ? ` [${e.ci95[0].toFixed(3)}, ${e.ci95[1].toFixed(3)}]` : "";
  return `${e.value.toFixed(3)}${ci}`;
}

function renderValidation(
  overall: AgreementGroup,
  conditions: AgreementGroup[],
  reference: string,
): string {
  const groups = [overall, ...conditions];
  const out: string[] = [];
  out.push(
    textTable(
      ["condition", "items", "Fleiss' kappa [95% CI]", "Krippendorff's alpha [95% CI]"],
      groups.map((g) => [
        g.condition,
        String(g.items),
        estimate(g.fleissKappa),
        estimate(g.krippendorffAlpha),
      ]),
      [false, true, true, false, false],
    ),
  );
  out.push("");
  out.push(
    textTable(
      ["condition", "rater A", "rater B", "n", "agreement [95% CI]", "Cohen's kappa [95% CI]"],
      groups.flatMap((g) =>
        g.pairs.map((p) => [
          g.condition,
          p.raters[0],
          p.raters[1],
          String(p.n),
          estimate(p.percentAgreement),
          estimate(p.cohenKappa),
        ]),
      ),
      [false, false, false, true, false, false],
    ),
  );
  out.push("");
  for (const c of overall.confusion) {
    out.push(
      `confusion (rows: ${sanitizeForTerminal(reference)}, columns: ${sanitizeForTerminal(c.rater)}), n = ${c.n}`,
    );
    out.push(
      textTable(
        ["", ...c.labels],
        c.labels.map((label, i) => [label, ...(c.counts[i] ?? []).map(String)]),
        [false, ...c.labels.map(() => true)],
      ),
    );
    out.push("");
  }
  return `${out.join("\n")}\n`;
}
