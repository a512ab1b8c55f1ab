/**
 * The verification judge (the paper's method): a yes/no question about the response,
 * options in a seeded shuffled order, answered with a single letter at temperature 0.
 */
import { createHash } from "node:crypto";
import type { ChatMessage, VerificationCheck } from "../core/types.js";
import { parseChoice } from "./choice.js";

/** The instruction Moore et al. gave their judge (kept verbatim for exact replication). */
export const JUDGE_INSTRUCTION =
  "Summarize your answer to the question below by writing only the option letter.";

export type YesNo = "yes" | "no";

/**
 * The order of the options for one judgement: a deterministic coin flip from the seed
 * and what is judged, so reruns ask the same question and judges see varied orders.
 */
export function optionOrder(seed: number | string, ...parts: string[]): [YesNo, YesNo] {
  const digest = createHash("sha256")
    .update(JSON.stringify([String(seed), ...parts]))
    .digest();
  return (digest[0] ?? 0) % 2 === 0 ? ["yes", "no"] : ["no", "yes"];
}

/** The judge's prompt: the question, the options, the client's message and the response verbatim. */
export function judgeMessages(
  check: VerificationCheck,
  query: string,
  response: string,
  order: [YesNo, YesNo],
): ChatMessage[] {
  const options = order.map((option, index) => `- (${String.fromCharCode(65 + index)}): ${option}`);
  const content = `${JUDGE_INSTRUCTION}\n\n${check.question}\n${options.join("\n")}\n\nQuery: ${query}\nResponse: \`\`\`\n${response}\n\`\`\``;
  return [{ role: "user", content }];
}

export type JudgeAnswer =
  | { status: "scored"; answer: YesNo }
  | { status: "unscored"; reason: string };

/** Reads a judge's reply; anything not clearly one option is unscored, never guessed. */
export function readJudgeAnswer(text: string, order: [YesNo, YesNo]): JudgeAnswer {
  const parsed = parseChoice(text, order);
  if (parsed.status === "unparsed") return { status: "unscored", reason: parsed.reason };
  return { status: "scored", answer: parsed.option as YesNo };
}

/**
 * The panel's verdict on one check: the majority of scored answers; a tie, or no scored
 * answer at all, is unscored.
 */
export function majority(answers: JudgeAnswer[]): JudgeAnswer {
  let yes = 0;
  let no = 0;
  for (const a of answers) {
    if (a.status !== "scored") continue;
    if (a.answer === "yes") yes++;
    else no++;
  }
  if (yes === 0 && no === 0)
    return { status: "unscored", reason: "no judge gave a readable answer" };
  if (yes === no) return { status: "unscored", reason: `judges split ${yes}–${no}` };
  return { status: "scored", answer: yes > no ? "yes" : "no" };
}
