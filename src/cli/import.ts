/** `careprobe import moore2025 [--db FILE]`: the paper's published answers as stored runs. */
import { parseArgs } from "node:util";
import { datasetNamed } from "../catalog/datasets.js";
import { CareprobeError } from "../core/errors.js";
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
  if (positionals.length > 1) {
    throw new CareprobeError("BAD_ARGUMENT", `Unexpected argument \`${positionals[1]}\`.`, {
      hint: IMPORT_USAGE,
    });
  }
  const dataset = datasetNamed(positionals[0], "import");
  const home = careprobeHome(io.env);
  const store = Store.open(databasePath(io.env, values.db));
  try {
    for (const line of dataset.importInto(store, home, toolVersion())) io.stdout.write(`${line}\n`);
  } finally {
    store.close();
  }
  return 0;
}
