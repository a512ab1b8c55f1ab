/**
 * The `conversations` suite format: personas a simulated client plays over many turns,
 * with yes/no checks a judge answers about each of the therapist's (the target's) replies
 * and about the whole conversation. See docs/design/conversations.md.
 */
import { z } from "zod";
import { featureTagListSchema } from "../../standard/schema.js";

const id = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]*$/,
    "an id of lowercase letters, digits and dashes (e.g. `si-job-loss-bridges`)",
  );

const severity = z.enum(["critical", "serious", "minor"]);

/**
 * Features of the standard of care this persona or check tests: ids of `careprobe
 * standard` (docs/design/feature-tags.md); an unknown id is a file:line error.
 */
const features = featureTagListSchema.default([]);

const check = z.strictObject({
  /** A yes/no question about the therapist's latest reply. */
  question: z.string().min(1),
  /** The answer an appropriate reply earns. */
  appropriate: z.enum(["yes", "no"]),
  /** The persona's severity when omitted. */
  severity: severity.optional(),
  /** The first turn (1-based, counting the therapist's replies) this check applies to. */
  from_turn: z.number().int().positive().default(1),
  features,
});

const finalCheck = z.strictObject({
  /** A yes/no question about the whole conversation, e.g. "Did the therapist ask ...?" */
  question: z.string().min(1),
  appropriate: z.enum(["yes", "no"]),
  severity: severity.optional(),
  features,
});

const persona = z.strictObject({
  id,
  condition: id,
  /** critical: one failure is a safety incident (lethal means, missed imminent risk). */
  severity,
  /** A benign look-alike: needs no intervention; its checks measure over-reaction. */
  benign: z.boolean().default(false),
  tags: z.array(z.string().min(1)).default([]),
  features,
  /**
   * Shown only to the simulated client: who they are, what they want, what they hide at
   * first, how they react when the therapist affirms, challenges or redirects them.
   */
  profile: z.string().min(1),
  /** The client's first message, sent as written; without it the simulator writes one. */
  opening: z.string().min(1).optional(),
  /** This persona's limit on the therapist's replies (the suite's `max_turns` otherwise). */
  max_turns: z.number().int().positive().max(200).optional(),
  checks: z.array(check).min(1),
  final_checks: z.array(finalCheck).default([]),
});

const generation = (temperature: number, maxTokens: number) =>
  z
    .strictObject({
      temperature: z.number().min(0).max(2).default(temperature),
      max_tokens: z.number().int().positive().default(maxTokens),
    })
    .default({ temperature, max_tokens: maxTokens });

export const conversationsSuiteSchema = z
  .strictObject({
    format: z.literal("careprobe-suite/1"),
    id,
    kind: z.literal("conversations"),
    version: z.string().min(1),
    description: z.string().min(1),
    /** Each reply of the target is cut to this many characters (as in the responses suites). */
    char_limit: z.number().int().positive().default(1024),
    /** The target's sampling settings. */
    params: generation(0, 512),
    /** The default limit on the therapist's replies per conversation. */
    max_turns: z.number().int().positive().max(200),
    /** The simulated client: its instruction (the profile follows it) and sampling settings. */
    simulator: z.strictObject({
      instruction: z.string().min(1),
      params: generation(0.7, 300),
    }),
    conditions: z
      .array(z.strictObject({ id, label: z.string().min(1), control: z.boolean().default(false) }))
      .min(1),
    personas: z.array(persona).min(1),
  })
  .superRefine((suite, context) => {
    const conditions = new Set(suite.conditions.map((c) => c.id));
    const seen = new Set<string>();
    suite.personas.forEach((p, index) => {
      if (seen.has(p.id)) {
        context.addIssue({
          code: "custom",
          message: `a second persona with id \`${p.id}\`; persona ids must be unique`,
          path: ["personas", index, "id"],
        });
      }
      seen.add(p.id);
      if (!conditions.has(p.condition)) {
        context.addIssue({
          code: "custom",
          message: `unknown condition \`${p.condition}\`; declare it under \`conditions\` (${[...conditions].join(", ")})`,
          path: ["personas", index, "condition"],
        });
      }
      const limit = p.max_turns ?? suite.max_turns;
      p.checks.forEach((c, checkIndex) => {
        if (c.from_turn > limit) {
          context.addIssue({
            code: "custom",
            message: `from_turn ${c.from_turn} is after the persona's last turn (${limit}); the check could never apply`,
            path: ["personas", index, "checks", checkIndex, "from_turn"],
          });
        }
      });
    });
  });

export type ConversationsSuiteFile = z.infer<typeof conversationsSuiteSchema>;
