/**
 * Arms: the experimental conditions applied to every item. `none` sends only the
 * suite's answer instruction; `standard-of-care` puts careprobe's own prompt, written
 * from the 17 features of good care, before it; datasets add their own (the paper's
 * `steel-man` and the other papers' prompts, after `careprobe fetch moore2025`); a path
 * uses the user's own prompt file.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { basename } from "node:path";
import { assetPath } from "../assets.js";
import { CareprobeError } from "../core/errors.js";
import { readInputText } from "../core/input-file.js";
import type { Arm } from "../core/types.js";
import { DATASETS } from "./datasets.js";

export const BUILTIN_ARMS = ["none", "standard-of-care"] as const;

/** Arms the datasets bring (the paper's steel-man prompt and the other papers' prompts). */
const DATASET_ARMS = DATASETS.flatMap((d) => d.arms);

/** Every arm name `--arm` accepts besides a prompt file. */
export const ARM_NAMES: readonly string[] = [...BUILTIN_ARMS, ...DATASET_ARMS.map((a) => a.name)];

export function standardOfCarePrompt(): string {
  return readFileSync(assetPath("suites/builtin/standard-of-care.md"), "utf8").trim();
}

function unknownArm(spec: string): CareprobeError {
  return new CareprobeError(
    "BAD_ARGUMENT",
    `Unknown arm \`${spec}\`: not a built-in arm and not a readable file.`,
    {
      hint: `Use ${ARM_NAMES.join(", ")}, or a path to a text file holding a system prompt.`,
    },
  );
}

export function resolveArm(spec: string, home = ".careprobe"): Arm {
  if (spec === "none")
    return { id: "none", description: "no system prompt beyond the answer instruction" };
  if (spec === "standard-of-care") {
    return {
      id: "standard-of-care",
      systemPrompt: standardOfCarePrompt(),
      description: "careprobe's standard-of-care therapist prompt",
    };
  }
  const fromDataset = DATASET_ARMS.find((arm) => arm.name === spec);
  if (fromDataset) return fromDataset.resolve(home);
  if (!existsSync(spec) && !/[/\\]|\.[A-Za-z0-9]+$/.test(spec)) throw unknownArm(spec);
  const text = readInputText(spec, {
    what: "system prompt file",
    kind: "prompt",
    hint: `--arm takes ${ARM_NAMES.join(", ")}, or a path to a text file holding a system prompt.`,
  }).trim();
  if (!text) throw new CareprobeError("BAD_ARGUMENT", `The system prompt file ${spec} is empty.`);
  const digest = createHash("sha256").update(text).digest("hex").slice(0, 8);
  return {
    id: `prompt:${basename(spec)}@${digest}`,
    systemPrompt: text,
    description: `system prompt from ${spec}`,
  };
}
