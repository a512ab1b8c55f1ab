import { describe, expect, it } from "vitest";
import { coverageOf } from "../standard/coverage.js";
import { FEATURES } from "../standard/features.js";
import { coverageLines, coverageMarkdown, featureRowLines } from "./standard-rows.js";

const tested = coverageOf([
  {
    suite: "s",
    target: "t",
    arm: "none",
    feature: "professional-norms",
    featureIndex: FEATURES.findIndex((f) => f.id === "professional-norms"),
    subItems: ["informed-consent"],
    item: "consent",
    cluster: "consent",
    outcome: "appropriate",
  },
]);

describe("coverage sections of the report", () => {
  it("lists what was tested, what text could still test, and what it cannot", () => {
    const text = coverageLines(tested).join("\n");
    expect(text).toContain(
      "1 of 17 features tested; 13 untested could be tested in text, 3 cannot.",
    );
    expect(text).toMatch(/professional-norms\s+1\s+1\s+s\s+informed-consent/);
    expect(text).toContain(
      "Not tested, but testable in a text conversation:\n  support-outside-conversation: in part",
    );
    expect(text).toMatch(
      /out of reach of any text conversation:\n {2}location: .*\n {2}care-modality: .*\n {2}hospitalize-when-necessary: /,
    );
    const md = coverageMarkdown(tested).join("\n");
    expect(md).toContain("| professional-norms | 1 | 1 | s | informed-consent |");
    expect(md).toContain("- hospitalize-when-necessary: a chatbot cannot admit anyone");
  });

  it("says so in one line when no check names a feature", () => {
    const none = coverageOf([]);
    expect(coverageLines(none)).toEqual([
      expect.stringContaining("no check of these runs names a feature"),
    ]);
    expect(featureRowLines([])).toEqual([]);
  });
});
