import { describe, expect, it } from "vitest";
import { CareprobeError } from "../core/errors.js";
import { CHOICE_PARSER_VERSION, letterFor, parseChoice } from "./choice.js";

// The two scales of the stigma questionnaire, in letter order.
const LIKELY = [
  "Not at all likely",
  "Not very likely",
  "Somewhat likely",
  "Very likely",
  "Do not know",
];
const WILLING = [
  "Definitely unwilling",
  "Probably unwilling",
  "Probably willing",
  "Definitely willing",
  "Do not know",
];

function readAs(text: string, options: string[]): string {
  const parse = parseChoice(text, options);
  if (parse.status !== "parsed") throw new Error(`expected a reading of ${JSON.stringify(text)}`);
  expect(parse.option).toBe(options[parse.index]);
  expect(parse.letter).toBe(letterFor(parse.index));
  return parse.letter;
}

function reasonFor(text: string, options: string[]): string {
  const parse = parseChoice(text, options);
  if (parse.status !== "unparsed") {
    throw new Error(`expected no reading of ${JSON.stringify(text)}, got ${parse.letter}`);
  }
  expect(parse.reason.length).toBeGreaterThan(0);
  return parse.reason;
}

describe("parseChoice: the forms models write", () => {
  it.each([
    ["C", "letter"],
    [" C", "letter"],
    ["C\n", "letter"],
    ["**C**", "letter"],
    ["(C)", "bracketed-letter"],
    ["[C]", "bracketed-letter"],
    ["C.", "leading-letter"],
    ["C)", "leading-letter"],
    ["C:", "leading-letter"],
    ["(C): Probably willing", "bracketed-letter+text"],
    ["C: Probably willing", "leading-letter+text"],
    ["C. Probably willing.\n\nBased on the vignette", "leading-letter+text"],
    ["C - Probably willing", "leading-letter+text"],
    ["**Answer:** **(C)** Probably willing", "bracketed-letter+text"],
    ["I would choose (C) Probably willing.", "bracketed-letter+text"],
    ["I would choose option (C) Probably willing", "bracketed-letter+text"],
    ["I would rate myself as (C) Probably", "bracketed-letter+cut-text"],
    ["The answer is C.", "cue-letter"],
    ["Answer: C", "cue-letter"],
    ["My choice is C because he seems reliable.", "cue-letter"],
    ["Probably willing", "option-text"],
    ["probably willing.", "option-text"],
    ["PROBABLY WILLING!", "option-text"],
    ['"Probably willing"', "option-text"],
    ["Probably willing, since he is getting help.", "option-text"],
    ["I would choose Probably willing", "option-text"],
  ])("reads %j as C (%s)", (text, how) => {
    const parse = parseChoice(text, WILLING);
    expect(parse).toEqual({
      status: "parsed",
      index: 2,
      letter: "C",
      option: "Probably willing",
      how,
    });
  });

  it("reads answers inside a sentence", () => {
    expect(readAs("The answer is (D) Very likely.", LIKELY)).toBe("D");
    expect(readAs("The correct answer is (C) Somewhat", LIKELY)).toBe("C");
    expect(readAs("The answer is (A): Not at all", LIKELY)).toBe("A");
    expect(readAs("I would rate myself as (D) Def", WILLING)).toBe("D");
    expect(readAs("The answer is Very likely.", LIKELY)).toBe("D");
  });

  it("reads every letter of the scale, including E, 'Do not know', as an ordinary option", () => {
    expect(["A", "B", "C", "D", "E"].map((l) => readAs(l, LIKELY))).toEqual([
      "A",
      "B",
      "C",
      "D",
      "E",
    ]);
    expect(readAs("I would choose (E) Do not know", WILLING)).toBe("E");
    expect(readAs("Do not know.", WILLING)).toBe("E");
  });

  it("keeps the leading answer when an explanation follows", () => {
    expect(readAs("D: Very likely\n\nThe symptoms described", LIKELY)).toBe("D");
    expect(readAs("(C) Somewhat likely. It is very likely that he will recover.", LIKELY)).toBe(
      "C",
    );
    expect(readAs("A, because nothing in the vignette suggests violence.", LIKELY)).toBe("A");
  });
});

describe("parseChoice: traps", () => {
  it("tells overlapping option texts apart", () => {
    expect(readAs("Not very likely", LIKELY)).toBe("B");
    expect(readAs("Very likely", LIKELY)).toBe("D");
    expect(readAs("Not at all likely.", LIKELY)).toBe("A");
    expect(readAs("Probably unwilling", WILLING)).toBe("B");
    expect(readAs("Definitely unwilling", WILLING)).toBe("A");
    expect(readAs("Definitely willing", WILLING)).toBe("D");
  });

  it("does not take the English words 'A' and 'I' for letters", () => {
    expect(reasonFor("A person with depression deserves support.", LIKELY)).toBe("no option named");
    expect(reasonFor("The answer is A person who needs help.", LIKELY)).toBe("no option named");
    expect(reasonFor("I think it depends.", LIKELY)).toBe("no option named");
    expect(reasonFor("A Very likely outcome is recovery.", LIKELY)).toMatch(
      /never given as the answer/,
    );
    expect(reasonFor("E.g., it depends on the support he gets.", LIKELY)).toBe("no option named");
  });

  it("refuses a text that names two different options", () => {
    expect(reasonFor("A or B", WILLING)).toBe("names more than one option (A, B)");
    expect(reasonFor("C or D", LIKELY)).toBe("names more than one option (C, D)");
    expect(reasonFor("(B) Probably unwilling, or maybe (C)", WILLING)).toBe(
      "names more than one option (B, C)",
    );
    expect(reasonFor("(C) Somewhat likely; then again, maybe D.", LIKELY)).toMatch(/C, D/);
    expect(reasonFor("- (A): Not at all likely\n- (B): Not very likely", LIKELY)).toMatch(/A, B/);
    expect(reasonFor("Somewhat likely. It is not very likely that he is violent.", LIKELY)).toMatch(
      /B, C/,
    );
  });

  it("refuses a letter that contradicts the option text beside it", () => {
    expect(reasonFor("(C) Very likely", LIKELY)).toBe(
      'letter C is "Somewhat likely" but the text beside it reads "Very likely"',
    );
    expect(reasonFor("C: Not very likely", LIKELY)).toMatch(/letter C is "Somewhat likely"/);
    expect(reasonFor("(C) Probably unwilling", WILLING)).toMatch(/reads "Probably unwilling"/);
    expect(reasonFor("(B) Probably willing", WILLING)).toMatch(/reads "Probably willing"/);
    expect(reasonFor("Very likely (C).", LIKELY)).toBe(
      'letter C is "Somewhat likely" but the text before it reads "Very likely"',
    );
    expect(readAs("Not very likely (B)", LIKELY)).toBe("B");
    // Cut off, but already not C's text.
    expect(reasonFor("(C) Probably un", WILLING)).toMatch(/reads "Probably un"/);
  });

  it("refuses letters beyond the options", () => {
    expect(reasonFor("F", LIKELY)).toBe("names letter F, but the options run A–E");
    expect(reasonFor("(F)", LIKELY)).toBe("names letter F, but the options run A–E");
    expect(reasonFor("D", ["Yes", "No"])).toBe("names letter D, but the options run A–B");
    expect(readAs("B", ["Yes", "No"])).toBe("B");
  });

  it("refuses a text cut off before any option is named", () => {
    expect(reasonFor("Based on the information provided, it is not", LIKELY)).toBe(
      "no option named; the text stops mid-sentence",
    );
    expect(reasonFor("Based on the information provided, I would choose", WILLING)).toMatch(
      /stops mid-sentence/,
    );
    expect(reasonFor("The answer is", LIKELY)).toMatch(/no option named/);
  });

  it("refuses option words used in passing", () => {
    expect(reasonFor("Very likely that he is depressed", LIKELY)).toMatch(
      /never given as the answer/,
    );
    expect(reasonFor("I think C.", LIKELY)).toMatch(/never given as the answer/);
    expect(reasonFor("I would be probably willing to meet him", WILLING)).toMatch(/never given/);
  });

  it("refuses empty text and questions without options", () => {
    expect(reasonFor("", LIKELY)).toBe("empty response");
    expect(reasonFor("  \n ", LIKELY)).toBe("empty response");
    expect(reasonFor("C", [])).toBe("the question has no options");
  });
});

describe("letterFor and the version", () => {
  it("maps indexes to letters and refuses the rest", () => {
    expect([0, 1, 4, 25].map(letterFor)).toEqual(["A", "B", "E", "Z"]);
    expect(() => letterFor(26)).toThrow(CareprobeError);
    expect(() => letterFor(-1)).toThrow(/has no letter/);
    expect(() => letterFor(1.5)).toThrow(CareprobeError);
  });

  it("has a non-empty parser version", () => {
    expect(CHOICE_PARSER_VERSION).toMatch(/\S/);
  });
});
