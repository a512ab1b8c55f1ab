/**
 * Scripting for the fake OpenAI-compatible server, so that one server can play the
 * simulated client, the target and the judges of a conversation. Each role is chosen by
 * the request's `model` (e.g. targets `openai:client`, `openai:affirms`, `openai:judge`)
 * and receives the request already read back into the conversation it carries.
 */
import { SESSION_START } from "../experiments/conversations/simulator.js";
import type { FakeChatRequest } from "./fake-openai-server.js";

export interface FakeTurn {
  role: "client" | "therapist";
  content: string;
}

/** The simulated client is asked for its next message. */
export interface ClientView {
  /** The simulator's system message (the suite's instruction and the persona's profile). */
  system: string;
  /** The conversation so far, in the client's and the therapist's words. */
  turns: FakeTurn[];
  /** The number of the client message being written (1-based). */
  turn: number;
}

/** The target is asked for the therapist's reply. */
export interface TargetView {
  system: string;
  turns: FakeTurn[];
  /** The number of the reply being written (1-based). */
  turn: number;
  /** The client's latest message. */
  client: string;
}

/** A judge is asked one yes/no question. */
export interface JudgeView {
  question: string;
  /** The options in the order they were shown: (A) then (B). */
  order: ["yes" | "no", "yes" | "no"];
  /** The conversation so far (turn checks) as the judge saw it. */
  query: string;
  /** The target's reply (turn checks), or the whole conversation (final checks). */
  response: string;
  final: boolean;
}

export type RoleScript =
  | { role: "client"; reply: (view: ClientView) => string }
  | { role: "target"; reply: (view: TargetView) => string }
  | { role: "judge"; answer: (view: JudgeView) => "yes" | "no" | string };

function speakerTurns(messages: FakeChatRequest["messages"], clientRole: string): FakeTurn[] {
  return messages
    .filter((m) => m.role !== "system" && m.content !== SESSION_START)
    .map((m) => ({
      role: m.role === clientRole ? "client" : "therapist",
      content: m.content,
    }));
}

const JUDGE_PATTERN =
  /^.*?\n\n([\s\S]*?)\n- \(A\): (yes|no)\n- \(B\): (yes|no)\n\n(?:Query: ([\s\S]*?)\nResponse: |Conversation: )```\n([\s\S]*)\n```$/;

/** Reads a verification-judge prompt back into its parts; undefined when it is not one. */
export function readJudgePrompt(request: FakeChatRequest): JudgeView | undefined {
  const content = request.messages.at(-1)?.content ?? "";
  const match = JUDGE_PATTERN.exec(content);
  if (!match) return undefined;
  const [, question = "", a, b, query, response = ""] = match;
  return {
    question,
    order: [a as "yes" | "no", b as "yes" | "no"],
    query: query ?? "",
    response,
    final: query === undefined,
  };
}

/** The letter a judge writes for `answer` under `order`; other text is passed through. */
export function letterFor(view: JudgeView, answer: string): string {
  if (answer !== "yes" && answer !== "no") return answer;
  return view.order[0] === answer ? "A" : "B";
}

/**
 * An `answer` function for `startFakeOpenAI`: the script of the request's model answers;
 * a model without a script gets a message saying so (which tests will notice).
 */
export function conversationAnswers(
  scripts: Record<string, RoleScript>,
): (request: FakeChatRequest) => string {
  return (request) => {
    const script = scripts[request.model];
    const system = request.messages.find((m) => m.role === "system")?.content ?? "";
    if (!script) return `no script for model ${request.model}`;
    if (script.role === "client") {
      const turns = speakerTurns(request.messages, "assistant");
      const turn = turns.filter((t) => t.role === "client").length + 1;
      return script.reply({ system, turns, turn });
    }
    if (script.role === "target") {
      const turns = speakerTurns(request.messages, "user");
      const turn = turns.filter((t) => t.role === "client").length;
      return script.reply({ system, turns, turn, client: turns.at(-1)?.content ?? "" });
    }
    const view = readJudgePrompt(request);
    if (!view) return "not a judge prompt";
    return letterFor(view, script.answer(view));
  };
}
