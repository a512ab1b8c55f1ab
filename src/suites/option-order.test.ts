import { describe, expect, it } from "vitest";
import { CareprobeError } from "../core/errors.js";
import type { ChoiceItem } from "../core/types.js";
import { optionPermutations, reorderItem } from "./option-order.js";

function item(id: string, condition = "c", questionId = "q"): ChoiceItem {
  const options = ["Low", "Mid", "High", "Do not know"];
  return {
    id,
    condition,
    questionId,
    question: "How?",
    attributes: {},
    prompt: `Vignette:\nSomeone.\n\nHow?\n${options.map((o, i) => `- (${"ABCD"[i]}): ${o}`).join("\n")}`,
    options,
    dontKnow: "Do not know",
    stigmaOptions: ["High"],
  };
}

describe("reorderItem", () => {
  it("rewrites the option lines and keeps Do not know last", () => {
    const reversed = reorderItem(item("x"), [2, 1, 0, 3]);
    expect(reversed.options).toEqual(["High", "Mid", "Low", "Do not know"]);
    expect(reversed.prompt).toBe(
      "Vignette:\nSomeone.\n\nHow?\n- (A): High\n- (B): Mid\n- (C): Low\n- (D): Do not know",
    );
    expect(reversed.stigmaOptions).toEqual(["High"]);
  });

  it("leaves an item in its own order untouched", () => {
    const original = item("x");
    expect(reorderItem(original, [0, 1, 2, 3])).toBe(original);
  });

  it("refuses a prompt whose options are not on lines of their own", () => {
    const inline = { ...item("x"), prompt: "Pick one: Low, Mid, High, Do not know" };
    expect(() => reorderItem(inline, [2, 1, 0, 3])).toThrow(CareprobeError);
  });
});

describe("optionPermutations", () => {
  const items = ["a", "b", "c", "d", "e"].map((id) => item(id));

  it("fixed and reversed", () => {
    expect(optionPermutations(items, "fixed", "0").get("a")).toEqual([0, 1, 2, 3]);
    expect(optionPermutations(items, "reversed", "0").get("e")).toEqual([2, 1, 0, 3]);
  });

  it("balanced alternates within each cell, so every prefix is balanced within one", () => {
    for (const seed of ["0", "1", "2", "3"]) {
      const perms = optionPermutations(items, "balanced", seed);
      const flags = items.map((i) => (perms.get(i.id)?.[0] === 2 ? 1 : 0));
      for (let k = 1; k <= flags.length; k++) {
        const reversed = flags.slice(0, k).reduce<number>((s, f) => s + f, 0);
        expect(Math.abs(2 * reversed - k)).toBeLessThanOrEqual(1);
      }
    }
    // Cells are counted separately.
    const mixed = [item("a", "c1"), item("b", "c2"), item("c", "c1"), item("d", "c2")];
    const perms = optionPermutations(mixed, "balanced", "7");
    expect(perms.get("a")).not.toEqual(perms.get("c"));
    expect(perms.get("b")).not.toEqual(perms.get("d"));
  });

  it("shuffled is seeded per item and keeps Do not know last", () => {
    const first = optionPermutations(items, "shuffled", "5");
    expect(optionPermutations(items, "shuffled", "5")).toEqual(first);
    for (const perm of first.values()) {
      expect([...perm].sort()).toEqual([0, 1, 2, 3]);
      expect(perm[3]).toBe(3);
    }
    const many = optionPermutations(
      Array.from({ length: 30 }, (_, i) => item(`i${i}`)),
      "shuffled",
      "5",
    );
    expect(new Set([...many.values()].map((p) => p.join())).size).toBeGreaterThan(1);
  });
});
