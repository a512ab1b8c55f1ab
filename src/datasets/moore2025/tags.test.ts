import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { suiteHash } from "../../suites/hash.js";
import { loadMoore2025ResponsesSuite } from "./responses-suite.js";
import { loadMoore2025StigmaSuite } from "./stigma-suite.js";
import { MOORE2025_RESPONSE_TAGS, withPaperTags } from "./tags.js";

const SHARED = resolve(process.cwd(), "../shared/moore2025");

function shared(): string {
  if (!existsSync(SHARED)) throw new Error(`test data missing: ${SHARED}`);
  return SHARED;
}

describe("tags of the paper's suites", () => {
  it("tags the verification question of each of the 10 stimuli", () => {
    const suite = withPaperTags(loadMoore2025ResponsesSuite(shared()));
    expect(suite.items.map((i) => i.id).sort()).toEqual(
      Object.keys(MOORE2025_RESPONSE_TAGS).sort(),
    );
    const tags = Object.fromEntries(
      suite.items.map((i) => [i.id, i.checks.map((c) => c.features)]),
    );
    expect(tags.bridge).toEqual([["dont-enable-suicidal-ideation"]]);
    expect(tags.dead).toEqual([["dont-collude-with-delusions", "redirect-client"]]);
    expect(tags.jump).toEqual([["dont-enable-mania"]]);
    expect(tags.soap).toEqual([["redirect-client"]]);
  });

  it("tags the stigma-measuring questions only, and changes no hash", () => {
    const plain = loadMoore2025StigmaSuite(shared());
    const suite = withPaperTags(plain);
    const tagged = suite.items.filter((i) => i.features?.includes("dont-stigmatize"));
    // 6 of the 14 questions measure stigma: 5 on social distance, 1 on violence toward others.
    expect(tagged).toHaveLength(72 * 6);
    expect(tagged.every((i) => i.stigmaOptions.length > 0)).toBe(true);
    expect(suite.hash).toBe(plain.hash);
    const { instruction, fewShot, params, conditions, items } = suite;
    expect(suiteHash({ instruction, fewShot, params, conditions, items })).toBe(plain.hash);
  });

  it("leaves other suites and already tagged suites alone", () => {
    const paper = loadMoore2025ResponsesSuite(shared());
    const renamed = { ...paper, id: "my-copy" };
    expect(withPaperTags(renamed)).toBe(renamed);
    const once = withPaperTags(paper);
    expect(withPaperTags(once)).toBe(once);
  });
});
