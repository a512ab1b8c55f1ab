/**
 * `careprobe report --format junit`: JUnit XML as CI systems read it. One test suite per
 * suite × target × arm, one test case per stimulus (responses), persona (conversations)
 * or stigma cell (one vignette × question × sample), and a suite of one test case per gate. Failures carry the
 * reply and each judge's answer. Every string goes through xmlEscape, so any model text
 * gives valid XML.
 */
import type { ConversationItemRow } from "../experiments/conversations/rows.js";
import type { ItemRow } from "../experiments/multiple-choice/collect.js";
import type { ResponseItemRow } from "../experiments/responses/collect.js";
import type { BuiltReport } from "./build.js";
import { describeGate, type GateReport } from "./gates.js";
import { conversationCase } from "./junit-conversations.js";
import { xmlAttribute, xmlEscape } from "./xml.js";

interface Case {
  classname: string;
  name: string;
  kind?: "failure" | "error" | "skipped";
  type?: string;
  message?: string;
  body?: string;
}

interface SuiteBlock {
  name: string;
  properties: Record<string, string>;
  cases: Case[];
}

const MESSAGE_LIMIT = 2000;

function short(text: string): string {
  return text.length > MESSAGE_LIMIT ? `${text.slice(0, MESSAGE_LIMIT)}… [cut]` : text;
}

function judgeLines(item: ResponseItemRow): string[] {
  return item.judges.map(
    (j) =>
      `judge ${j.judge}, check ${j.check + 1} (${j.question}): ${j.answer ?? "unreadable"}${j.reason ? ` (${j.reason})` : ""}${j.reply === null ? "" : `; said: ${j.reply}`}`,
  );
}

function responseCase(item: ResponseItemRow): Case {
  const base = {
    classname: `${item.suite}.${item.condition}.${item.severity}`,
    name: `${item.item_id}${item.sample > 0 ? ` #${item.sample}` : ""}`,
  };
  const detail = [
    `stimulus: ${item.stimulus}`,
    `reply: ${item.output ?? "(none)"}`,
    ...judgeLines(item),
  ].join("\n");
  switch (item.outcome) {
    case "appropriate":
      return base;
    case "inappropriate": {
      const type = item.benign ? "over_reaction" : "inappropriate";
      const what = item.benign ? "over-reaction to a benign control" : "inappropriate response";
      return {
        ...base,
        kind: "failure",
        type,
        message: short(`${what} (${item.severity}): ${detail}`),
        body: detail,
      };
    }
    case "blank":
      return { ...base, kind: "failure", type: "blank", message: "blank reply", body: detail };
    case "error":
      return { ...base, kind: "error", type: "request", message: short(item.error ?? "error") };
    case "unscored":
      return {
        ...base,
        kind: "skipped",
        message: short(`unscored: ${judgeLines(item).join("; ")}`),
      };
    case "pending":
      return { ...base, kind: "skipped", message: "not run yet" };
  }
}

function stigmaCase(item: ItemRow): Case {
  const base = {
    classname: `${item.suite}.${item.condition}`,
    name: `${item.item_id}${item.sample > 0 ? ` #${item.sample}` : ""}`,
  };
  const detail = `question: ${item.question}\nanswer: ${item.answer ?? "(unread)"}\nreply: ${item.output ?? "(none)"}`;
  switch (item.outcome) {
    case "no-stigma":
      return base;
    case "stigma":
      return {
        ...base,
        kind: "failure",
        type: "stigma",
        message: short(`stigmatizing answer: ${detail}`),
        body: detail,
      };
    case "error":
      return { ...base, kind: "error", type: "request", message: short(item.error ?? "error") };
    case "dont-know":
      return { ...base, kind: "skipped", message: "answered Do not know" };
    case "unparsed":
      return {
        ...base,
        kind: "skipped",
        message: short(`answer not readable: ${item.output ?? ""}`),
      };
    case "blank":
      return { ...base, kind: "skipped", message: "blank (empty) answer" };
    case "pending":
      return { ...base, kind: "skipped", message: "not run yet" };
  }
}

function conversationBlocks(rows: readonly ConversationItemRow[]): SuiteBlock[] {
  const groups = new Map<string, ConversationItemRow[]>();
  for (const row of rows) {
    const key = JSON.stringify([row.suite, row.target, row.arm]);
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.values()].map((list) => {
    const first = list[0] as ConversationItemRow;
    return {
      name: `${first.suite} · ${first.target} · ${first.arm}`,
      properties: { suite: first.suite, target: first.target, arm: first.arm },
      cases: list.map(conversationCase),
    };
  });
}

function blocks(
  report: BuiltReport,
  gates: GateReport | undefined,
  conversations: readonly ConversationItemRow[],
): SuiteBlock[] {
  const out: SuiteBlock[] = [...conversationBlocks(conversations)];
  for (const c of report.collectedResponses) {
    out.push({
      name: `${c.suite.id} · ${c.run.target} · ${c.run.arm}`,
      properties: {
        suite: c.suite.id,
        suite_version: c.suite.version,
        suite_hash: c.suite.hash,
        target: c.run.target,
        arm: c.run.arm,
        run: c.run.id,
        judges: c.judges.join(", "),
      },
      cases: c.items.map(responseCase),
    });
  }
  for (const c of report.collected) {
    out.push({
      name: `${c.suite.id} · ${c.run.target} · ${c.run.arm}`,
      properties: {
        suite: c.suite.id,
        suite_version: c.suite.version,
        suite_hash: c.suite.hash,
        target: c.run.target,
        arm: c.run.arm,
        run: c.run.id,
      },
      cases: c.items.filter((i) => i.measures_stigma).map(stigmaCase),
    });
  }
  if (gates && gates.results.length > 0) {
    out.push({
      name: "careprobe gates",
      properties: { judged_on: gates.results[0]?.on === "value" ? "value" : "ci95 bound" },
      cases: gates.results.map((r) => ({
        classname: "careprobe.gates",
        name: `${r.rule.text} · ${r.row.suite} · ${r.row.target} · ${r.row.arm}`,
        ...(r.pass ? {} : { kind: "failure" as const, type: "gate", message: describeGate(r) }),
      })),
    });
  }
  return out;
}

function caseXml(c: Case): string {
  const open = `    <testcase classname="${xmlAttribute(c.classname)}" name="${xmlAttribute(c.name)}"`;
  if (!c.kind) return `${open}/>`;
  const type = c.type ? ` type="${xmlAttribute(c.type)}"` : "";
  const message = ` message="${xmlAttribute(c.message ?? "")}"`;
  const body = c.body === undefined ? "" : xmlEscape(c.body);
  return `${open}>\n      <${c.kind}${message}${type}>${body}</${c.kind}>\n    </testcase>`;
}

function count(cases: Case[], kind: Case["kind"]): number {
  return cases.filter((c) => c.kind === kind).length;
}

export function renderJunit(
  report: BuiltReport,
  gates?: GateReport,
  options: { timestamp?: Date; conversations?: readonly ConversationItemRow[] } = {},
): string {
  const timestamp = options.timestamp ?? new Date();
  const suites = blocks(report, gates, options.conversations ?? []);
  const all = suites.flatMap((s) => s.cases);
  const tally = (cases: Case[]) =>
    `tests="${cases.length}" failures="${count(cases, "failure")}" errors="${count(cases, "error")}" skipped="${count(cases, "skipped")}"`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="careprobe" ${tally(all)}>`,
  ];
  suites.forEach((s, index) => {
    lines.push(
      `  <testsuite name="${xmlAttribute(s.name)}" id="${index}" ${tally(s.cases)} timestamp="${timestamp.toISOString().slice(0, 19)}">`,
      "    <properties>",
      ...Object.entries(s.properties).map(
        ([name, value]) =>
          `      <property name="${xmlAttribute(name)}" value="${xmlAttribute(value)}"/>`,
      ),
      "    </properties>",
      ...s.cases.map(caseXml),
      "  </testsuite>",
    );
  });
  lines.push("</testsuites>", "");
  return lines.join("\n");
}
