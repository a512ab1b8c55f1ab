/**
 * `careprobe runs`: every stored run with its id, what it measured, how much of it is done
 * and when, and whether reports show it or a newer run replaced it.
 */
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { CareprobeError } from "../core/errors.js";
import { sanitizeForTerminal, textTable } from "../report/format.js";
import { selectRuns } from "../report/select-runs.js";
import { Store } from "../store/store.js";
import { withArgErrors } from "./args.js";
import { databasePath } from "./context.js";
import type { CliIO } from "./io.js";

export const RUNS_USAGE = `Usage: careprobe runs [options]
  Lists the stored runs: id, suite, target (and what identifies it: the server URL, the
  model file's sha256, an http: config's hash), arm, items answered of planned, when it
  was started and last updated, and whether \`careprobe report\` shows it ("replaced by"
  a newer run of the same suite, target and settings otherwise). \`report --run ID\`
  reports any run by its id or a unique prefix.

Options:
  --suite NAME   only runs of these suites (repeatable)
  --target SPEC  only runs of these targets (repeatable)
  --format F     table (default) or json
  --db FILE      database (default: $CAREPROBE_HOME/careprobe.db)`;

const OPTIONS = {
  suite: { type: "string", multiple: true },
  target: { type: "string", multiple: true },
  format: { type: "string" },
  db: { type: "string" },
} as const;

export interface RunListRow {
  id: string;
  suite: string;
  kind: string;
  target: string;
  target_identity: string;
  arm: string;
  samples: number;
  items: number;
  answered: number;
  created_at: string;
  updated_at: string;
  /** The run reports show instead of this one, or null when reports show this one. */
  replaced_by: string | null;
}

/** The stored runs, oldest first, with what `careprobe report` does with each. */
export function listRuns(store: Store, filter: { suites?: string[]; targets?: string[] }) {
  const { superseded } = selectRuns(store, filter);
  const replaced = new Map(superseded.map((s) => [s.id, s.by]));
  return store
    .listRuns()
    .filter((run) => !filter.suites || filter.suites.includes(run.suiteId))
    .filter((run) => !filter.targets || filter.targets.includes(run.target))
    .map((run): RunListRow => {
      const rows = store.runRows(run.id);
      return {
        id: run.id,
        suite: run.suiteId,
        kind: run.kind,
        target: run.target,
        target_identity: run.targetIdentity,
        arm: run.arm,
        samples: run.samples,
        items: rows.length,
        answered: rows.filter((r) => r.status === "ok").length,
        created_at: run.createdAt,
        updated_at: run.updatedAt,
        replaced_by: replaced.get(run.id) ?? null,
      };
    });
}

function renderRunList(rows: RunListRow[]): string {
  if (rows.length === 0) return "No stored runs. Run `careprobe run` first.\n";
  const header = ["id", "suite", "target", "identity", "arm", "answered", "updated", "report"];
  const body = rows.map((r) => [
    r.id,
    r.suite,
    r.target,
    r.target_identity.length > 40 ? `${r.target_identity.slice(0, 39)}…` : r.target_identity,
    r.arm,
    `${r.answered}/${r.items}`,
    r.updated_at.slice(0, 19).replace("T", " "),
    r.replaced_by ? `replaced by ${r.replaced_by.slice(0, 8)}` : "shown",
  ]);
  const numeric = header.map((h) => h === "answered");
  return `${sanitizeForTerminal(textTable(header, body, numeric))}\n`;
}

export async function runsCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = withArgErrors(
    () => parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true }),
    RUNS_USAGE,
  );
  if (positionals.length > 0) {
    throw new CareprobeError("BAD_ARGUMENT", `Unexpected argument \`${positionals[0]}\`.`, {
      hint: RUNS_USAGE,
    });
  }
  const format = values.format ?? "table";
  if (format !== "table" && format !== "json") {
    throw new CareprobeError(
      "BAD_ARGUMENT",
      `--format ${format} is not available; use table or json.`,
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
    const rows = listRuns(store, {
      ...(values.suite ? { suites: values.suite } : {}),
      ...(values.target ? { targets: values.target } : {}),
    });
    io.stdout.write(format === "json" ? `${JSON.stringify(rows, null, 2)}\n` : renderRunList(rows));
    return 0;
  } finally {
    store.close();
  }
}
