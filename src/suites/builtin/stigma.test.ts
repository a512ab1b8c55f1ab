import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { ChoiceItem } from "../../core/types.js";
import { loadChoiceSuiteFile } from "../load.js";

const suitePath = fileURLToPath(new URL("./stigma.yaml", import.meta.url));
const promptPath = fileURLToPath(new URL("./standard-of-care.md", import.meta.url));
const suite = loadChoiceSuiteFile(suitePath);

const CONDITIONS = [
  "daily-troubles",
  "depression",
  "alcohol-dependence",
  "schizophrenia",
  "ptsd",
  "bipolar-mania",
  "opioid-use-disorder",
];
const QUESTIONS = [
  "mental-illness",
  "ups-and-downs",
  "genetic",
  "chemical-imbalance",
  "bad-character",
  "gods-will",
  "upbringing",
  "work-closely",
  "live-next-door",
  "socialize",
  "friend",
  "marry-into-family",
  "violent-to-others",
  "violent-to-self",
];
const SOCIAL_DISTANCE = [
  "work-closely",
  "live-next-door",
  "socialize",
  "friend",
  "marry-into-family",
];
const UNWILLING = ["Definitely unwilling", "Probably unwilling"];
const LIKELY = ["Somewhat likely", "Very likely"];

/** The vignette part of a prompt: between the "Vignette:" header and the question. */
function vignetteOf(item: ChoiceItem): string {
  const match = /^Vignette:\n([^\n]+)\n\n/.exec(item.prompt);
  if (!match?.[1]) throw new Error(`no vignette in ${item.id}`);
  return match[1];
}

function sentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+/).filter((s) => s.trim().length > 0);
}

describe("built-in stigma suite", () => {
  it("has the declared identity and generation settings", () => {
    expect(suite.id).toBe("stigma");
    expect(suite.kind).toBe("multiple-choice");
    expect(suite.version).toBe("1");
    expect(suite.params).toEqual({ temperature: 0, maxTokens: 10 });
    expect(suite.instruction).toMatch(/letter/i);
  });

  it("expands to 7 conditions x 18 people x 14 questions = 1,764 items with unique ids", () => {
    expect(suite.conditions.map((c) => c.id)).toEqual(CONDITIONS);
    expect(suite.items).toHaveLength(7 * 18 * 14);
    expect(new Set(suite.items.map((i) => i.id)).size).toBe(suite.items.length);
    for (const condition of CONDITIONS) {
      const items = suite.items.filter((i) => i.condition === condition);
      expect(items).toHaveLength(18 * 14);
      const people = new Set(
        items.map((i) => `${i.attributes.gender}/${i.attributes.race}/${i.attributes.education}`),
      );
      expect(people.size).toBe(18);
    }
    expect(new Set(suite.items.map((i) => i.questionId))).toEqual(new Set(QUESTIONS));
  });

  it("orders items so that every --limit prefix is balanced across conditions", () => {
    const conditions = suite.conditions.map((c) => c.id);
    for (let start = 0; start < 98; start += 7) {
      expect(suite.items.slice(start, start + 7).map((i) => i.condition)).toEqual(conditions);
    }
    expect(new Set(suite.items.slice(0, 98).map((i) => i.questionId)).size).toBe(14);
  });

  it("has exactly one control condition, daily troubles", () => {
    const controls = suite.conditions.filter((c) => c.control);
    expect(controls.map((c) => c.id)).toEqual(["daily-troubles"]);
  });

  it("fills every template: no braces are left in any prompt or question", () => {
    for (const item of suite.items) {
      expect(item.prompt, item.id).not.toMatch(/[{}]/);
      expect(item.question, item.id).not.toMatch(/[{}]/);
    }
  });

  it("offers five options on every item, ending with Do not know", () => {
    for (const item of suite.items) {
      expect(item.options, item.id).toHaveLength(5);
      expect(item.options[4]).toBe("Do not know");
      expect(item.dontKnow).toBe("Do not know");
      expect(item.prompt).toContain("- (E): Do not know");
    }
  });

  it("marks stigma options on exactly the six declared questions, always among the options", () => {
    const scored = new Set(
      suite.items.filter((i) => i.stigmaOptions.length > 0).map((i) => i.questionId),
    );
    expect(scored).toEqual(new Set([...SOCIAL_DISTANCE, "violent-to-others"]));
    for (const item of suite.items) {
      for (const option of item.stigmaOptions) expect(item.options).toContain(option);
      expect(item.stigmaOptions).not.toContain("Do not know");
      if (SOCIAL_DISTANCE.includes(item.questionId)) expect(item.stigmaOptions).toEqual(UNWILLING);
      if (item.questionId === "violent-to-others") expect(item.stigmaOptions).toEqual(LIKELY);
    }
  });

  it("gives each race and gender its own name, used throughout the vignette and question", () => {
    const namesByPerson = new Map<string, Set<string>>();
    for (const item of suite.items) {
      const vignette = vignetteOf(item);
      const opening =
        /^(\S+) is (a|an) (White|African American|Hispanic) (man|woman) who has /.exec(vignette);
      expect(opening, item.id).not.toBeNull();
      const name = opening?.[1] ?? "";
      expect(opening?.[2]).toBe(opening?.[3] === "African American" ? "an" : "a");
      expect(item.question, item.id).toContain(name);
      const key = `${item.attributes.race}/${item.attributes.gender}`;
      const names = namesByPerson.get(key) ?? new Set<string>();
      names.add(name);
      namesByPerson.set(key, names);
    }
    expect(namesByPerson.size).toBe(6);
    const names = [...namesByPerson.values()].map((set) => {
      expect(set.size).toBe(1);
      return [...set][0];
    });
    expect(new Set(names).size).toBe(6);
  });

  it("uses pronouns that agree with the gender level", () => {
    for (const item of suite.items) {
      const text = `${vignetteOf(item)} ${item.question}`;
      if (item.attributes.gender === "woman") {
        expect(text, item.id).not.toMatch(/\b(he|him|his|himself)\b/i);
      } else {
        expect(text, item.id).not.toMatch(/\b(she|her|hers|herself)\b/i);
      }
    }
  });

  it("keeps every vignette between 5 and 9 sentences", () => {
    for (const item of suite.items) {
      const count = sentences(vignetteOf(item)).length;
      expect(count, item.id).toBeGreaterThanOrEqual(5);
      expect(count, item.id).toBeLessThanOrEqual(9);
    }
  });

  it("has one neutral few-shot exchange in the item layout, answered with one letter", () => {
    expect(suite.fewShot.map((m) => m.role)).toEqual(["user", "assistant"]);
    const [user, assistant] = suite.fewShot;
    expect(user?.content).toMatch(/^Vignette:\n.+\n\n.+\n- \(A\): .+\n/);
    expect(user?.content.endsWith("- (E): Do not know")).toBe(true);
    expect(assistant?.content).toMatch(/^[A-E]$/);
  });
});

describe("standard-of-care system prompt", () => {
  const text = readFileSync(promptPath, "utf8");

  it("is 200-400 words of plain text", () => {
    const words = text.split(/\s+/).filter((w) => w.length > 0);
    expect(words.length).toBeGreaterThanOrEqual(200);
    expect(words.length).toBeLessThanOrEqual(400);
    expect(text).not.toMatch(/^#/m);
  });
});
