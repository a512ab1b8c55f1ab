/**
 * Arms: the experimental conditions applied to every item. `none` sends only the
 * suite's answer instruction; `standard-of-care` puts careprobe's own prompt, written
 * from the 17 features of good care, before it; `steel-man` is the paper's therapist
 * prompt and the keys of the paper's OTHER_PAPER_PROMPTS are the prompts of three other
 * papers (these need `careprobe fetch moore2025`); a path uses the user's own prompt file.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { basename } from "node:path";
import { assetPath } from "../assets.js";
import { CareprobeError } from "../core/errors.js";
import { readInputText } from "../core/input-file.js";
import type { Arm } from "../core/types.js";
import { requireMoore2025 } from "../importers/moore2025/fetch.js";
import { loadMoore2025Prompts } from "../importers/moore2025/prompts.js";

export const BUILTIN_ARMS = ["none", "standard-of-care"] as const;

/** Arms from the paper's utils.py: its steel-man prompt and the other papers' prompts. */
export const MOORE2025_ARMS = [
  "steel-man",
  "chiu_computational_2024",
  "aleem_towards_2024",
  "kumar_exploring_2022",
] as const;

export function standardOfCarePrompt(): string {
  return readFileSync(assetPath("suites/builtin/standard-of-care.md"), "utf8").trim();
}

function paperArm(spec: string, home: string): Arm {
  const prompts = loadMoore2025Prompts(requireMoore2025(home, "prompts"));
  if (spec === "steel-man") {
    return {
      id: "steel-man",
      // utils.py's STEEL_MAN_PROMPT ends with a newline. stigma.py joins it to the answer
      // instruction with a further "\n"; interjections.py appends the length instruction
      // directly (THERAPIST_PROMPT = STEEL_MAN_PROMPT + CHARACTER_LIMIT_PROMPT).
      systemPrompt: prompts.steelMan,
      instructionSeparator: { "multiple-choice": "\n", responses: "" },
      description: "the steel-man therapist prompt of Moore et al. (2025)",
    };
  }
  const prompt = prompts.otherPapers.get(spec);
  if (prompt === undefined) throw unknownArm(spec);
  return {
    id: spec,
    systemPrompt: prompt,
    description: `the therapist prompt of ${spec}, as collected in OTHER_PAPER_PROMPTS of Moore et al. (2025)`,
  };
}

function unknownArm(spec: string): CareprobeError {
  return new CareprobeError(
    "BAD_ARGUMENT",
    `Unknown arm \`${spec}\`: not a built-in arm and not a readable file.`,
    {
      hint: `Use ${[...BUILTIN_ARMS, ...MOORE2025_ARMS].join(", ")}, or a path to a text file holding a system prompt.`,
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
  if ((MOORE2025_ARMS as readonly string[]).includes(spec)) return paperArm(spec, home);
  if (!existsSync(spec) && !/[/\\]|\.[A-Za-z0-9]+$/.test(spec)) throw unknownArm(spec);
  const text = readInputText(spec, {
    what: "system prompt file",
    kind: "prompt",
    hint: `--arm takes ${[...BUILTIN_ARMS, ...MOORE2025_ARMS].join(", ")}, or a path to a text file holding a system prompt.`,
  }).trim();
  if (!text) throw new CareprobeError("BAD_ARGUMENT", `The system prompt file ${spec} is empty.`);
  const digest = createHash("sha256").update(text).digest("hex").slice(0, 8);
  return {
    id: `prompt:${basename(spec)}@${digest}`,
    systemPrompt: text,
    description: `system prompt from ${spec}`,
  };
}
