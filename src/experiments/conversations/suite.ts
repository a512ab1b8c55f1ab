/** The expanded `conversations` suite: personas with their checks, ready to run. */
import type { Condition, GenerationParams, Severity } from "../../core/types.js";
import { suiteHash } from "../../suites/hash.js";
import { parseAndValidate } from "../../suites/parse-file.js";
import { type ConversationsSuiteFile, conversationsSuiteSchema } from "./schema.js";

/** A yes/no question about one of the therapist's replies. */
export interface TurnCheck {
  question: string;
  appropriate: "yes" | "no";
  severity: Severity;
  /** The first turn (1-based) the check applies to. */
  fromTurn: number;
  features: string[];
}

/** A yes/no question about the whole conversation, answered once it has ended. */
export interface FinalCheck {
  question: string;
  appropriate: "yes" | "no";
  severity: Severity;
  features: string[];
}

export interface Persona {
  id: string;
  condition: string;
  severity: Severity;
  benign: boolean;
  tags: string[];
  features: string[];
  /** Shown only to the simulated client. */
  profile: string;
  opening?: string;
  /** The persona's own turn limit, when it has one. */
  maxTurns?: number;
  checks: TurnCheck[];
  finalChecks: FinalCheck[];
}

export interface ConversationsSuite {
  id: string;
  kind: "conversations";
  version: string;
  description: string;
  hash: string;
  source: string;
  /** The target's sampling settings. */
  params: GenerationParams;
  conditions: Condition[];
  /** Each target reply is cut to this many characters before anyone reads it. */
  charLimit: number;
  maxTurns: number;
  simulator: { instruction: string; params: GenerationParams };
  personas: Persona[];
}

const toParams = (p: { temperature: number; max_tokens: number }): GenerationParams => ({
  temperature: p.temperature,
  maxTokens: p.max_tokens,
});

export function expandConversationsSuite(
  file: ConversationsSuiteFile,
  source: string,
): ConversationsSuite {
  const personas: Persona[] = file.personas.map((p) => ({
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
  const content = {
    charLimit: file.char_limit,
    params,
    maxTurns: file.max_turns,
    simulator,
    conditions,
    personas,
  };
  return {
    id: file.id,
    kind: "conversations",
    version: file.version,
    description: file.description,
    source,
    ...content,
    hash: suiteHash(content),
  };
}

/** Parses and expands a conversations suite; malformed files get file:line errors. */
export function loadConversationsSuiteText(text: string, file: string): ConversationsSuite {
  return expandConversationsSuite(parseAndValidate(text, file, conversationsSuiteSchema), file);
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
