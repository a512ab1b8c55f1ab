import { describe, expect, it } from "vitest";
import { CareprobeError } from "../core/errors.js";
import { abstentionBounds } from "./bounds.js";
import { wilsonInterval } from "./intervals.js";

describe("abstentionBounds", () => {
  it("matches values computed by hand", () => {
    // 20 stigmatizing of 50 read, 30 "Do not know": 20/50, 20/80, 50/80.
    const bounds = abstentionBounds(20, 50, 30);
    expect(bounds?.excluded).toBeCloseTo(0.4, 12);
    expect(bounds?.lower).toBeCloseTo(0.25, 12);
    expect(bounds?.upper).toBeCloseTo(0.625, 12);
    expect(bounds?.ci95).toEqual([wilsonInterval(20, 80)[0], wilsonInterval(50, 80)[1]]);
  });

  it("collapses to the rate without abstentions", () => {
    expect(abstentionBounds(3, 4, 0)).toMatchObject({ excluded: 0.75, lower: 0.75, upper: 0.75 });
  });

  it("spans [0, 1] when every answer abstains, and is null with nothing read", () => {
    expect(abstentionBounds(0, 0, 5)).toMatchObject({ excluded: null, lower: 0, upper: 1 });
    expect(abstentionBounds(0, 0, 0)).toBeNull();
  });

  it("rejects impossible counts", () => {
    expect(() => abstentionBounds(5, 4, 0)).toThrow(CareprobeError);
    expect(() => abstentionBounds(1, 4, -1)).toThrow(CareprobeError);
    expect(() => abstentionBounds(1.5, 4, 0)).toThrow(CareprobeError);
  });
});
