/** `careprobe fetch moore2025 [--from DIR|URL]`: the paper's published files, verified. */
import { parseArgs } from "node:util";
import { CareprobeError } from "../core/errors.js";
import { fetchMoore2025 } from "../importers/moore2025/fetch.js";
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
  if (positionals[0] !== "moore2025" || positionals.length > 1) {
    throw new CareprobeError(
      "BAD_ARGUMENT",
      "Name the dataset to fetch: `careprobe fetch moore2025`.",
      {
        hint: FETCH_USAGE,
      },
    );
  }
  const progress = createProgress(io.stderr, values.quiet ?? false);
  const result = await fetchMoore2025({
    home: careprobeHome(io.env),
    ...(values.from ? { from: values.from } : {}),
    onEvent: progress.onEvent,
  });
  progress.finish();
  io.stdout.write(
    `moore2025: ${result.files} files verified (${result.copied} new, ${result.alreadyPresent} already present) in ${result.dir}\n`,
  );
  return 0;
}
