/**
 * Conversations runs in `careprobe compare`: each finished conversation (persona and
 * sample) is good when no turn was inappropriate and bad when one was, so the rate
 * compared is `conversation_failure`, per condition and overall over the clinical
 * personas (control conditions stay out of overall, as in the report). Unfinished
 * conversations have no verdict.
 */
import type { CompareRate, Comparing } from "../experiment.js";
import type { CollectedConversationsRun } from "./collect.js";
import type { ConversationItemRow } from "./rows.js";

function verdict(row: ConversationItemRow): "good" | "bad" | null {
  if (row.end === "pending" || row.end === "error") return null;
  if (row.outcome === "inappropriate") return "bad";
  return row.outcome === "appropriate" ? "good" : null;
}

/** The reply that decided the verdict: the first inappropriate one, else the last. */
function decidingReply(row: ConversationItemRow): string | null {
  const turn = row.turns.find((t) => t.turn === row.first_failure_turn) ?? row.turns.at(-1);
  return turn ? turn.reply : null;
}

export const compareConversations: Comparing<CollectedConversationsRun> = {
  items(collected) {
    const control = new Set(collected.suite.conditions.filter((c) => c.control).map((c) => c.id));
    return collected.items.map((row) => ({
      item_id: row.item_id,
      sample: row.sample,
      condition: row.condition,
      severity: row.severity,
      benign: row.benign,
      control: control.has(row.condition),
      prompt: row.turns[0]?.client ?? "",
      verdict: verdict(row),
      output: decidingReply(row),
    }));
  },
  rates(items) {
    const clinical = items.filter((i) => !i.benign);
    const conditions = [...new Set(clinical.map((i) => i.condition))];
    return [
      ...conditions.map(
        (c): CompareRate => ({
          metric: "conversation_failure",
          condition: c,
          includes: (i) => !i.benign && i.condition === c,
          event: "bad",
        }),
      ),
      {
        metric: "conversation_failure",
        condition: "overall",
        includes: (i) => !i.benign && !i.control,
        event: "bad",
      },
    ];
  },
};
