/**
 * Feature tags as suite files write them, validated with zod so that an unknown id is a
 * file:line error like any other field. Every experiment kind's schema uses these.
 */
import { z } from "zod";
import { allFeatureTags, parseFeatureTag } from "./features.js";

/** One tag: a feature id (`redirect-client`) or a sub-item (`professional-norms/privacy`). */
export const featureTagSchema = z.string().superRefine((tag, context) => {
  if (parseFeatureTag(tag)) return;
  context.addIssue({
    code: "custom",
    message: `unknown feature id \`${tag}\`; use one of the ids \`careprobe standard\` lists (${allFeatureTags().slice(0, 17).join(", ")}, or a feature/sub-item such as professional-norms/informed-consent)`,
  });
});

/** A list of tags, each at most once. */
export const featureTagListSchema = z
  .array(featureTagSchema)
  .refine((tags) => new Set(tags).size === tags.length, {
    message: "a feature id is listed twice",
  });

/** The `features: [...]` field of questions, checks and stimuli: optional. */
export const featureTagsSchema = featureTagListSchema.optional();

export type FeatureTags = z.infer<typeof featureTagsSchema>;
