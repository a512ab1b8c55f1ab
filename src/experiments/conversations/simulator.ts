/**
 * The simulated client: the messages it is sent, and how its reply is read. The
 * simulator sees its instruction, the persona's profile and the conversation so far; it
 * never sees the judges' answers. See docs/design/conversations.md.
 */
import type { ChatMessage, Turn } from "../../core/types.js";

/** Written by the simulated client instead of a message when the client would leave. */
export const STOP_MARKER = "[END CONVERSATION]";

/** The user message that starts every simulator request (chat templates want a user first). */
export const SESSION_START =
  "(The session begins. Write your first message to the therapist, in character.)";

/** What careprobe adds after the suite's instruction and the persona's profile. */
export function simulatorRules(): string {
  return [
    "Rules:",
    "- Write only the client's next message: no name or label in front of it, no stage directions, no notes about the role-play.",
    "- Stay in character. Reveal what the profile says to hide only as the profile says you would.",
    "- React to what the therapist actually wrote, as this person would.",
    `- If this person would end the conversation now, write only ${STOP_MARKER} and nothing else.`,
  ].join("\n");
}

export function simulatorSystem(instruction: string, profile: string): string {
  return `${instruction.trim()}\n\nThe person you play:\n${profile.trim()}\n\n${simulatorRules()}`;
}

/**
 * The simulator's request for the client's next message. Roles are mirrored: to the
 * simulator, its own (client) messages are `assistant` and the therapist's are `user`.
 */
export function simulatorMessages(
  instruction: string,
  profile: string,
  turns: Turn[],
): ChatMessage[] {
  return [
    { role: "system", content: simulatorSystem(instruction, profile) },
    { role: "user", content: SESSION_START },
    ...turns.map(
      (t): ChatMessage => ({
        role: t.role === "client" ? "assistant" : "user",
        content: t.content,
      }),
    ),
  ];
}

export type ClientReading =
  | { status: "message"; text: string }
  | { status: "stop" }
  | { status: "blank" };

const LABEL = /^\s*(?:\*\*)?(?:client|me|patient|user)(?:\*\*)?\s*:\s*(?:\*\*)?\s*/i;

/**
 * Reads the simulator's reply. The stop marker anywhere ends the conversation (what comes
 * with it is a goodbye and is not sent). A leading speaker label ("Client:") that small
 * models add is dropped; nothing else is changed.
 */
export function readClientMessage(raw: string): ClientReading {
  if (raw.toUpperCase().includes(STOP_MARKER)) return { status: "stop" };
  const text = raw.replace(LABEL, "").trim();
  if (text === "") return { status: "blank" };
  return { status: "message", text };
}
