/** `careprobe standard`: the 17 features of good care and the guidelines that name each. */
import { parseArgs } from "node:util";
import { CareprobeError } from "../core/errors.js";
import { moore2025Path, requireMoore2025 } from "../datasets/moore2025/fetch.js";
import {
  renderStandardCsv,
  renderStandardJson,
  renderStandardMarkdown,
  renderStandardTable,
} from "../report/standard-list.js";
import { ANNOTATIONS_PATH, readMappingReview } from "../standard/review.js";
import { withArgErrors } from "./args.js";
import { careprobeHome } from "./context.js";
import type { CliIO } from "./io.js";

export const STANDARD_USAGE = `Usage: careprobe standard [--format table|json|csv|md]
  The standard of care as the mapping review of Moore et al. (FAccT 2025) found it: 17
  features of good care, the sub-items the review lists, which of the 10 clinical
  guidelines name each, careprobe's feature ids (for \`features:\` tags in suites) and
  whether each can be tested in a text conversation. Reads data/annotations.csv from the
  fetched data: run \`careprobe fetch moore2025\` first.`;

const OPTIONS = { format: { type: "string" } } as const;

const FORMATS = {
  table: renderStandardTable,
  json: renderStandardJson,
  csv: renderStandardCsv,
  md: renderStandardMarkdown,
};

export async function standardCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = withArgErrors(
    () => parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true }),
    STANDARD_USAGE,
  );
  if (positionals.length > 0) {
    throw new CareprobeError("BAD_ARGUMENT", `Unexpected argument \`${positionals[0]}\`.`, {
      hint: STANDARD_USAGE,
    });
  }
  const format = values.format ?? "table";
  if (!Object.hasOwn(FORMATS, format)) {
    throw new CareprobeError(
      "BAD_ARGUMENT",
      `--format ${format} is not available; use ${Object.keys(FORMATS).join(", ")}.`,
    );
  }
  const dir = requireMoore2025(careprobeHome(io.env), "mapping-review");
  const review = readMappingReview(moore2025Path(dir, ANNOTATIONS_PATH));
  io.stdout.write(FORMATS[format as keyof typeof FORMATS](review));
  return 0;
}
