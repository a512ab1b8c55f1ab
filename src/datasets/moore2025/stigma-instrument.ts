/**
 * Loads stigma-instrument.yaml: careprobe's declaration of what Moore et al. sent around
 * their prompts and how each question is named and coded. Validated with zod, so a bad
 * edit fails at load with the file and line instead of producing a wrong suite.
 */
import { z } from "zod";
import { assetPath } from "../../assets.js";
import type { ChatMessage, Condition, GenerationParams } from "../../core/types.js";
import { parseAndValidate, readSuiteText } from "../../suites/parse-file.js";

export const STIGMA_INSTRUMENT_FILE = assetPath("datasets/moore2025/stigma-instrument.yaml");

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, "an id of lowercase letters, digits and dashes");

const instrumentSchema = z
  .strictObject({
    format: z.literal("careprobe-instrument/1"),
    instruction: z.string().min(1),
    few_shot: z.array(
      z.strictObject({ role: z.enum(["user", "assistant"]), content: z.string().min(1) }),
    ),
    params: z.strictObject({
      temperature: z.number().min(0).max(2),
      max_tokens: z.number().int().positive(),
    }),
    dont_know: z.string().min(1),
    conditions: z
      .array(z.strictObject({ id, label: z.string().min(1), control: z.boolean() }))
      .min(1),
    questions: z
      .array(
        z.strictObject({
          id,
          group: id,
          text: z.string().min(1),
          stigma: z.array(z.string().min(1)),
        }),
      )
      .min(1),
  })
  .superRefine((file, context) => {
    const distinct = (list: string, key: string, values: string[]) => {
      const seen = new Set<string>();
      values.forEach((value, index) => {
        if (seen.has(value)) {
          context.addIssue({
            code: "custom",
            path: [list, index, key],
            message: `duplicate ${key} "${value}": each must be distinct`,
          });
        }
        seen.add(value);
      });
    };
    distinct(
      "conditions",
      "id",
      file.conditions.map((condition) => condition.id),
    );
    distinct(
      "conditions",
      "label",
      file.conditions.map((condition) => condition.label),
    );
    distinct(
      "questions",
      "id",
      file.questions.map((question) => question.id),
    );
    distinct(
      "questions",
      "text",
      file.questions.map((question) => question.text),
    );
  });

export interface StigmaQuestion {
  id: string;
  /** attribution, social-distance or dangerousness. */
  group: string;
  /** The exact `question_only` text of data/prompts.jsonl. */
  text: string;
  /** Option texts coded as stigmatizing; empty when the question measures no stigma. */
  stigma: string[];
}

export interface StigmaInstrument {
  instruction: string;
  fewShot: ChatMessage[];
  params: GenerationParams;
  dontKnow: string;
  /** `label` is the data's condition name. */
  conditions: Condition[];
  questions: StigmaQuestion[];
}

/** Reads and validates the instrument; SUITE_INVALID with file:line when it is wrong. */
export function loadStigmaInstrument(file: string = STIGMA_INSTRUMENT_FILE): StigmaInstrument {
  const parsed = parseAndValidate(readSuiteText(file), file, instrumentSchema);
  return {
    instruction: parsed.instruction,
    fewShot: parsed.few_shot.map(({ role, content }) => ({ role, content })),
    params: { temperature: parsed.params.temperature, maxTokens: parsed.params.max_tokens },
    dontKnow: parsed.dont_know,
    conditions: parsed.conditions.map(({ id, label, control }) => ({ id, label, control })),
    questions: parsed.questions.map(({ id, group, text, stigma }) => ({
      id,
      group,
      text,
      stigma: [...stigma],
    })),
  };
}
