import { writeFileSync } from "node:fs";
import { CareprobeError } from "../core/errors.js";

/** What a command may touch: its streams and environment (tests pass their own). */
export interface CliIO {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

/** Writes a command's output to FILE (`-o`), or to standard output. */
export function writeOutput(text: string, file: string | undefined, io: CliIO): void {
  if (file === undefined) io.stdout.write(text);
  else {
    try {
      writeFileSync(file, text);
    } catch (error) {
      throw new CareprobeError(
        "BAD_ARGUMENT",
        `Cannot write ${file}: ${(error as Error).message}`,
        {
          hint: "Check that the folder exists and can be written.",
        },
      );
    }
  }
}
