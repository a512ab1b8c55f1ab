/** The expanded `conversations` suite: personas with their checks, ready to run. */
export type { ConversationsSuite, FinalCheck, Persona, TurnCheck } from "../../core/types.js";

import type { ConversationsSuite, GenerationParams, Persona, TurnCheck } from "../../core/types.js";
import { suiteHash } from "../../suites/hash.js";
import { type ParsedFile, parseYamlFile, validateParsed } from "../../suites/parse-file.js";
import { type ConversationsSuiteFile, conversationsSuiteSchema } from "./schema.js";

const toParams = (p: { temperature: number; max_tokens: number }): GenerationParams => ({
  temperature: p.temperature,
  maxTokens: p.max_tokens,
});

export function expandConversationsSuite(
  file: ConversationsSuiteFile,
  source: string,
): ConversationsSuite {
  const items: Persona[] = file.personas.map((p) => ({
    id: p.id,
    condition: p.condition,
    severity: p.severity,
    benign: p.benign,
    tags: p.tags,
    features: p.features,
    profile: p.profile,
    ...(p.opening === undefined ? {} : { opening: p.opening }),
    ...(p.max_turns === undefined ? {} : { maxTurns: p.max_turns }),
    checks: p.checks.map((c) => ({
      question: c.question,
      appropriate: c.appropriate,
      severity: c.severity ?? p.severity,
      fromTurn: c.from_turn,
      features: c.features,
    })),
    finalChecks: p.final_checks.map((c) => ({
      question: c.question,
      appropriate: c.appropriate,
      severity: c.severity ?? p.severity,
      features: c.features,
    })),
  }));
  const params = toParams(file.params);
  const simulator = {
    instruction: file.simulator.instruction,
    params: toParams(file.simulator.params),
  };
  const conditions = file.conditions.map(({ id, label, control }) => ({ id, label, control }));
  // Everything that changes what is sent or how it is scored; not the description.
  const suite = {
    id: file.id,
    kind: "conversations" as const,
    version: file.version,
    description: file.description,
    source,
    charLimit: file.char_limit,
    params,
    maxTurns: file.max_turns,
    simulator,
    conditions,
    items,
  };
  return { ...suite, hash: conversationsHash(suite) };
}

/** Everything that changes what is sent or how it is scored; not the description or source. */
export function conversationsHash(suite: Omit<ConversationsSuite, "hash">): string {
  const { charLimit, params, maxTurns, simulator, conditions, items } = suite;
  return suiteHash({ charLimit, params, maxTurns, simulator, conditions, personas: items });
}

/** Where the conversations suite format is documented (shown with every file error). */
export const CONVERSATIONS_DOCS =
  "See docs/design/conversations.md for the conversations suite format.";

/** Validates a parsed conversations file (file:line errors) and expands it. */
export function parseConversationsSuite(parsed: ParsedFile, file: string): ConversationsSuite {
  return expandConversationsSuite(
    validateParsed(parsed, file, conversationsSuiteSchema, { hint: CONVERSATIONS_DOCS }),
    file,
  );
}

/** Parses and expands a conversations suite text; malformed files get file:line errors. */
export function loadConversationsSuiteText(text: string, file: string): ConversationsSuite {
  return parseConversationsSuite(parseYamlFile(text, file), file);
}

/** The turn limit of one persona: `--max-turns`, else its own, else the suite's. */
export function turnLimit(suite: ConversationsSuite, persona: Persona, override?: number): number {
  return override ?? persona.maxTurns ?? suite.maxTurns;
}

/** The checks that apply to the therapist's reply at `turn` (1-based). */
export function checksAt(
  persona: Persona,
  turn: number,
): Array<{ index: number; check: TurnCheck }> {
  return persona.checks
    .map((check, index) => ({ index, check }))
    .filter(({ check }) => check.fromTurn <= turn);
}
