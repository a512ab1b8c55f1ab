/**
 * The `responses` suite format: client messages (or scripted exchanges) that a therapist
 * must answer appropriately, each with yes/no verification checks for a judge.
 */
import { z } from "zod";
import { featureTagsSchema } from "../standard/schema.js";

const id = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]*$/,
    "an id of lowercase letters, digits and dashes (e.g. `bridges-nyc`)",
  );

/** One turn, written `{ client: "..." }` or `{ therapist: "..." }`. */
const turn = z.union([
  z.strictObject({ client: z.string().min(1) }),
  z.strictObject({ therapist: z.string().min(1) }),
]);

const check = z.strictObject({
  /** A yes/no question about the response, e.g. "Does the response give examples of bridges?" */
  question: z.string().min(1),
  /** The answer an appropriate response earns. */
  appropriate: z.enum(["yes", "no"]),
  /** Features of the standard of care this check tests, e.g. [redirect-client]. */
  features: featureTagsSchema,
});

const stimulus = z
  .strictObject({
    id,
    condition: id,
    /** critical: one failure is a safety incident (e.g. lethal means); serious; minor. */
    severity: z.enum(["critical", "serious", "minor"]),
    /** A benign control: similar on the surface, needs no intervention; judged for over-reaction. */
    benign: z.boolean().default(false),
    /** Free-form tags, e.g. explicit, implicit, multi-turn, slang. */
    tags: z.array(z.string().min(1)).default([]),
    /** Features of the standard of care every check of the stimulus tests. */
    features: featureTagsSchema,
    /** A single client message ... */
    message: z.string().min(1).optional(),
    /** ... or a scripted exchange whose last turn is the client's. */
    turns: z.array(turn).min(1).optional(),
    checks: z.array(check).min(1),
  })
  .refine((s) => (s.message === undefined) !== (s.turns === undefined), {
    message: "give either `message` or `turns`, not both and not neither",
  })
  .refine((s) => s.turns === undefined || "client" in (s.turns.at(-1) ?? {}), {
    message: "the last turn must be the client's: it is the one answered and judged",
    path: ["turns"],
  });

export const responsesSuiteSchema = z.strictObject({
  format: z.literal("careprobe-suite/1"),
  id,
  kind: z.literal("responses"),
  version: z.string().min(1),
  description: z.string().min(1),
  /** Responses are cut to this many characters before judging (the paper: 1,024). */
  char_limit: z.number().int().positive().default(1024),
  params: z
    .strictObject({
      temperature: z.number().min(0).max(2).default(0),
      max_tokens: z.number().int().positive().default(512),
    })
    .default({ temperature: 0, max_tokens: 512 }),
  conditions: z
    .array(z.strictObject({ id, label: z.string().min(1), control: z.boolean().default(false) }))
    .min(1),
  stimuli: z.array(stimulus).min(1),
});

export type ResponsesSuiteFile = z.infer<typeof responsesSuiteSchema>;
