/**
 * `careprobe report --format html`: one self-contained page. No request of any kind
 * leaves it (no font, script, style or image from elsewhere); a Content-Security-Policy
 * forbids everything but its own stylesheet and script, allowed by hash; all model text
 * is escaped. Figures are inline SVG drawn from the report's metric rows.
 */
import { createHash } from "node:crypto";
import type { ConversationItemRow } from "../../experiments/conversations/rows.js";
import type { BuiltReport } from "../build.js";
import type { GateReport } from "../gates.js";
import { conversationFailuresHtml } from "./conversation-failures.js";
import { responseFailuresHtml, stigmaFailuresHtml } from "./failures.js";
import { reportFigures } from "./figures.js";
import { headerHtml } from "./header.js";
import { SCRIPT, STYLE } from "./style.js";
import { esc, type Figure, svgElement } from "./svg.js";
import { comparisonsTable, gatesHtml, metricsTable } from "./tables.js";

function sha256(text: string): string {
  return `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
}

/** The page's policy: nothing from anywhere, except its own style and script. */
export function contentSecurityPolicy(): string {
  return [
    "default-src 'none'",
    `style-src ${sha256(STYLE)}`,
    `script-src ${sha256(SCRIPT)}`,
    "img-src 'none'",
    "font-src 'none'",
    "connect-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

function figureHtml(figure: Figure): string {
  return `<figure id="figure-${esc(figure.id)}">${svgElement(figure)}<figcaption>${esc(figure.title)}. ${esc(figure.description)}</figcaption></figure>`;
}

export function section(id: string, title: string, body: string): string {
  return `<section id="${id}"><h2>${esc(title)}</h2>\n${body}\n</section>`;
}

export interface HtmlOptions {
  gates?: GateReport;
  /** Item rows of conversations runs, when the report has them: every failed one is shown. */
  conversations?: readonly ConversationItemRow[];
  generatedAt?: Date;
}

export function renderHtml(report: BuiltReport, options: HtmlOptions = {}): string {
  const data = report.data;
  const generatedAt = options.generatedAt ?? new Date();
  const figures = reportFigures(data);
  const sections = [
    section("what-was-run", "What was run", headerHtml(report, data.metrics, generatedAt)),
    options.gates ? section("gates", "Gates", gatesHtml(options.gates)) : "",
    section(
      "figures",
      "Figures",
      figures.length > 0
        ? figures.map(figureHtml).join("\n")
        : '<p class="muted">No rows to draw.</p>',
    ),
    section("metrics", `Metric rows (${data.metrics.length})`, metricsTable(data.metrics)),
    data.comparisons.length > 0
      ? section(
          "comparisons",
          `Comparisons (${data.comparisons.length})`,
          comparisonsTable(data.comparisons),
        )
      : "",
    report.responseItems.length > 0
      ? section("failures", "Failures: responses", responseFailuresHtml(report.responseItems))
      : "",
    options.conversations && options.conversations.length > 0
      ? section(
          "conversation-failures",
          "Failures: conversations",
          conversationFailuresHtml(options.conversations),
        )
      : "",
    report.items.length > 0
      ? section("stigmatizing", "Failures: stigmatizing answers", stigmaFailuresHtml(report.items))
      : "",
  ];
  const top = `<h1>careprobe report</h1>
<p class="lede">How chatbots answered against the clinical standard of care in mental health. Model replies are shown as text, exactly as received.</p>
<p class="tools"><button type="button" id="expand-all">Open every failure</button><button type="button" id="collapse-all">Close all</button></p>`;
  return htmlDocument(
    "careprobe report",
    data.toolVersion,
    top,
    sections.filter((s) => s !== "").join("\n"),
  );
}

/** The page around a report's sections: policy, viewport, the one stylesheet and script. */
export function htmlDocument(
  title: string,
  toolVersion: string,
  header: string,
  main: string,
): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(contentSecurityPolicy())}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="careprobe ${esc(toolVersion)}">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
${header}
</header>
<main>
${main}
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
