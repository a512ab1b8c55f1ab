/** What a multiple-choice item sends: the arm's prompt, the suite's instruction, few-shot turns, the item. */
import type { Arm, ChatMessage, ChoiceItem, ChoiceSuite } from "../../core/types.js";
import { systemMessage as joinSystemMessage } from "../../suites/system-message.js";

/** The system message: the arm's prompt, then the suite's answer instruction (as in the paper). */
export function systemMessage(suite: ChoiceSuite, arm: Arm): string {
  return joinSystemMessage(arm, "multiple-choice", suite.instruction);
}

export function itemMessages(suite: ChoiceSuite, arm: Arm, item: ChoiceItem): ChatMessage[] {
  return [
    { role: "system", content: systemMessage(suite, arm) },
    ...suite.fewShot,
    { role: "user", content: item.prompt },
  ];
}
