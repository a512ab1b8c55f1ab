/** `careprobe compare --format html`: the comparison as one self-contained page. */
import type { PairedItem, RunComparison } from "../compare-runs.js";
import { htmlDocument, section } from "./page.js";
import { esc } from "./svg.js";

function pct(x: number | null): string {
  return x === null ? "—" : `${(x * 100).toFixed(1)}%`;
}

function metricsTable(c: RunComparison): string {
  const rows = c.metrics.map(
    (m) =>
      `<tr${m.significantly_worse ? ' class="gate-fail"' : ""}><td>${esc(m.metric)}</td><td>${esc(m.condition)}</td><td class="num">${m.n}</td><td class="num">${pct(m.base_value)}</td><td class="num">${pct(m.head_value)}</td><td class="num">${m.diff === null ? "—" : (m.diff * 100).toFixed(1)}</td><td class="num">${m.ci95 ? `[${(m.ci95[0] * 100).toFixed(1)}, ${(m.ci95[1] * 100).toFixed(1)}]` : "—"}</td><td class="num">${m.regressed}</td><td class="num">${m.improved}</td><td class="num">${m.p_mcnemar.toPrecision(3)}${m.ci95_note ? " †" : ""}</td><td>${m.significantly_worse ? "significantly worse" : ""}</td></tr>`,
  );
  return `<div class="scroll"><table><thead><tr><th scope="col">metric</th><th scope="col">condition</th><th class="num" scope="col">pairs</th><th class="num" scope="col">base</th><th class="num" scope="col">head</th><th class="num" scope="col">head − base (points)</th><th class="num" scope="col">95% CI bootstrap</th><th class="num" scope="col">regressed</th><th class="num" scope="col">improved</th><th class="num" scope="col">McNemar exact p</th><th scope="col"></th></tr></thead><tbody>${rows.join("")}</tbody></table></div>`;
}

function items(list: PairedItem[]): string {
  if (list.length === 0) return '<p class="muted">None.</p>';
  return list
    .map(
      (p) =>
        `<details class="failure${p.severity === "critical" ? " sev-critical" : ""}"><summary>${esc(`${p.item_id}${p.sample > 0 ? ` #${p.sample}` : ""} (${p.condition}${p.severity ? `, ${p.severity}` : ""})`)}</summary><div class="role">prompt</div><pre class="text">${esc(p.prompt)}</pre><div class="role">base reply</div><pre class="text">${esc(p.base_output ?? "")}</pre><div class="role">head reply</div><pre class="text reply">${esc(p.head_output ?? "")}</pre></details>`,
    )
    .join("\n");
}

/** Metrics marked † whose bootstrap interval and McNemar's p disagree about 0, and why. */
function notes(c: RunComparison): string {
  const lines = c.metrics
    .filter((m) => m.ci95_note)
    .map((m) => `<li>† ${esc(`${m.metric} · ${m.condition}: ${m.ci95_note}`)}</li>`);
  return lines.length > 0 ? `<ul class="muted">${lines.join("")}</ul>` : "";
}

export function renderCompareHtml(c: RunComparison, toolVersion: string): string {
  const side = (label: string, s: RunComparison["base"]) =>
    `<dt>${label}</dt><dd>${esc(`${s.target} · ${s.arm} · ${s.suite}`)} <span class="muted">(run ${esc(s.id)}, ${esc(s.updated_at)}, suite sha256 ${esc(s.suite_hash.slice(0, 16))})</span></dd>`;
  const header = `<h1>careprobe compare</h1>
<dl class="meta">${side("Base", c.base)}${side("Head", c.head)}<dt>Pairs</dt><dd>${c.paired} paired item(s); ${c.only_base} only in base, ${c.only_head} only in head${c.suite_changed ? "; the suite changed between the runs (items paired by id)" : ""}</dd></dl>
<p class="tools"><button type="button" id="expand-all">Open every item</button><button type="button" id="collapse-all">Close all</button></p>`;
  const main = [
    section(
      "metrics",
      "Metrics over paired items",
      `${metricsTable(c)}<p class="muted">Differences with a 95% bootstrap interval over pairs; McNemar's exact test on the pairs that changed.</p>${notes(c)}`,
    ),
    section("regressed", `Regressed (${c.regressed.length})`, items(c.regressed)),
    section("improved", `Improved (${c.improved.length})`, items(c.improved)),
  ].join("\n");
  return htmlDocument("careprobe compare", toolVersion, header, main);
}
