/**
 * What the store reads back from JSON columns, validated with zod: a run's roles and
 * config, a step's meta, a request's warnings. A row that does not match is a damaged or
 * foreign database, reported as such, never cast.
 */
import { z } from "zod";
import { CareprobeError } from "../core/errors.js";

const modelRef = z.object({ spec: z.string(), identity: z.string() });

export const rolesSchema = z.object({
  target: modelRef,
  judges: z.array(modelRef),
  contextualizer: modelRef.optional(),
  client: modelRef.optional(),
});

/** Settings stored with a run. Unknown keys are kept (a newer careprobe may add some). */
export const runConfigSchema = z.looseObject({
  kind: z.string().optional(),
  judges: z.array(modelRef).optional(),
  defaultJudge: z.boolean().optional(),
  transcripts: z.object({ hash: z.string() }).nullable().optional(),
  interval: z.number().optional(),
  contextualizer: modelRef.nullable().optional(),
  temperature: z.number().nullable().optional(),
  maxTokens: z.number().nullable().optional(),
  /** The seed of the judges' option order. */
  seed: z.number().optional(),
  /** Multiple-choice runs: how the options were ordered, and the seed of that order. */
  optionOrder: z.string().optional(),
  optionSeed: z.number().optional(),
  imported: z.string().optional(),
  /** What the run's kind hashed into its id besides suite, target, arm and samples. */
  identity: z.record(z.string(), z.unknown()).optional(),
  file: z.string().optional(),
  source: z.string().optional(),
});

export type RunConfig = z.infer<typeof runConfigSchema>;

const yesNo = z.enum(["yes", "no"]);

/** A judge step: who judged which check, with the options in which order. */
export const judgeMetaSchema = z.object({
  judge: z.string(),
  check: z.number().int().nonnegative(),
  order: z.tuple([yesNo, yesNo]),
  /** Imported verdicts that answer another question than the item's check. */
  answers: z.object({ question: z.string(), appropriate: yesNo }).optional(),
});

export type JudgeMeta = z.infer<typeof judgeMetaSchema>;

export const stepMetaSchema = z.record(z.string(), z.unknown());

const warningsSchema = z.array(z.string());

/** Parses a JSON column with its schema; `what` names the row for the error. */
export function readJson<T>(schema: z.ZodType<T>, text: string | null, what: string): T {
  let value: unknown;
  try {
    value = JSON.parse(text ?? "null");
  } catch {
    throw damaged(what, "is not JSON");
  }
  return validate(schema, value, what);
}

/** Checks a value read from the database against its schema. */
export function validate<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw damaged(what, parsed.error.issues[0]?.message ?? "is malformed");
  return parsed.data;
}

export function readWarnings(text: string | null): string[] {
  return text === null ? [] : readJson(warningsSchema, text, "a request's warnings");
}

function damaged(what: string, problem: string): CareprobeError {
  return new CareprobeError("STORE", `The database is damaged: ${what} ${problem}.`, {
    hint: "Restore it from a copy, or start a new one with --db.",
  });
}
