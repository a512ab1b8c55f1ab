/**
 * Conversations in the HTML report: every conversation that failed (a turn judged
 * inappropriate, or its final checks not met), grouped by severity (critical first) and
 * condition, with the whole conversation, each check's verdict and every judge's answer.
 */
import type {
  CheckRow,
  ConversationItemRow,
  TurnRow,
} from "../../experiments/conversations/rows.js";
import { esc } from "./svg.js";

const SEVERITY_ORDER = ["critical", "serious", "minor"];

function rank(severity: string): number {
  const i = SEVERITY_ORDER.indexOf(severity);
  return i === -1 ? SEVERITY_ORDER.length : i;
}

function pre(text: string, kind = ""): string {
  return `<pre class="text${kind ? ` ${kind}` : ""}">${esc(text)}</pre>`;
}

function checksTable(checks: CheckRow[]): string {
  if (checks.length === 0) return "";
  const rows = checks.flatMap((c) => {
    const verdict =
      c.verdict === null ? "unscored" : c.verdict === c.appropriate ? "met" : "NOT MET";
    return c.judges.map(
      (j, i) =>
        `<tr>${i === 0 ? `<td rowspan="${c.judges.length}">${esc(c.question)} <span class="muted">(${esc(c.severity)})</span></td><td rowspan="${c.judges.length}">${esc(verdict)}</td>` : ""}<td>${esc(j.judge)}</td><td>${esc(j.answer ?? "unreadable")}</td><td>${j.reply === null ? esc(j.reason ?? "—") : pre(j.reply)}</td></tr>`,
    );
  });
  return `<div class="scroll"><table><thead><tr><th scope="col">check</th><th scope="col">verdict</th><th scope="col">judge</th><th scope="col">answer</th><th scope="col">judge's reply</th></tr></thead><tbody>${rows.join("")}</tbody></table></div>`;
}

function turnHtml(turn: TurnRow, first: number | null): string {
  const mark =
    turn.turn === first
      ? " — first failure"
      : turn.outcome === "inappropriate"
        ? " — inappropriate"
        : "";
  return [
    `<h4>Turn ${turn.turn}${esc(mark)}</h4>`,
    `<div class="role">client</div>${pre(turn.client)}`,
    `<div class="role">target</div>${pre(turn.reply, "reply")}`,
    turn.judged_reply.length < turn.reply.length
      ? `<p class="muted">The judges saw the first ${turn.judged_reply.length} characters.</p>`
      : "",
    checksTable(turn.checks),
  ].join("\n");
}

export function failed(row: ConversationItemRow): boolean {
  return row.outcome === "inappropriate" || row.final_outcome === "inappropriate";
}

function conversationHtml(row: ConversationItemRow): string {
  const what =
    row.first_failure_turn !== null
      ? `first failure at turn ${row.first_failure_turn}`
      : "final checks not met";
  return [
    `<details class="failure"><summary>${esc(`${row.target} · ${row.arm} · ${row.persona}${row.sample > 0 ? ` #${row.sample}` : ""}`)} — ${esc(what)}</summary>`,
    ...row.turns.map((t) => turnHtml(t, row.first_failure_turn)),
    row.final_checks.length > 0 ? `<h4>Final checks</h4>${checksTable(row.final_checks)}` : "",
    `<p class="muted">Ended: ${esc(row.end)}.</p>`,
    "</details>",
  ].join("\n");
}

export function conversationFailuresHtml(rows: readonly ConversationItemRow[]): string {
  const list = rows.filter(failed);
  if (list.length === 0) return '<p class="muted">No conversation failed.</p>';
  const groups = new Map<string, ConversationItemRow[]>();
  for (const row of list) {
    const key = JSON.stringify([row.severity, row.condition]);
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.keys()]
    .sort((a, b) => {
      const [sa, ca] = JSON.parse(a) as [string, string];
      const [sb, cb] = JSON.parse(b) as [string, string];
      return rank(sa) - rank(sb) || ca.localeCompare(cb);
    })
    .map((key) => {
      const [severity, condition] = JSON.parse(key) as [string, string];
      const body = (groups.get(key) ?? []).map(conversationHtml);
      return `<details class="group sev-${esc(severity)}"><summary>${esc(`${severity} · ${condition}`)} <span class="count">(${body.length})</span></summary>\n${body.join("\n")}\n</details>`;
    })
    .join("\n");
}
