/** `careprobe suites` lists suites; `careprobe suites validate FILE` checks a suite file. */

import { loadSuiteFile } from "../catalog/load-suite.js";
import { listSuites } from "../catalog/suites.js";
import { CareprobeError } from "../core/errors.js";
import { sanitizeForTerminal } from "../report/format.js";
import type { CliIO } from "./io.js";

export const SUITES_USAGE = `Usage: careprobe suites [validate FILE]
  Lists the suites careprobe knows, or checks a suite file and counts its items.`;

export async function suitesCommand(args: string[], io: CliIO): Promise<number> {
  if (args.length === 0) {
    for (const suite of listSuites())
      io.stdout.write(`${suite.name.padEnd(18)} ${suite.description}\n`);
    return 0;
  }
  if (args[0] === "validate" && args.length === 2 && args[1]) {
    const suite = loadSuiteFile(args[1]);
    const conditions = suite.conditions
      .map((c) => (c.control ? `${c.id} (control)` : c.id))
      .join(", ");
    io.stdout.write(
      sanitizeForTerminal(
        `${args[1]}: valid. Suite ${suite.id} v${suite.version}: ${suite.items.length} items; conditions: ${conditions}\n`,
      ),
    );
    return 0;
  }
  throw new CareprobeError("BAD_ARGUMENT", "Unknown arguments for `careprobe suites`.", {
    hint: SUITES_USAGE,
  });
}
