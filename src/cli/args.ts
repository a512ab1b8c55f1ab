/** Argument parsing on node's util.parseArgs, with errors a user can act on. */
import { CareprobeError } from "../core/errors.js";

/**
 * Runs util.parseArgs (or anything that throws on bad arguments) and turns its errors into
 * BAD_ARGUMENT messages that say what the flag expects, read from the command's usage text.
 */
export function withArgErrors<R>(parseArguments: () => R, usage: string): R {
  try {
    return parseArguments();
  } catch (error) {
    throw new CareprobeError("BAD_ARGUMENT", explainArgError(error, usage), { hint: usage });
  }
}

/** `--flag VALUE   what it does` lines of a usage text, by flag name. */
function flagsOf(usage: string): Map<string, { value: string; what: string }> {
  const flags = new Map<string, { value: string; what: string }>();
  for (const match of usage.matchAll(
    /^\s+--([a-z][a-z0-9-]*)((?: [A-Z][A-Za-z0-9|.,_-]*)?)\s{2,}(.+)$/gm,
  )) {
    const [, name = "", value = "", what = ""] = match;
    if (!flags.has(name)) flags.set(name, { value: value.trim(), what: what.trim() });
  }
  return flags;
}

function command(usage: string): string {
  return /^Usage: (careprobe(?: [a-z]+)?)/.exec(usage)?.[1] ?? "careprobe";
}

function expects(name: string, usage: string): string {
  const flag = flagsOf(usage).get(name);
  if (!flag) return "";
  return flag.value ? ` expects ${flag.value} (${flag.what})` : ` (${flag.what})`;
}

/** A user's wording for node's parseArgs errors; other errors keep their first line. */
export function explainArgError(error: unknown, usage: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  const option =
    /Option '(-{1,2}[^' <]+)/.exec(message)?.[1] ?? /option '(-{1,2}[^']+)'/.exec(message)?.[1];
  const name = option?.replace(/^-+/, "") ?? "";
  const help = `See \`${command(usage)} --help\`.`;
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && option) {
    const close = closestFlag(name, [...flagsOf(usage).keys()]);
    const guess = close ? ` Did you mean \`--${close}\`?` : "";
    return `Unknown option \`${option}\` for \`${command(usage)}\`.${guess} ${help}`;
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && option) {
    if (message.includes("does not take an argument")) {
      return `\`${option}\` is a switch and takes no value: write \`${option}\` alone.`;
    }
    const got = message.includes("ambiguous")
      ? `the next word starts with \`-\`. Give the value after it, or write \`${option}=VALUE\` for a value that starts with \`-\`.`
      : "no value was given.";
    return `\`${option}\`${expects(name, usage)}, but ${got}`;
  }
  if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") {
    return `Unexpected argument in ${message.replace(/^.*?'/, "'")} ${help}`;
  }
  return message.split("\n")[0] ?? "bad arguments";
}

/** The known flag nearest to a misspelt one (at most 2 edits, or a unique prefix). */
function closestFlag(name: string, flags: string[]): string | undefined {
  const prefixed = flags.filter((flag) => flag.startsWith(name));
  if (name.length >= 2 && prefixed.length === 1) return prefixed[0];
  let best: string | undefined;
  let bestDistance = 3;
  for (const flag of flags) {
    const distance = editDistance(name, flag);
    if (distance < bestDistance) {
      best = flag;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(
        Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
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

/** A whole-number flag without a default: undefined when not given. */
export function optionalInteger(value: string | undefined, name: string, min: number) {
  return value === undefined ? undefined : integerOption(value, name, min, min);
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
