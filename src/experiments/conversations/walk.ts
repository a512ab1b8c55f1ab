/**
 * One conversation, turn by turn: the simulated client writes, the target answers, the
 * judges answer that turn's checks. Every request goes through `ask`, which returns a
 * stored answer when there is one: the same walk resumes a run (sending only what is
 * missing) and rebuilds a finished conversation for reports (sending nothing).
 */
import type { StepRef } from "../../core/run-record.js";
import type { ChatMessage, GenerationParams, Target, Turn } from "../../core/types.js";
import { readJudgeAnswer, type YesNo } from "../../judges/verification.js";
import { finalJudgeMessages, judgeOrder, targetMessages, turnJudgeMessages } from "./prompts.js";
import { readClientMessage, simulatorMessages } from "./simulator.js";
import { type ConversationsSuite, checksAt, type Persona, turnLimit } from "./suite.js";
import { type CheckVerdict, panelVerdict } from "./verdicts.js";

/** The roles a conversation asks: the simulated client, the target, the judges. */
export type ConversationRole = Extract<StepRef["role"], "client" | "target" | "judge">;

/**
 * One request of a conversation (the runner's `Ask`); its step is the store's typed step
 * (role, 0-based turn, check, judge), by which the collector finds it again.
 */
export interface AskRequest {
  step: StepRef & { role: ConversationRole };
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

/** What the walk asks its driver for: one answer, a batch started now, or a batch's answers. */
type Effect =
  | { type: "ask"; request: AskRequest }
  | { type: "fork"; requests: AskRequest[] }
  | { type: "join"; handle: unknown };

type Walk = Generator<Effect, WalkedConversation, unknown>;

interface PlannedJudgement {
  check: number;
  judge: number;
  order: [YesNo, YesNo];
  request: AskRequest;
}

function judgements(
  roles: WalkRoles,
  turn: number | undefined,
  checks: Array<{ index: number; question: string }>,
  messagesFor: (question: string, order: [YesNo, YesNo]) => ChatMessage[],
  orderFor: (check: number, judgeIndex: number) => [YesNo, YesNo],
): PlannedJudgement[] {
  return checks.flatMap(({ index, question }) =>
    roles.judges.map((target, judgeIndex) => {
      const order = orderFor(index, judgeIndex);
      return {
        check: index,
        judge: judgeIndex,
        order,
        request: {
          step: {
            role: "judge",
            ...(turn === undefined ? {} : { turn }),
            check: index,
            judge: judgeIndex,
          },
          target,
          messages: messagesFor(question, order),
          params: JUDGE_PARAMS,
          sample: 0,
          choices: ["A", "B"],
          meta: { judge: target.spec, check: index, order },
        } satisfies AskRequest,
      };
    }),
  );
}

/** Pairs planned judgements with their answers. */
const answered = (planned: PlannedJudgement[], answers: Answer[]): Judgement[] =>
  planned.map(({ check, judge, order }, i) => ({
    check,
    judge,
    order,
    answer: answers[i] ?? { status: "skipped", key: "" },
  }));

/** Whether the panel found any critical check of a turn failed. */
function criticalFailed(persona: Persona, list: Judgement[]): boolean {
  return persona.checks.some((check, index) => {
    if (check.severity !== "critical") return false;
    const verdict: CheckVerdict = panelVerdict(
      list
        .filter((j) => j.check === index)
        .map((j) => (j.answer.status === "ok" ? readJudgeAnswer(j.answer.text, j.order) : null)),
    );
    return verdict !== null && verdict !== check.appropriate;
  });
}

/** A request that did not give an answer ends the walk: failed, or still to be sent. */
const ended = (answer: Answer): EndReason => (answer.status === "error" ? "error" : "pending");

type ClientTurn =
  | { text: string; answer: Answer | null }
  | { end: EndReason; answer: Answer | null };

/** The client's next message: the simulator's reply, read for the stop marker. */
function* clientTurn(
  roles: WalkRoles,
  options: WalkOptions,
  turns: Turn[],
): Generator<Effect, ClientTurn, unknown> {
  const { suite, persona, sample } = options;
  const answer = (yield {
    type: "ask",
    request: {
      step: { role: "client", turn: turns.length / 2 },
      target: roles.client,
      messages: simulatorMessages(suite.simulator.instruction, persona.profile, turns),
      params: suite.simulator.params,
      sample,
    },
  }) as Answer;
  if (answer.status !== "ok") return { end: ended(answer), answer };
  const reading = readClientMessage(answer.text);
  if (reading.status === "stop") return { end: "client-stop", answer };
  if (reading.status === "blank") return { end: "client-blank", answer };
  return { text: reading.text, answer };
}

/** The conversation as a sequence of effects; the drivers below carry them out. */
function* walk(roles: WalkRoles, options: WalkOptions): Walk {
  const { suite, persona, sample, seed } = options;
  const limit = turnLimit(suite, persona, options.maxTurns);
  const turns: Turn[] = [];
  const walked: WalkedTurn[] = [];
  const forks: Array<{ entry: WalkedTurn; planned: PlannedJudgement[]; handle: unknown }> = [];
  let end: EndReason = "max-turns";
  for (let turn = 1; turn <= limit; turn++) {
    const client: ClientTurn =
      turn === 1 && persona.opening !== undefined
        ? { text: persona.opening, answer: null }
        : yield* clientTurn(roles, options, turns);
    if ("end" in client) {
      end = client.end;
      break;
    }
    turns.push({ role: "client", content: client.text });
    const before = [...turns];
    const targetAnswer = (yield {
      type: "ask",
      request: {
        step: { role: "target", turn: turn - 1 },
        target: roles.target,
        messages: targetMessages(options.armPrompt, suite.charLimit, before),
        params: options.params ?? suite.params,
        sample,
      },
    }) as Answer;
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
    // This turn's judges run while the conversation goes on: nothing they say feeds it.
    const planned = judgements(
      roles,
      turn - 1,
      checksAt(persona, turn).map(({ index, check }) => ({ index, question: check.question })),
      (question, order) => turnJudgeMessages(question, before, reply, order),
      (check, judgeIndex) =>
        judgeOrder(seed, persona.id, sample, `turn:${turn}:${check}`, judgeIndex),
    );
    const handle = yield { type: "fork", requests: planned.map((p) => p.request) };
    forks.push({ entry, planned, handle });
    if (options.stopOnCritical) {
      const list = answered(planned, (yield { type: "join", handle }) as Answer[]);
      if (criticalFailed(persona, list)) {
        end = "critical";
        break;
      }
    }
  }
  let final: Judgement[] = [];
  if (end !== "pending" && end !== "error" && walked.length > 0) {
    const transcript = [...turns];
    const planned = judgements(
      roles,
      undefined,
      persona.finalChecks.map((check, index) => ({ index, question: check.question })),
      (question, order) => finalJudgeMessages(question, transcript, order),
      (check, judgeIndex) => judgeOrder(seed, persona.id, sample, `final:${check}`, judgeIndex),
    );
    const handle = yield { type: "fork", requests: planned.map((p) => p.request) };
    final = answered(planned, (yield { type: "join", handle }) as Answer[]);
  }
  for (const fork of forks) {
    fork.entry.judgements = answered(
      fork.planned,
      (yield { type: "join", handle: fork.handle }) as Answer[],
    );
  }
  return { persona, sample, turns: walked, final, end };
}

/** Walks a conversation through the runner: sends what is missing, reads what is stored. */
export async function walkConversation(
  ask: Ask,
  roles: WalkRoles,
  options: WalkOptions,
): Promise<WalkedConversation> {
  const steps = walk(roles, options);
  let input: unknown;
  for (;;) {
    const next = steps.next(input);
    if (next.done) return next.value;
    const effect = next.value;
    if (effect.type === "ask") input = await ask(effect.request);
    else if (effect.type === "fork") input = Promise.all(effect.requests.map((r) => ask(r)));
    else input = await (effect.handle as Promise<Answer[]>);
  }
}

/** Walks a conversation synchronously with an `ask` that answers at once (from the store). */
export function walkStored(
  ask: (request: AskRequest) => Answer,
  roles: WalkRoles,
  options: WalkOptions,
): WalkedConversation {
  const steps = walk(roles, options);
  let input: unknown;
  for (;;) {
    const next = steps.next(input);
    if (next.done) return next.value;
    const effect = next.value;
    if (effect.type === "ask") input = ask(effect.request);
    else if (effect.type === "fork") input = effect.requests.map((r) => ask(r));
    else input = effect.handle;
  }
}
