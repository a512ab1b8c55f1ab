import { describe, expect, it } from "vitest";
import { CareprobeError } from "../core/errors.js";
import { kaplanMeier, kaplanMeierMedian, medianTimeToEvent } from "./survival.js";

const event = (time: number) => ({ time, event: true });
const censored = (time: number) => ({ time, event: false });

describe("kaplanMeier", () => {
  it("multiplies (1 - d/n) at each time, with the censored at t still at risk at t", () => {
    // By hand: t=2: 6 at risk, 1 event, S = 5/6. t=3: 5 at risk, 2 events (1 censored),
    // S = 5/6 x 3/5 = 1/2. t=5: 2 at risk, 2 censored, S stays 1/2.
    const curve = kaplanMeier([
      event(3),
      censored(5),
      event(2),
      censored(3),
      event(3),
      censored(5),
    ]);
    expect(curve.map(({ survival, ...rest }) => rest)).toEqual([
      { time: 2, at_risk: 6, events: 1, censored: 0 },
      { time: 3, at_risk: 5, events: 2, censored: 1 },
      { time: 5, at_risk: 2, events: 0, censored: 2 },
    ]);
    expect(curve[0]?.survival).toBeCloseTo(5 / 6, 12);
    expect(curve[1]?.survival).toBeCloseTo(0.5, 12);
    expect(curve[2]?.survival).toBeCloseTo(0.5, 12);
    expect(kaplanMeierMedian(curve)).toBe(3);
  });

  it("keeps survival flat across censorings and drops it to 0 at the last event", () => {
    // t=1: 4 at risk, S = 3/4; t=2, t=3: one censored each, S = 3/4; t=4: 1 at risk, 1 event, S = 0.
    const curve = kaplanMeier([event(1), censored(2), censored(3), event(4)]);
    expect(curve.map((p) => [p.time, p.at_risk, p.survival])).toEqual([
      [1, 4, 0.75],
      [2, 3, 0.75],
      [3, 2, 0.75],
      [4, 1, 0],
    ]);
    expect(kaplanMeierMedian(curve)).toBe(4);
  });

  it("reports no median when fewer than half fail (not reached)", () => {
    expect(medianTimeToEvent([event(2), censored(10), censored(10)])).toBeNull();
    expect(medianTimeToEvent([censored(4), censored(4)])).toBeNull();
    expect(kaplanMeier([])).toEqual([]);
  });

  it("gives the first turn when everyone fails there", () => {
    expect(medianTimeToEvent([event(1), event(1), event(1)])).toBe(1);
    // 2 of 4 fail at turn 2: S(2) = 1/2 exactly, so the median is 2.
    expect(medianTimeToEvent([event(2), event(2), censored(5), censored(5)])).toBe(2);
  });

  it("rejects times that are not whole turns", () => {
    expect(() => kaplanMeier([event(-1)])).toThrow(CareprobeError);
    expect(() => kaplanMeier([event(1.5)])).toThrow(/whole number/);
  });
});
