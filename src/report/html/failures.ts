/**
 * Every failure, collapsible: responses answered inappropriately (or left blank), grouped
 * by severity (critical first) and condition, each with the whole conversation, the reply
 * and every judge's answer; then stigmatizing answers, grouped by condition. All model
 * text is escaped and shown in <pre> blocks as text.
 */
import type { ItemRow } from "../../experiments/multiple-choice/collect.js";
import type { ResponseItemRow } from "../../experiments/responses/collect.js";
import { esc } from "./svg.js";

const SEVERITY_ORDER = ["critical", "serious", "minor"];

function severityRank(severity: string): number {
  const i = SEVERITY_ORDER.indexOf(severity);
  return i === -1 ? SEVERITY_ORDER.length : i;
}

function pre(text: string, kind = ""): string {
  return `<pre class="text${kind ? ` ${kind}` : ""}">${esc(text)}</pre>`;
}

function what(item: ResponseItemRow): string {
  if (item.outcome === "blank") return "blank reply";
  return item.benign ? "over-reaction to a benign control" : "inappropriate response";
}

function judgesTable(item: ResponseItemRow): string {
  if (item.judges.length === 0) return "";
  const rows = item.judges.map(
    (j) =>
      `<tr><td>${esc(j.judge)}</td><td>${esc(j.question)}</td><td>${esc(j.answer ?? "unreadable")}</td><td>${esc(j.reason ?? "")}</td><td>${j.reply === null ? "—" : pre(j.reply)}</td></tr>`,
  );
  return `<div class="scroll"><table><thead><tr><th scope="col">judge</th><th scope="col">check</th><th scope="col">answer</th><th scope="col">note</th><th scope="col">judge's reply</th></tr></thead><tbody>${rows.join("")}</tbody></table></div>`;
}

function responseFailure(item: ResponseItemRow): string {
  const messages =
    item.conversation.length > 0 ? item.conversation : [{ role: "user", content: item.stimulus }];
  const conversation = messages
    .map((m) => `<div class="role">${esc(m.role)}</div>${pre(m.content)}`)
    .join("");
  const cut =
    item.output !== null &&
    item.judged_output !== null &&
    item.judged_output.length < item.output.length
      ? `<p class="muted">The judges saw the first ${item.judged_output.length} characters.</p>`
      : "";
  const labels =
    item.labels.length > 0
      ? `<p>People's labels: ${item.labels.map((l) => `${esc(l.rater)} (check ${l.check + 1}): ${esc(l.label)}`).join("; ")}</p>`
      : "";
  return [
    `<details class="failure"><summary>${esc(`${item.target} · ${item.arm} · ${item.item_id}${item.sample > 0 ? ` #${item.sample}` : ""}`)} — ${esc(what(item))}</summary>`,
    item.bridge
      ? `<div class="role">bridge (written by the contextualizer)</div>${pre(item.bridge)}`
      : "",
    `<h4>Conversation sent</h4>${conversation}`,
    `<h4>Reply</h4>${pre(item.output ?? "", "reply")}${cut}`,
    `<h4>Judges</h4>${judgesTable(item)}${labels}`,
    "</details>",
  ].join("\n");
}

function groupHtml(label: string, css: string, body: string[]): string {
  return `<details class="group ${css}"><summary>${esc(label)} <span class="count">(${body.length})</span></summary>\n${body.join("\n")}\n</details>`;
}

export function responseFailuresHtml(items: readonly ResponseItemRow[]): string {
  const failed = items.filter((i) => i.outcome === "inappropriate" || i.outcome === "blank");
  if (failed.length === 0) return '<p class="muted">No response was judged inappropriate.</p>';
  const groups = new Map<string, ResponseItemRow[]>();
  for (const item of failed) {
    const key = JSON.stringify([item.severity, item.condition]);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  const keys = [...groups.keys()].sort((a, b) => {
    const [sa, ca] = JSON.parse(a) as [string, string];
    const [sb, cb] = JSON.parse(b) as [string, string];
    return severityRank(sa) - severityRank(sb) || ca.localeCompare(cb);
  });
  return keys
    .map((key) => {
      const [severity, condition] = JSON.parse(key) as [string, string];
      return groupHtml(
        `${severity} · ${condition}`,
        `sev-${esc(severity)}`,
        (groups.get(key) ?? []).map(responseFailure),
      );
    })
    .join("\n");
}

function stigmaFailure(item: ItemRow): string {
  return [
    `<details class="failure"><summary>${esc(`${item.target} · ${item.arm} · ${item.item_id}${item.sample > 0 ? ` #${item.sample}` : ""}`)} — ${esc(item.answer ?? "")}</summary>`,
    `<div class="role">question</div>${pre(item.question)}`,
    `<div class="role">reply</div>${pre(item.output ?? "", "reply")}`,
    "</details>",
  ].join("\n");
}

export function stigmaFailuresHtml(items: readonly ItemRow[]): string {
  const stigmatizing = items.filter((i) => i.outcome === "stigma");
  if (stigmatizing.length === 0) return '<p class="muted">No stigmatizing answer.</p>';
  const groups = new Map<string, ItemRow[]>();
  for (const item of stigmatizing)
    groups.set(item.condition, [...(groups.get(item.condition) ?? []), item]);
  return [...groups]
    .map(([condition, list]) => groupHtml(condition, "", list.map(stigmaFailure)))
    .join("\n");
}
