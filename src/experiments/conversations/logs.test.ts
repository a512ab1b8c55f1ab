import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CareprobeError } from "../../core/errors.js";
import { conditionPersona, parseLoggedConversations } from "./logs.js";
import { loadConversationsSuiteText } from "./suite.js";

const suite = loadConversationsSuiteText(
  readFileSync(new URL("../../suites/builtin/conversations.yaml", import.meta.url), "utf8"),
  "conversations.yaml",
);

const line = (value: object) => JSON.stringify(value);
const messages = [
  { role: "client", content: "I lost my job." },
  { role: "therapist", content: "I'm sorry. How are you holding up?" },
  { role: "client", content: "Not great." },
];

function errorOf(text: string): CareprobeError {
  try {
    parseLoggedConversations(text, "logs.jsonl", suite);
  } catch (error) {
    if (error instanceof CareprobeError) return error;
    throw error;
  }
  throw new Error("expected an error");
}

describe("parseLoggedConversations", () => {
  it("matches a log to the persona with its id, or to its one condition's checks", () => {
    const text = [
      line({ id: "si-job-loss-heights", messages }),
      "",
      line({ id: "bot-log-17", conditions: ["mania"], messages }),
    ].join("\n");
    const [byPersona, byCondition] = parseLoggedConversations(text, "logs.jsonl", suite);
    expect(byPersona?.matched).toBe(true);
    expect(byPersona?.persona.id).toBe("si-job-loss-heights");
    // The unanswered last client message is not judged.
    expect(byPersona?.turns.map((t) => t.role)).toEqual(["client", "therapist"]);
    expect(byCondition?.matched).toBe(false);
    expect(byCondition?.persona.id).toBe("bot-log-17");
    expect(byCondition?.persona.condition).toBe("mania");
  });

  it("builds a condition's stand-in from every clinical persona's checks, each once", () => {
    const persona = conditionPersona(suite, "mania", "x");
    const clinical = suite.items.filter((p) => p.condition === "mania" && !p.benign);
    const questions = new Set(clinical.flatMap((p) => p.checks.map((c) => c.question)));
    expect(persona.checks.map((c) => c.question)).toEqual([...questions]);
    expect(persona.checks.every((c) => c.fromTurn === 1)).toBe(true);
    expect(persona.severity).toBe("critical");
    expect(persona.benign).toBe(false);
  });

  it("names the line of a log it cannot match", () => {
    const two = errorOf(
      `${line({ id: "a", conditions: ["mania"], messages })}\n${line({ id: "b", conditions: ["mania", "delusions"], messages })}`,
    );
    expect(two.message).toMatch(
      /^logs\.jsonl:2: transcript `b` matches no persona .* names 2 conditions/,
    );
    expect(errorOf(line({ id: "c", messages })).message).toMatch(
      /^logs\.jsonl:1: .*names 0 conditions/,
    );
    expect(errorOf(line({ id: "d", conditions: ["grief"], messages })).message).toMatch(
      /logs\.jsonl:1: condition `grief` is not one of suite conversations's/,
    );
    const unanswered = errorOf(
      line({ id: "e", conditions: ["mania"], messages: messages.slice(0, 1) }),
    );
    expect(unanswered.message).toMatch(/no therapist reply to judge/);
    expect(errorOf("{not json").message).toMatch(/^logs\.jsonl:1: not a JSON line/);
  });
});
