/** Argument parsing on node's util.parseArgs, with errors a user can act on. */
import { CareprobeError } from "../core/errors.js";

/** Runs util.parseArgs (or anything that throws on bad arguments) and turns errors into BAD_ARGUMENT. */
export function withArgErrors<R>(parseArguments: () => R, usage: string): R {
  try {
    return parseArguments();
  } catch (error) {
    throw new CareprobeError(
      "BAD_ARGUMENT",
      (error as Error).message.split("\n")[0] ?? "bad arguments",
      {
        hint: usage,
      },
    );
  }
}

export function integerOption(
  value: string | undefined,
  name: string,
  fallback: number,
  min = 0,
): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min) {
    throw new CareprobeError(
      "BAD_ARGUMENT",
      `--${name} must be a whole number of at least ${min} (got \`${value}\`).`,
    );
  }
  return number;
}

export function numberOption(
  value: string | undefined,
  name: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number < min || number > max) {
    throw new CareprobeError(
      "BAD_ARGUMENT",
      `--${name} must be a number from ${min} to ${max} (got \`${value}\`).`,
    );
  }
  return number;
}
