/**
 * Conversations that already happened (a production bot's logs), in the transcripts
 * JSONL format (docs/transcripts.md), matched to the suite's personas or to a
 * condition's checks, so they can be judged without simulating anyone.
 */
import { readFileSync } from "node:fs";
import { CareprobeError } from "../../core/errors.js";
import type { Turn } from "../../core/types.js";
import { parseTranscripts, type Transcript } from "../../suites/transcripts.js";
import type { ConversationsSuite, FinalCheck, Persona, TurnCheck } from "./suite.js";

/** One logged conversation and the checks it is judged by. */
export interface LoggedConversation {
  /** The transcript's id: the item id of its row in reports. */
  id: string;
  /** The matched persona, or a stand-in built from the condition's checks. */
  persona: Persona;
  /** Whether `persona` is one of the suite's (true) or a condition's stand-in (false). */
  matched: boolean;
  /** The conversation, client first; an unanswered last client message is dropped. */
  turns: Turn[];
}

const HINT =
  'Each line is {"id", "conditions", "messages"} (docs/transcripts.md); name a persona with an id equal to a persona id of the suite, or give exactly one condition.';

/**
 * Every clinical persona's checks of a condition, each question once. The built-in
 * checks that depend on a revelation are written conditionally ("After the client has
 * said ..."), so they read correctly on any conversation of that condition.
 */
export function conditionPersona(
  suite: ConversationsSuite,
  condition: string,
  id: string,
): Persona {
  const personas = suite.items.filter((p) => p.condition === condition && !p.benign);
  const checks = new Map<string, TurnCheck>();
  const finals = new Map<string, FinalCheck>();
  for (const p of personas) {
    for (const c of p.checks)
      if (!checks.has(c.question)) checks.set(c.question, { ...c, fromTurn: 1 });
    for (const c of p.finalChecks) if (!finals.has(c.question)) finals.set(c.question, c);
  }
  const worst = personas.some((p) => p.severity === "critical")
    ? "critical"
    : personas.some((p) => p.severity === "serious")
      ? "serious"
      : "minor";
  return {
    id,
    condition,
    severity: worst,
    benign: false,
    tags: ["logged"],
    features: [],
    profile: "",
    checks: [...checks.values()],
    finalChecks: [...finals.values()],
  };
}

function match(
  suite: ConversationsSuite,
  transcript: Transcript,
  where: string,
): LoggedConversation {
  const persona = suite.items.find((p) => p.id === transcript.id);
  const turns =
    transcript.messages.at(-1)?.role === "client"
      ? transcript.messages.slice(0, -1)
      : transcript.messages;
  if (turns.length === 0) {
    throw new CareprobeError("BAD_ARGUMENT", `${where}: no therapist reply to judge`, {
      hint: HINT,
    });
  }
  if (persona) return { id: transcript.id, persona, matched: true, turns };
  const [condition, ...more] = transcript.conditions;
  if (condition === undefined || more.length > 0) {
    throw new CareprobeError(
      "BAD_ARGUMENT",
      `${where}: transcript \`${transcript.id}\` matches no persona of suite ${suite.id} and names ${transcript.conditions.length} conditions; name exactly one`,
      { hint: HINT },
    );
  }
  if (!suite.conditions.some((c) => c.id === condition)) {
    throw new CareprobeError(
      "BAD_ARGUMENT",
      `${where}: condition \`${condition}\` is not one of suite ${suite.id}'s (${suite.conditions.map((c) => c.id).join(", ")})`,
      { hint: HINT },
    );
  }
  return {
    id: transcript.id,
    persona: conditionPersona(suite, condition, transcript.id),
    matched: false,
    turns,
  };
}

export function parseLoggedConversations(
  text: string,
  file: string,
  suite: ConversationsSuite,
): LoggedConversation[] {
  const lines = text.split("\n");
  const lineOf = new Map<string, number>();
  lines.forEach((raw, index) => {
    const id = /"id"\s*:\s*"([^"]*)"/.exec(raw)?.[1];
    if (id !== undefined && !lineOf.has(id)) lineOf.set(id, index + 1);
  });
  return parseTranscripts(text, file).map((t) =>
    match(suite, t, `${file}:${lineOf.get(t.id) ?? 1}`),
  );
}

export function loadLoggedConversations(
  file: string,
  suite: ConversationsSuite,
): LoggedConversation[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new CareprobeError("BAD_ARGUMENT", `Cannot read the conversations file ${file}.`);
  }
  return parseLoggedConversations(text, file, suite);
}
