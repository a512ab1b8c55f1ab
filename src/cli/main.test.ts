/**
 * The careprobe command's last line of defence: a bug (INTERNAL, or any exception that is
 * not a CareprobeError) exits 70 with one documented text asking for a report; input
 * errors exit 2 with their message and hint. `suites` is replaced by a command that throws.
 */
import { beforeEach, describe, expect, it, vi } from "vitest";
import { BUG_REPORT, CareprobeError, internalError } from "../core/errors.js";
import type { CliIO } from "./io.js";
import { main } from "./main.js";

const thrown = vi.hoisted(() => ({ error: undefined as unknown }));
vi.mock("./suites.js", () => ({
  SUITES_USAGE: "Usage: careprobe suites",
  suitesCommand: async () => {
    throw thrown.error;
  },
}));

function io(env: NodeJS.ProcessEnv = {}): CliIO & { err: () => string } {
  let err = "";
  const stream = (write: (text: string) => void) =>
    ({
      write(chunk: string) {
        write(chunk);
        return true;
      },
    }) as unknown as NodeJS.WriteStream;
  return {
    stdout: stream(() => {}),
    stderr: stream((text) => {
      err += text;
    }),
    env,
    err: () => err,
  };
}

describe("careprobe's exit on errors", () => {
  beforeEach(() => {
    thrown.error = undefined;
  });

  it("exits 70 for INTERNAL with the message and the bug-report line, no stack", async () => {
    thrown.error = internalError("a count k must be an integer in [0, n = 3], got 4.");
    const out = io();
    expect(await main(["suites"], out)).toBe(70);
    expect(out.err()).toBe(
      `careprobe: internal error: a count k must be an integer in [0, n = 3], got 4.\n${BUG_REPORT}\n`,
    );
  });

  it("says the same for an unexpected exception, and adds the stack with CAREPROBE_DEBUG=1", async () => {
    thrown.error = new TypeError("x is undefined");
    const plain = io();
    expect(await main(["suites"], plain)).toBe(70);
    expect(plain.err()).toBe(`careprobe: internal error: x is undefined\n${BUG_REPORT}\n`);
    const debug = io({ CAREPROBE_DEBUG: "1" });
    expect(await main(["suites"], debug)).toBe(70);
    expect(debug.err()).toContain(BUG_REPORT);
    expect(debug.err()).toMatch(/TypeError: x is undefined\n\s+at /);
  });

  it("exits 2 for input errors with message and hint, and 130 for an interrupt", async () => {
    thrown.error = new CareprobeError("DATA_INVALID", "results/x.jsonl:3: not a JSON line", {
      hint: "Fetch the published files again.",
    });
    const bad = io();
    expect(await main(["suites"], bad)).toBe(2);
    expect(bad.err()).toBe(
      "error: results/x.jsonl:3: not a JSON line\nFetch the published files again.\n",
    );
    thrown.error = new CareprobeError("ABORTED", "interrupted");
    expect(await main(["suites"], io())).toBe(130);
  });
});
