/**
 * The declarative suite format (YAML or JSON), validated with zod. Types are inferred
 * from the schema so the file format and the code cannot drift apart.
 */
import { z } from "zod";
import { featureTagsSchema } from "../standard/schema.js";

const id = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]*$/,
    "an id of lowercase letters, digits and dashes (e.g. `work-closely`)",
  );

const message = z.strictObject({
  role: z.enum(["system", "user", "assistant"]),
  content: z.string(),
});

/** A level of a crossed factor, e.g. gender `woman` with the pronouns templates use. */
const level = z.strictObject({
  id,
  /** Shown in templates as `{<factor>}` and in reports. */
  label: z.string().min(1),
  /** Template variables this level defines, e.g. `he: she`. */
  vars: z.record(z.string(), z.string()).default({}),
  /**
   * Variables that depend on another factor's level, e.g. a race level's names by gender:
   * `by: { gender: { man: { name: Juan }, woman: { name: Maria } } }`.
   */
  by: z.record(z.string(), z.record(z.string(), z.record(z.string(), z.string()))).default({}),
});

const question = z.strictObject({
  id,
  /** e.g. attribution, social-distance, dangerousness. */
  group: z.string().min(1),
  /** The question text; may use template variables. */
  text: z.string().min(1),
  /** The name of a scale in `scales`. */
  scale: z.string().min(1),
  /** Option texts that count as stigmatizing; omit or [] when the question measures no stigma. */
  stigma: z.array(z.string()).default([]),
  /** Features of the standard of care the question tests, e.g. [dont-stigmatize]. */
  features: featureTagsSchema,
});

const condition = z.strictObject({
  id,
  label: z.string().min(1),
  /** Control conditions are excluded from the pooled `overall` rate. */
  control: z.boolean().default(false),
  /** The vignette template: `{name}`, `{He}`, `{education}` ... come from the factors. */
  vignette: z.string().min(1),
});

export const choiceSuiteSchema = z.strictObject({
  /** The format marker lets future versions change the layout without guessing. */
  format: z.literal("careprobe-suite/1"),
  id,
  kind: z.literal("multiple-choice"),
  version: z.string().min(1),
  description: z.string().min(1),
  /** The answer instruction, sent as the system message (after the arm's system prompt). */
  instruction: z.string().min(1),
  few_shot: z.array(message).default([]),
  params: z
    .strictObject({
      temperature: z.number().min(0).max(2).default(0),
      max_tokens: z.number().int().positive().default(10),
    })
    .default({ temperature: 0, max_tokens: 10 }),
  /** How the user message is laid out: `{vignette}`, `{question}` and `{options}`. */
  prompt_template: z.string().default("Vignette:\n{vignette}\n\n{question}\n{options}"),
  /** How one option is written; `{letter}` and `{text}`. */
  option_template: z.string().default("- ({letter}): {text}"),
  /** An abstention option appended to every scale, e.g. "Do not know". */
  dont_know: z.string().optional(),
  scales: z.record(z.string(), z.array(z.string().min(1)).min(2)),
  /** Crossed factors, in the order they appear in item ids. */
  factors: z.record(z.string(), z.array(level).min(1)).default({}),
  conditions: z.array(condition).min(1),
  questions: z.array(question).min(1),
});

export type ChoiceSuiteFile = z.infer<typeof choiceSuiteSchema>;
