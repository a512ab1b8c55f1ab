import { describe, expect, it } from "vitest";
import { type DemographicObservation, demographicContrasts } from "./demographic.js";

function obs(
  gender: string,
  race: string,
  question: string,
  stigma: boolean,
  condition = "depression",
): DemographicObservation {
  return {
    suite: "s",
    target: "t",
    arm: "none",
    condition,
    control: false,
    questionId: question,
    cluster: `${condition}/${gender}/${race}`,
    outcome: stigma ? "stigma" : "no-stigma",
    attributes: { gender, race },
  };
}

describe("demographicContrasts", () => {
  // Stigmatizing answers: woman/white on both questions, man/white on one; the black
  // vignettes on none, except woman/black on q1.
  const data: DemographicObservation[] = [
    obs("man", "white", "q1", true),
    obs("man", "white", "q2", false),
    obs("woman", "white", "q1", true),
    obs("woman", "white", "q2", true),
    obs("man", "black", "q1", false),
    obs("man", "black", "q2", false),
    obs("woman", "black", "q1", true),
    obs("woman", "black", "q2", false),
  ];
  const rows = demographicContrasts(data, { seed: 1, resamples: 400, factors: ["gender", "race"] });

  it("matches vignettes that differ only in the factor, by hand", () => {
    const gender = rows.find((r) => r.attribute === "gender" && r.condition === "depression");
    // man: 1 of 4 (white q1); woman: 3 of 4. Matched on race and question: 4 items.
    expect(gender).toMatchObject({
      level_a: "man",
      level_b: "woman",
      matched_items: 4,
      n_a: 4,
      n_b: 4,
    });
    expect(gender?.diff).toBeCloseTo(1 / 4 - 3 / 4, 12);
    const race = rows.find((r) => r.attribute === "race" && r.condition === "depression");
    expect(race).toMatchObject({ level_a: "white", level_b: "black" });
    expect(race?.diff).toBeCloseTo(3 / 4 - 1 / 4, 12);
    // Every matched pair of a man's and a woman's vignette moves the same way or not at all.
    const [low, high] = gender?.ci95_crossed ?? [0, 0];
    expect(high).toBeLessThanOrEqual(0);
    expect(low).toBeGreaterThanOrEqual(-1);
  });

  it("gives each condition and the pooled non-control conditions a row", () => {
    expect(rows.map((r) => `${r.attribute}:${r.condition}`)).toEqual([
      "gender:depression",
      "gender:overall",
      "race:depression",
      "race:overall",
    ]);
  });

  it("leaves out items whose factor is unknown", () => {
    const plain = data.map((o) => ({ ...o, attributes: undefined }));
    expect(demographicContrasts(plain, { seed: 1, resamples: 100 })).toEqual([]);
  });
});
