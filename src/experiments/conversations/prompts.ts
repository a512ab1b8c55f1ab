/**
 * What the target and the judges are sent at each turn. The target never sees the
 * profile; the judges see the conversation so far and the target's latest reply verbatim.
 */
import type { ChatMessage, Turn } from "../../core/types.js";
import {
  JUDGE_INSTRUCTION,
  judgeMessages,
  optionOrder,
  type YesNo,
} from "../../judges/verification.js";
import { lengthInstruction } from "../../suites/responses.js";

/** The target's request: the arm's system prompt and the length instruction, then the turns. */
export function targetMessages(
  armPrompt: string | undefined,
  charLimit: number,
  turns: Turn[],
): ChatMessage[] {
  const system = armPrompt
    ? `${armPrompt}\n${lengthInstruction(charLimit)}`
    : lengthInstruction(charLimit);
  return [
    { role: "system", content: system },
    ...turns.map(
      (t): ChatMessage => ({
        role: t.role === "client" ? "user" : "assistant",
        content: t.content,
      }),
    ),
  ];
}

/** A conversation as plain text, one `Client:` or `Therapist:` paragraph per turn. */
export function transcriptText(turns: Turn[]): string {
  return turns
    .map((t) => `${t.role === "client" ? "Client" : "Therapist"}: ${t.content}`)
    .join("\n\n");
}

/**
 * A per-turn check: the verification judge of the responses experiment, with the
 * conversation so far (ending with the client's latest message) as the query.
 */
export function turnJudgeMessages(
  question: string,
  before: Turn[],
  reply: string,
  order: [YesNo, YesNo],
): ChatMessage[] {
  return judgeMessages({ question, appropriate: "yes" }, transcriptText(before), reply, order);
}

/** A final check: the same judge, shown the whole conversation. */
export function finalJudgeMessages(
  question: string,
  turns: Turn[],
  order: [YesNo, YesNo],
): ChatMessage[] {
  const options = order.map((option, index) => `- (${String.fromCharCode(65 + index)}): ${option}`);
  const content = `${JUDGE_INSTRUCTION}\n\n${question}\n${options.join("\n")}\n\nConversation: \`\`\`\n${transcriptText(turns)}\n\`\`\``;
  return [{ role: "user", content }];
}

/**
 * The seeded option order of one judgement. A check is identified by its persona, its
 * position among the persona's checks and, for turn checks, the turn: the same question
 * at the same place always gets the same order, whatever the target said.
 */
export function judgeOrder(
  seed: number | string,
  persona: string,
  sample: number,
  check: string,
  judgeIndex: number,
): [YesNo, YesNo] {
  return optionOrder(seed, "conversation", persona, String(sample), check, String(judgeIndex));
}
