/**
 * Arms: the experimental conditions applied to every item. `none` sends only the
 * suite's answer instruction; `standard-of-care` puts careprobe's own prompt, written
 * from the 17 features of good care, before it; a path uses the user's own prompt file.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { assetPath } from "../assets.js";
import { CareprobeError } from "../core/errors.js";
import type { Arm } from "../core/types.js";

export const BUILTIN_ARMS = ["none", "standard-of-care"] as const;

export function standardOfCarePrompt(): string {
  return readFileSync(assetPath("suites/builtin/standard-of-care.md"), "utf8").trim();
}

export function resolveArm(spec: string): Arm {
  if (spec === "none")
    return { id: "none", description: "no system prompt beyond the answer instruction" };
  if (spec === "standard-of-care") {
    return {
      id: "standard-of-care",
      systemPrompt: standardOfCarePrompt(),
      description: "careprobe's standard-of-care therapist prompt",
    };
  }
  let text: string;
  try {
    text = readFileSync(spec, "utf8").trim();
  } catch {
    throw new CareprobeError(
      "BAD_ARGUMENT",
      `Unknown arm \`${spec}\`: not a built-in arm and not a readable file.`,
      {
        hint: `Use ${BUILTIN_ARMS.join(" or ")}, or a path to a text file holding a system prompt.`,
      },
    );
  }
  if (!text) throw new CareprobeError("BAD_ARGUMENT", `The system prompt file ${spec} is empty.`);
  const digest = createHash("sha256").update(text).digest("hex").slice(0, 8);
  return {
    id: `prompt:${basename(spec)}@${digest}`,
    systemPrompt: text,
    description: `system prompt from ${spec}`,
  };
}
