import { parseArgs } from "node:util";
import { describe, expect, it } from "vitest";
import { CareprobeError } from "../core/errors.js";
import { withArgErrors } from "./args.js";

const USAGE = `Usage: careprobe run [options]
  --suite NAME|FILE     suite to run (repeatable; default: stigma)
  --limit N             run only N items of each suite
  --quiet               no progress output`;

const OPTIONS = {
  suite: { type: "string", multiple: true },
  limit: { type: "string" },
  quiet: { type: "boolean" },
} as const;

function messageFor(args: string[]): string {
  try {
    withArgErrors(() => parseArgs({ args, options: OPTIONS, strict: true }), USAGE);
  } catch (error) {
    if (error instanceof CareprobeError) return error.message;
    throw error;
  }
  throw new Error("expected an error");
}

describe("argument errors", () => {
  it("says what a flag without its value expects", () => {
    const message = messageFor(["--suite", "--quiet"]);
    expect(message).toContain("`--suite` expects NAME|FILE (suite to run");
    expect(message).not.toContain("ambiguous");
    expect(messageFor(["--limit"])).toBe(
      "`--limit` expects N (run only N items of each suite), but no value was given.",
    );
  });

  it("suggests the flag a misspelt one was meant to be", () => {
    const message = messageFor(["--limt", "3"]);
    expect(message).toContain("Unknown option `--limit`".replace("--limit", "--limt"));
    expect(message).toContain("Did you mean `--limit`?");
    expect(message).toContain("`careprobe run --help`");
    expect(message).not.toContain("after '--'");
  });

  it("says a switch takes no value", () => {
    expect(messageFor(["--quiet=yes"])).toBe(
      "`--quiet` is a switch and takes no value: write `--quiet` alone.",
    );
  });
});
