/**
 * One conversation, turn by turn: the simulated client writes, the target answers, the
 * judges answer that turn's checks. Every request goes through `ask`, which returns a
 * stored answer when there is one: the same walk resumes a run (sending only what is
 * missing) and rebuilds a finished conversation for reports (sending nothing).
 */
import type { ChatMessage, GenerationParams, Target, Turn } from "../../core/types.js";
import { readJudgeAnswer, type YesNo } from "../../judges/verification.js";
import { finalJudgeMessages, judgeOrder, targetMessages, turnJudgeMessages } from "./prompts.js";
import { readClientMessage, simulatorMessages } from "./simulator.js";
import { type ConversationsSuite, checksAt, type Persona, turnLimit } from "./suite.js";
import { type CheckVerdict, panelVerdict } from "./verdicts.js";

export type ConversationRole = "client" | "target" | "judge";

/** Which step of a conversation a request fills (turn is 0-based, as the runner stores it). */
export interface StepRef {
  role: ConversationRole;
  turn?: number;
  check?: number;
  judge?: number;
}

/** One request of a conversation (the runner's `Ask`). */
export interface AskRequest {
  step: StepRef;
  target: Target;
  messages: ChatMessage[];
  params: GenerationParams;
  sample: number;
  choices?: string[];
  meta?: Record<string, unknown>;
}

/** What the runner knows of one request: answered, failed after retries, or not sent. */
export type Answer =
  | { status: "ok"; key: string; text: string; warnings?: string[] }
  | { status: "error"; key: string; error: string }
  | { status: "skipped"; key: string };

export type Ask = (request: AskRequest) => Promise<Answer>;

export const JUDGE_PARAMS: GenerationParams = { temperature: 0, maxTokens: 16 };

export interface Judgement {
  check: number;
  judge: number;
  order: [YesNo, YesNo];
  answer: Answer;
}

export interface WalkedTurn {
  turn: number;
  /** The client's message as sent to the target. */
  client: string;
  /** The simulator's request; null when the persona's opening was sent as written. */
  clientAnswer: Answer | null;
  targetAnswer: Answer;
  /** The reply cut to the suite's character limit: what the client and the judges read. */
  reply: string;
  judgements: Judgement[];
}

/**
 * Why a conversation ended: the turn limit, the client's stop marker, an empty client
 * message, an empty target reply, the first critical failure (--stop-on-critical), a
 * request that failed after its retries, or not yet (a request is still to be sent).
 */
export type EndReason =
  | "max-turns"
  | "client-stop"
  | "client-blank"
  | "target-blank"
  | "critical"
  | "error"
  | "pending";

export interface WalkedConversation {
  persona: Persona;
  sample: number;
  turns: WalkedTurn[];
  final: Judgement[];
  end: EndReason;
}

export interface WalkRoles {
  client: Target;
  target: Target;
  judges: Target[];
}

export interface WalkOptions {
  suite: ConversationsSuite;
  persona: Persona;
  sample: number;
  armPrompt: string | undefined;
  /** The target's sampling settings (the suite's under --temperature, --max-tokens). */
  params?: GenerationParams;
  /** Overrides every persona's limit (--max-turns). */
  maxTurns?: number;
  stopOnCritical: boolean;
  seed: number;
}

function judge(
  ask: Ask,
  roles: WalkRoles,
  step: { turn?: number },
  check: number,
  messagesFor: (order: [YesNo, YesNo]) => ChatMessage[],
  orderFor: (judgeIndex: number) => [YesNo, YesNo],
): Array<Promise<Judgement>> {
  return roles.judges.map(async (target, judgeIndex) => {
    const order = orderFor(judgeIndex);
    const answer = await ask({
      step: { ...step, role: "judge", check, judge: judgeIndex },
      target,
      messages: messagesFor(order),
      params: JUDGE_PARAMS,
      sample: 0,
      choices: ["A", "B"],
      meta: { judge: target.spec, check, order },
    });
    return { check, judge: judgeIndex, order, answer };
  });
}

/** The panel's verdict on each critical check of a turn, read from its judgements. */
function criticalFailed(persona: Persona, judgements: Judgement[]): boolean {
  return persona.checks.some((check, index) => {
    if (check.severity !== "critical") return false;
    const verdict: CheckVerdict = panelVerdict(
      judgements
        .filter((j) => j.check === index)
        .map((j) =>
          j.answer.status === "ok" ? readJudgeAnswer(j.answer.text ?? "", j.order) : null,
        ),
    );
    return verdict !== null && verdict !== check.appropriate;
  });
}

/** A request that did not give an answer ends the walk: failed, or still to be sent. */
const ended = (answer: Answer): EndReason => (answer.status === "error" ? "error" : "pending");

/** The client's next message: the opening as written, or the simulator's. */
async function clientTurn(
  ask: Ask,
  roles: WalkRoles,
  options: WalkOptions,
  turns: Turn[],
): Promise<{ text: string; answer: Answer | null } | { end: EndReason; answer: Answer | null }> {
  const { suite, persona, sample } = options;
  const messages = simulatorMessages(suite.simulator.instruction, persona.profile, turns);
  const answer = await ask({
    step: { role: "client", turn: turns.length / 2 },
    target: roles.client,
    messages,
    params: suite.simulator.params,
    sample,
  });
  if (answer.status !== "ok") return { end: ended(answer), answer };
  const reading = readClientMessage(answer.text);
  if (reading.status === "stop") return { end: "client-stop", answer };
  if (reading.status === "blank") return { end: "client-blank", answer };
  return { text: reading.text, answer };
}

export async function walkConversation(
  ask: Ask,
  roles: WalkRoles,
  options: WalkOptions,
): Promise<WalkedConversation> {
  const { suite, persona, sample, seed } = options;
  const limit = turnLimit(suite, persona, options.maxTurns);
  const turns: Turn[] = [];
  const walked: WalkedTurn[] = [];
  const pendingJudgements: Array<Promise<Judgement[]>> = [];
  let end: EndReason = "max-turns";
  for (let turn = 1; turn <= limit; turn++) {
    // The opening is sent as written, at once: a unit's first request is asked synchronously.
    const client =
      turn === 1 && persona.opening !== undefined
        ? { text: persona.opening, answer: null }
        : await clientTurn(ask, roles, options, turns);
    if ("end" in client) {
      end = client.end;
      break;
    }
    turns.push({ role: "client", content: client.text });
    const before = [...turns];
    const messages = targetMessages(options.armPrompt, suite.charLimit, before);
    const targetAnswer = await ask({
      step: { role: "target", turn: turn - 1 },
      target: roles.target,
      messages,
      params: options.params ?? suite.params,
      sample,
    });
    if (targetAnswer.status !== "ok") {
      end = ended(targetAnswer);
      break;
    }
    const reply = targetAnswer.text.slice(0, suite.charLimit);
    const entry: WalkedTurn = {
      turn,
      client: client.text,
      clientAnswer: client.answer,
      targetAnswer,
      reply,
      judgements: [],
    };
    walked.push(entry);
    turns.push({ role: "therapist", content: reply });
    if (reply.trim() === "") {
      end = "target-blank";
      break;
    }
    // The judges of this turn run while the conversation goes on: nothing they say feeds it.
    const judged = Promise.all(
      checksAt(persona, turn).flatMap(({ index, check }) =>
        judge(
          ask,
          roles,
          { turn: turn - 1 },
          index,
          (order) => turnJudgeMessages(check.question, before, reply, order),
          (judgeIndex) => judgeOrder(seed, persona.id, sample, `turn:${turn}:${index}`, judgeIndex),
        ),
      ),
    ).then((list) => {
      entry.judgements = list;
      return list;
    });
    pendingJudgements.push(judged);
    if (options.stopOnCritical && criticalFailed(persona, await judged)) {
      end = "critical";
      break;
    }
  }
  const final: Judgement[] = [];
  if (end !== "pending" && end !== "error" && walked.length > 0) {
    const transcript = [...turns];
    const finals = persona.finalChecks.flatMap((check, index) =>
      judge(
        ask,
        roles,
        {},
        index,
        (order) => finalJudgeMessages(check.question, transcript, order),
        (judgeIndex) => judgeOrder(seed, persona.id, sample, `final:${index}`, judgeIndex),
      ),
    );
    final.push(...(await Promise.all(finals)));
  }
  await Promise.all(pendingJudgements);
  return { persona, sample, turns: walked, final, end };
}
