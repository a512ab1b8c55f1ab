import { describe, expect, it } from "vitest";
import {
  BUG_REPORT,
  CareprobeError,
  type ErrorCode,
  EXIT,
  exitCodeFor,
  internalError,
} from "./errors.js";

/** Every code, with the exit it must get (docs/design/errors.md). */
const EXPECTED: Record<ErrorCode, number> = {
  BAD_ARGUMENT: 2,
  SUITE_INVALID: 2,
  SUITE_NOT_FOUND: 2,
  CONFIG_INVALID: 2,
  DATA_INVALID: 2,
  TARGET_UNKNOWN: 2,
  TARGET_CONFIG: 2,
  HTTP_STATUS: 2,
  NETWORK: 2,
  TIMEOUT: 2,
  RESPONSE_MALFORMED: 2,
  RESPONSE_TOO_LARGE: 2,
  MODEL_UNAVAILABLE: 2,
  DOWNLOAD_FAILED: 2,
  CHECKSUM_MISMATCH: 2,
  DATASET_MISSING: 2,
  STORE: 2,
  ABORTED: 130,
  INTERNAL: 70,
};

describe("exitCodeFor", () => {
  it("gives every code its documented exit: input 2, a bug 70, an interrupt 130", () => {
    for (const [code, exit] of Object.entries(EXPECTED)) {
      expect([code, exitCodeFor(new CareprobeError(code as ErrorCode, "x"))]).toEqual([code, exit]);
    }
  });

  it("treats anything that is not a CareprobeError as a bug", () => {
    expect(exitCodeFor(new TypeError("x is undefined"))).toBe(EXIT.internal);
    expect(exitCodeFor("a string")).toBe(70);
    expect(exitCodeFor(undefined)).toBe(70);
  });

  it("calls exactly the exit-2 codes user errors", () => {
    for (const [code, exit] of Object.entries(EXPECTED)) {
      expect(new CareprobeError(code as ErrorCode, "x").isUserError).toBe(exit === 2);
    }
  });

  it("makes INTERNAL errors that exit 70, and a report request that says what to include", () => {
    const error = internalError("a count k must be in [0, n]");
    expect(error.code).toBe("INTERNAL");
    expect(exitCodeFor(error)).toBe(70);
    expect(BUG_REPORT).toContain("bug in careprobe");
    expect(BUG_REPORT).toContain("careprobe --version");
    expect(BUG_REPORT).toContain("CAREPROBE_DEBUG=1");
  });

  it("keeps the documented numbers", () => {
    expect(EXIT).toEqual({
      ok: 0,
      gateFailed: 1,
      badInput: 2,
      incomplete: 3,
      internal: 70,
      interrupted: 130,
    });
  });
});
