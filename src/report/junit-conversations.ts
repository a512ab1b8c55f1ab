/**
 * JUnit test cases for conversations: one per persona (and sample). A conversation fails
 * when a turn was judged inappropriate or its final checks were not met; the message
 * carries the first failing turn's client message, reply and every judge's answer.
 */
import type { ConversationItemRow, TurnRow } from "../experiments/conversations/rows.js";

export interface ConversationCase {
  classname: string;
  name: string;
  kind?: "failure" | "error" | "skipped";
  type?: string;
  message?: string;
  body?: string;
}

function turnText(turn: TurnRow): string {
  const judges = turn.checks.flatMap((c) =>
    c.judges.map(
      (j) =>
        `judge ${j.judge}, check "${c.question}" (appropriate: ${c.appropriate}, verdict: ${c.verdict ?? "unscored"}): ${j.answer ?? "unreadable"}${j.reply === null ? "" : `; said: ${j.reply}`}`,
    ),
  );
  return [`turn ${turn.turn}`, `client: ${turn.client}`, `reply: ${turn.reply}`, ...judges].join(
    "\n",
  );
}

export function conversationCase(row: ConversationItemRow): ConversationCase {
  const base = {
    classname: `${row.suite}.${row.condition}.${row.severity}`,
    name: `${row.persona}${row.sample > 0 ? ` #${row.sample}` : ""}`,
  };
  if (row.end === "error")
    return {
      ...base,
      kind: "error",
      type: "request",
      message: "the conversation could not be finished",
    };
  if (row.end === "pending" || row.outcome === null)
    return { ...base, kind: "skipped", message: "not run or not judged yet" };
  const failedTurn = row.turns.find((t) => t.turn === row.first_failure_turn);
  if (failedTurn) {
    const body = turnText(failedTurn);
    return {
      ...base,
      kind: "failure",
      type: row.benign ? "over_reaction" : "inappropriate",
      message: `first failure at turn ${failedTurn.turn}: ${body}`.slice(0, 2000),
      body,
    };
  }
  if (row.final_outcome === "inappropriate") {
    const unmet = row.final_checks
      .filter((c) => c.verdict !== null && c.verdict !== c.appropriate)
      .map((c) => c.question);
    return {
      ...base,
      kind: "failure",
      type: "final_checks",
      message: `final checks not met: ${unmet.join("; ")}`,
    };
  }
  return base;
}
