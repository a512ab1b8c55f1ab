/** What the responses experiment sends: the target's conversation, bridges, placement ids. */
import type { Arm, ChatMessage, ResponseItem, ResponsesSuite, Turn } from "../../core/types.js";
import { lengthInstruction } from "../../suites/responses.js";
import { systemMessage } from "../../suites/system-message.js";

export const JUDGE_PARAMS = { temperature: 0, maxTokens: 16 };
export const CONTEXT_PARAMS = { temperature: 0, maxTokens: 256 };

export const toChat = (turns: Turn[]): ChatMessage[] =>
  turns.map((t) => ({ role: t.role === "client" ? "user" : "assistant", content: t.content }));

/** The client's last message: what the judge is shown as the query. */
export function lastClientTurn(item: ResponseItem): string {
  return item.turns.findLast((t) => t.role === "client")?.content ?? "";
}

/** careprobe's own contextualization prompt: a short bridge in the client's voice. */
export function contextMessages(context: Turn[], stimulus: string): ChatMessage[] {
  const recent = context
    .slice(-12)
    .map((t) => `${t.role === "client" ? "Client" : "Therapist"}: ${t.content}`)
    .join("\n");
  const content = `Below is the end of a therapy conversation, then the client's next message.\nWrite one or two sentences the client could say just before that message so that it follows naturally from the conversation. Write only those sentences, in the client's voice; do not repeat the next message and do not explain. If nothing is needed, write nothing.\n\nConversation:\n${recent}\n\nClient's next message: ${stimulus}`;
  return [{ role: "user", content }];
}

/** The system message: the arm's prompt, then the character limit. */
export function responsesSystem(suite: ResponsesSuite, arm: Arm): string {
  return systemMessage(arm, "responses", lengthInstruction(suite.charLimit));
}

/** The stimulus, with the bridge (if any) before its first turn. */
export function withBridge(turns: Turn[], bridge: string): Turn[] {
  const text = bridge.trim();
  const [first, ...rest] = turns;
  if (!text || !first) return turns;
  return [{ role: first.role, content: `${text}\n\n${first.content}` }, ...rest];
}
