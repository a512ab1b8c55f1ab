/** `careprobe fetch moore2025 [--from DIR|URL]`: the paper's published files, verified. */
import { parseArgs } from "node:util";
import { datasetNamed } from "../catalog/datasets.js";
import { CareprobeError } from "../core/errors.js";
import { withArgErrors } from "./args.js";
import { careprobeHome } from "./context.js";
import type { CliIO } from "./io.js";
import { createProgress } from "./progress.js";

export const FETCH_USAGE = `Usage: careprobe fetch moore2025 [--from DIR|URL]
  Downloads the published data of Moore et al. (FAccT 2025) from the authors' repository
  at a pinned commit (or copies it from a local clone with --from DIR, or from a mirror
  URL), verifies every file against pinned sha256 checksums, and caches it under
  $CAREPROBE_HOME/datasets. Provides the suite moore2025-stigma.`;

const OPTIONS = { from: { type: "string" }, quiet: { type: "boolean" } } as const;

export async function fetchCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = withArgErrors(
    () => parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true }),
    FETCH_USAGE,
  );
  if (positionals.length > 1) {
    throw new CareprobeError("BAD_ARGUMENT", `Unexpected argument \`${positionals[1]}\`.`, {
      hint: FETCH_USAGE,
    });
  }
  const dataset = datasetNamed(positionals[0], "fetch");
  const progress = createProgress(io.stderr, values.quiet ?? false);
  const summary = await dataset.fetch({
    home: careprobeHome(io.env),
    ...(values.from ? { from: values.from } : {}),
    onEvent: progress.onEvent,
  });
  progress.finish();
  io.stdout.write(`${summary}\n`);
  return 0;
}
