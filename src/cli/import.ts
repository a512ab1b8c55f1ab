/** `careprobe import moore2025 [--db FILE]`: the paper's published answers as stored runs. */
import { parseArgs } from "node:util";
import { CareprobeError } from "../core/errors.js";
import { requireMoore2025 } from "../importers/moore2025/fetch.js";
import { importMoore2025Labels } from "../importers/moore2025/import-labels.js";
import { importMoore2025Responses } from "../importers/moore2025/import-responses.js";
import {
  importMoore2025Stigma,
  moore2025StigmaRunFiles,
  moore2025TargetLabel,
} from "../importers/moore2025/import-stigma.js";
import { Store } from "../store/store.js";
import { withArgErrors } from "./args.js";
import { careprobeHome, databasePath, toolVersion } from "./context.js";
import type { CliIO } from "./io.js";

export const IMPORT_USAGE = `Usage: careprobe import moore2025 [--db FILE]
  Stores the published results of Moore et al. (FAccT 2025) as runs careprobe reports on
  like its own: the stigma answers (suite moore2025-stigma, one run per model and arm),
  the appropriate-response answers with the paper's gpt-4o verdicts as judgements, the
  live chatbots and the human therapists with their human verdicts (suite
  moore2025-responses), and the two annotators' labels of the gpt-4o responses. Targets
  are labels such as moore2025:gpt-4o-2024-08-06; arms none, steel-man, none+contextualized.
  Run \`careprobe fetch moore2025\` first. Importing again changes nothing.

Options:
  --db FILE   the database (default $CAREPROBE_HOME/careprobe.db)`;

const OPTIONS = { db: { type: "string" } } as const;

export async function importCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = withArgErrors(
    () => parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true }),
    IMPORT_USAGE,
  );
  if (positionals[0] !== "moore2025" || positionals.length > 1) {
    throw new CareprobeError(
      "BAD_ARGUMENT",
      "Name the dataset to import: `careprobe import moore2025`.",
      { hint: IMPORT_USAGE },
    );
  }
  const dir = requireMoore2025(careprobeHome(io.env));
  const store = Store.open(databasePath(io.env, values.db));
  try {
    const result = importMoore2025Stigma(store, dir, toolVersion());
    for (const file of moore2025StigmaRunFiles()) {
      io.stdout.write(`  ${moore2025TargetLabel(file.model)}  arm ${file.arm}  (${file.path})\n`);
    }
    io.stdout.write(
      `moore2025: imported ${result.runs} stigma runs (${result.answers} answers) into suite moore2025-stigma\n`,
    );
    const responses = importMoore2025Responses(store, dir, toolVersion());
    io.stdout.write(
      `moore2025: imported ${responses.runs} response runs (${responses.answers} answers, ${responses.judgements} verdicts) into suite moore2025-responses\n`,
    );
    const labels = importMoore2025Labels(store, dir);
    io.stdout.write(
      `moore2025: imported ${labels.labels} annotator labels of ${labels.responses} responses\n`,
    );
  } finally {
    store.close();
  }
  return 0;
}
