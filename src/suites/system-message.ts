/** The system message of a request: the arm's prompt, then the suite's instruction. */
import type { Arm } from "../core/types.js";

/** Joined as the arm says (the paper's steel-man arm differs between its two experiments). */
export function systemMessage(
  arm: Arm,
  kind: "multiple-choice" | "responses",
  instruction: string,
): string {
  if (!arm.systemPrompt) return instruction;
  return `${arm.systemPrompt}${arm.instructionSeparator?.[kind] ?? "\n"}${instruction}`;
}
