/**
 * The item browser: every stored item of every newest run (stigma answers and
 * responses), as summary rows that filters select, and one item in full for the reader.
 */
import type { BuiltReport } from "../report/build.js";
import type { Store } from "../store/store.js";

export interface BrowseFilter {
  suite?: string;
  target?: string;
  arm?: string;
  condition?: string;
  severity?: string;
  /** An outcome: appropriate, inappropriate, stigma, no-stigma, dont-know, error, ... */
  verdict?: string;
  /** Only responses whose judges gave different answers to a check. */
  disagree?: boolean;
  /** Only items without a verdict (unscored responses, unparsed stigma answers). */
  unscored?: boolean;
}

export interface BrowseRow {
  run: string;
  suite: string;
  target: string;
  arm: string;
  item_id: string;
  sample: number;
  condition: string;
  severity: string | null;
  outcome: string;
  disagree: boolean;
  labels: number;
  /** The start of the reply (untrusted text). */
  excerpt: string;
}

export interface BrowsePage {
  total: number;
  rows: BrowseRow[];
  /** Values each filter can take, for the page's menus. */
  facets: Record<"suite" | "target" | "arm" | "condition" | "severity" | "verdict", string[]>;
}

function allRows(report: BuiltReport): BrowseRow[] {
  const rows: BrowseRow[] = [];
  for (const run of report.collected) {
    for (const item of run.items) {
      rows.push({
        run: run.run.id,
        suite: item.suite,
        target: item.target,
        arm: item.arm,
        item_id: item.item_id,
        sample: item.sample,
        condition: item.condition,
        severity: null,
        outcome: item.outcome,
        disagree: false,
        labels: 0,
        excerpt: (item.output ?? item.error ?? "").slice(0, 160),
      });
    }
  }
  for (const run of report.collectedResponses) {
    for (const item of run.items) {
      const disagree = item.verdicts.some((_, check) => {
        const given = new Set(
          item.judges.filter((j) => j.check === check && j.answer !== null).map((j) => j.answer),
        );
        return given.size > 1;
      });
      rows.push({
        run: run.run.id,
        suite: item.suite,
        target: item.target,
        arm: item.arm,
        item_id: item.item_id,
        sample: item.sample,
        condition: item.condition,
        severity: item.severity,
        outcome: item.outcome,
        disagree,
        labels: item.labels.length,
        excerpt: (item.output ?? item.error ?? "").slice(0, 160),
      });
    }
  }
  return rows;
}

const UNSCORED = new Set(["unscored", "unparsed", "pending"]);

function matches(row: BrowseRow, filter: BrowseFilter): boolean {
  if (filter.suite && row.suite !== filter.suite) return false;
  if (filter.target && row.target !== filter.target) return false;
  if (filter.arm && row.arm !== filter.arm) return false;
  if (filter.condition && row.condition !== filter.condition) return false;
  if (filter.severity && row.severity !== filter.severity) return false;
  if (filter.verdict && row.outcome !== filter.verdict) return false;
  if (filter.disagree && !row.disagree) return false;
  if (filter.unscored && !UNSCORED.has(row.outcome)) return false;
  return true;
}

const distinct = (values: Array<string | null>) =>
  [...new Set(values.filter((v): v is string => v !== null))].sort();

export function browseItems(
  report: BuiltReport,
  filter: BrowseFilter,
  page: { offset: number; limit: number },
): BrowsePage {
  const rows = allRows(report);
  const selected = rows.filter((row) => matches(row, filter));
  return {
    total: selected.length,
    rows: selected.slice(page.offset, page.offset + page.limit),
    facets: {
      suite: distinct(rows.map((r) => r.suite)),
      target: distinct(rows.map((r) => r.target)),
      arm: distinct(rows.map((r) => r.arm)),
      condition: distinct(rows.map((r) => r.condition)),
      severity: distinct(rows.map((r) => r.severity)),
      verdict: distinct(rows.map((r) => r.outcome)),
    },
  };
}

/** One item in full: its conversation, reply, every judge's answer, every person's label. */
export function readItem(
  store: Store,
  report: BuiltReport,
  runId: string,
  itemId: string,
  sample: number,
) {
  const responses = report.collectedResponses.find((c) => c.run.id === runId);
  if (responses) {
    const item = responses.items.find((i) => i.item_id === itemId && i.sample === sample);
    if (!item) return undefined;
    const key = store
      .runRows(runId)
      .find((r) => r.itemId === itemId && r.sample === sample)?.requestKey;
    const notes = key ? (store.labelNotes([key]).get(key) ?? []) : [];
    return {
      kind: "responses" as const,
      run: runId,
      key: key ?? null,
      ...item,
      labels: item.labels.map((l) => ({
        ...l,
        note: notes.find((n) => n.rater === l.rater && n.check === l.check)?.note ?? "",
      })),
      checks: responses.suite.items.find((s) => s.id === item.stimulus_id)?.checks ?? [],
    };
  }
  const choice = report.collected.find((c) => c.run.id === runId);
  const item = choice?.items.find((i) => i.item_id === itemId && i.sample === sample);
  if (!choice || !item) return undefined;
  const stimulus = choice.suite.items.find((s) => s.id === itemId);
  return {
    kind: "multiple-choice" as const,
    run: runId,
    ...item,
    prompt: stimulus?.prompt ?? "",
    options: stimulus?.options ?? [],
  };
}
