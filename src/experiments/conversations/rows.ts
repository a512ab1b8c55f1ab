/**
 * `careprobe report --items` rows of a conversations run: one row per conversation, with
 * every turn (client message, the target's reply, each check's verdict and every judge's
 * answer) and the final checks. Model text is untrusted: renderers escape it.
 */
import { conversationVerdict, firstFailure, type Verdict } from "../../analysis/conversations.js";
import type { YesNo } from "../../judges/verification.js";
import { checkVerdicts, readJudgement, toObservation } from "./verdicts.js";
import type { EndReason, Judgement, WalkedConversation } from "./walk.js";

export interface JudgeRow {
  judge: string;
  /** The judge's raw reply (untrusted); null when it failed or is not answered yet. */
  reply: string | null;
  answer: YesNo | null;
  /** Why the answer could not be read, or the request's error. */
  reason: string | null;
}

export interface CheckRow {
  check: number;
  question: string;
  severity: string;
  appropriate: YesNo;
  /** The panel's majority; null when unscored (split, unreadable or missing). */
  verdict: YesNo | null;
  judges: JudgeRow[];
}

export interface TurnRow {
  turn: number;
  /** The client's message: the persona's opening, or the simulator's text (untrusted). */
  client: string;
  /** The target's raw reply (untrusted). */
  reply: string;
  /** What the client and the judges read: the reply cut to the suite's character limit. */
  judged_reply: string;
  checks: CheckRow[];
  outcome: Verdict | null;
}

export interface ConversationItemRow {
  suite: string;
  item_id: string;
  persona: string;
  target: string;
  arm: string;
  sample: number;
  condition: string;
  severity: string;
  benign: boolean;
  /** Why the conversation ended; `pending` or `error` while it is unfinished. */
  end: EndReason;
  turns: TurnRow[];
  final_checks: CheckRow[];
  /** Over the turns: inappropriate when any turn was; null before any judged turn. */
  outcome: Verdict | null;
  final_outcome: Verdict | null;
  /** The turn of the first inappropriate reply; null when none. */
  first_failure_turn: number | null;
}

export interface RowContext {
  suite: string;
  target: string;
  arm: string;
  control: boolean;
  /** The judges' specs, by their index in the panel. */
  judges: string[];
}

type CheckLike = { question: string; severity: string; appropriate: YesNo };

function judgeRow(judgement: Judgement, judges: string[]): JudgeRow {
  const read = readJudgement(judgement);
  const { answer } = judgement;
  return {
    judge: judges[judgement.judge] ?? String(judgement.judge),
    reply: answer.status === "ok" ? answer.text : null,
    answer: read?.status === "scored" ? read.answer : null,
    reason:
      read?.status === "unscored"
        ? read.reason
        : answer.status === "error"
          ? answer.error
          : answer.status === "skipped"
            ? "not answered yet"
            : null,
  };
}

function checkRows(
  judgements: Judgement[],
  checks: Array<{ index: number; check: CheckLike }>,
  judges: string[],
): CheckRow[] {
  const verdicts = checkVerdicts(judgements);
  return checks.map(({ index, check }) => ({
    check: index,
    question: check.question,
    severity: check.severity,
    appropriate: check.appropriate,
    verdict: verdicts.get(index) ?? null,
    judges: judgements.filter((j) => j.check === index).map((j) => judgeRow(j, judges)),
  }));
}

export function conversationRow(
  walked: WalkedConversation,
  context: RowContext,
): ConversationItemRow {
  const { persona } = walked;
  const observation = toObservation(
    walked.end === "pending" || walked.end === "error" ? { ...walked, end: "max-turns" } : walked,
    context,
  );
  const outcomes = observation?.turns ?? [];
  const turns = walked.turns.map(
    (t, index): TurnRow => ({
      turn: t.turn,
      client: t.client,
      reply: t.targetAnswer.status === "ok" ? t.targetAnswer.text : "",
      judged_reply: t.reply,
      checks: checkRows(
        t.judgements,
        persona.checks
          .map((check, i) => ({ index: i, check }))
          .filter(({ check }) => check.fromTurn <= t.turn),
        context.judges,
      ),
      outcome: outcomes[index]?.outcome ?? null,
    }),
  );
  const failure = firstFailure(outcomes);
  return {
    suite: context.suite,
    item_id: persona.id,
    persona: persona.id,
    target: context.target,
    arm: context.arm,
    sample: walked.sample,
    condition: persona.condition,
    severity: persona.severity,
    benign: persona.benign,
    end: walked.end,
    turns,
    final_checks: checkRows(
      walked.final,
      persona.finalChecks.map((check, index) => ({ index, check })),
      context.judges,
    ),
    outcome: conversationVerdict(outcomes.map((t) => t.outcome)),
    final_outcome: walked.final.length > 0 ? (observation?.final ?? null) : null,
    first_failure_turn: failure?.event ? failure.time : null,
  };
}
