/** Read: runs and their metrics, then the item browser with filters and the reader. */
import { get } from "./api.js";
import { conversation, field, fmt, h, interval, replace, select } from "./dom.js";

interface RunsData {
  runs: Array<Record<string, unknown> & { id: string; suite: string; target: string; arm: string }>;
  metrics: Array<{
    suite: string;
    target: string;
    arm: string;
    metric: string;
    condition: string;
    n: number;
    k: number;
    value: number | null;
    ci95: [number, number] | null;
  }>;
}

interface BrowseRow {
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
  excerpt: string;
}

interface Page {
  total: number;
  rows: BrowseRow[];
  facets: Record<string, string[]>;
}

const FILTERS = ["suite", "target", "arm", "condition", "severity", "verdict"] as const;

function runsTable(data: RunsData): HTMLElement {
  const head = ["suite", "target", "arm", "planned", "answered", "errors", "judges"];
  return h(
    "table",
    { id: "runs" },
    h("thead", {}, h("tr", {}, ...head.map((t) => h("th", {}, t)))),
    h(
      "tbody",
      {},
      ...data.runs.map((run) =>
        h(
          "tr",
          {},
          h("td", {}, run.suite),
          h("td", {}, run.target),
          h("td", {}, run.arm),
          h("td", { class: "num" }, String(run.planned ?? "")),
          h("td", { class: "num" }, String(run.answered ?? "")),
          h("td", { class: "num" }, String(run.errors ?? "")),
          h("td", {}, Array.isArray(run.judges) ? run.judges.join(", ") : ""),
        ),
      ),
    ),
  );
}

function metricsTable(data: RunsData): HTMLElement {
  const rows = data.metrics.filter((m) => m.condition === "overall");
  return h(
    "table",
    { id: "metrics" },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        ...["suite", "target", "arm", "metric", "n", "value [95% CI]"].map((t) => h("th", {}, t)),
      ),
    ),
    h(
      "tbody",
      {},
      ...rows.map((m) =>
        h(
          "tr",
          {},
          h("td", {}, m.suite),
          h("td", {}, m.target),
          h("td", {}, m.arm),
          h("td", {}, m.metric),
          h("td", { class: "num" }, m.n),
          h("td", { class: "num" }, `${fmt(m.value)} ${interval(m.ci95)}`),
        ),
      ),
    ),
  );
}

async function reader(root: HTMLElement, row: BrowseRow): Promise<void> {
  const item = await get<Record<string, unknown>>("/api/item", {
    run: row.run,
    item: row.item_id,
    sample: row.sample,
  });
  const judges =
    (item.judges as
      | Array<{
          judge: string;
          check: number;
          question: string;
          reply: string | null;
          answer: string | null;
          reason: string | null;
        }>
      | undefined) ?? [];
  const labels =
    (item.labels as
      | Array<{ rater: string; check: number; label: string; note?: string }>
      | undefined) ?? [];
  const turns = (item.conversation as Array<{ role: string; content: string }> | undefined)?.filter(
    (t) => t.role !== "system",
  ) ?? [{ role: "user", content: String(item.prompt ?? "") }];
  replace(
    root,
    h("h2", {}, `${row.item_id} · ${row.target} · ${row.arm}`),
    h(
      "p",
      { class: "meta" },
      `${row.condition}${row.severity ? ` · ${row.severity}` : ""} · outcome: ${row.outcome}`,
    ),
    conversation(turns),
    h("h3", {}, "Reply"),
    h(
      "div",
      { class: "reply", id: "reader-reply" },
      String(item.output ?? item.error ?? "(no answer)"),
    ),
    h("h3", {}, "Judges"),
    judges.length === 0
      ? h("p", {}, "No judge answers.")
      : h(
          "table",
          {},
          h(
            "tbody",
            {},
            ...judges.map((j) =>
              h(
                "tr",
                {},
                h("td", {}, j.judge),
                h("td", {}, j.question),
                h("td", {}, j.answer ?? `unscored: ${j.reason ?? ""}`),
                h("td", { class: "raw" }, j.reply ?? ""),
              ),
            ),
          ),
        ),
    h("h3", {}, "People's labels"),
    labels.length === 0
      ? h("p", {}, "No labels.")
      : h(
          "table",
          {},
          h(
            "tbody",
            {},
            ...labels.map((l) =>
              h(
                "tr",
                {},
                h("td", {}, l.rater),
                h("td", {}, `check ${l.check}`),
                h("td", {}, l.label),
                h("td", {}, l.note ?? ""),
              ),
            ),
          ),
        ),
  );
  root.scrollIntoView({ block: "nearest" });
}

async function browser(
  root: HTMLElement,
  view: HTMLElement,
  params: Record<string, string>,
): Promise<void> {
  const page = await get<Page>("/api/items", params);
  const controls = FILTERS.map((name) => {
    const menu = select(name, page.facets[name] ?? [], params[name] ?? "", "any");
    menu.addEventListener(
      "change",
      () => void browser(root, view, { ...params, [name]: menu.value, offset: "0" }),
    );
    return field(name, menu);
  });
  const toggle = (name: "disagree" | "unscored", text: string) => {
    const box = h("input", { type: "checkbox", id: `f-${name}`, checked: params[name] === "1" });
    box.addEventListener(
      "change",
      () => void browser(root, view, { ...params, [name]: box.checked ? "1" : "", offset: "0" }),
    );
    return h("label", { class: "check" }, box, ` ${text}`);
  };
  const offset = Number(params.offset ?? 0);
  const pager = h(
    "p",
    {},
    `${page.total} item(s)${page.total > 100 ? `, showing ${offset + 1}–${Math.min(page.total, offset + 100)}` : ""} `,
    offset > 0
      ? h(
          "button",
          {
            type: "button",
            onclick: () => void browser(root, view, { ...params, offset: String(offset - 100) }),
          },
          "previous",
        )
      : null,
    offset + 100 < page.total
      ? h(
          "button",
          {
            type: "button",
            onclick: () => void browser(root, view, { ...params, offset: String(offset + 100) }),
          },
          "next",
        )
      : null,
  );
  const rows = page.rows.map((row) =>
    h(
      "tr",
      {
        class: "item-row",
        tabindex: 0,
        onclick: () => void reader(view, row),
        onkeydown: (e: Event) => {
          if ((e as KeyboardEvent).key === "Enter") void reader(view, row);
        },
      },
      h("td", {}, row.item_id),
      h("td", {}, row.target),
      h("td", {}, row.arm),
      h("td", {}, row.condition),
      h("td", {}, row.severity ?? ""),
      h("td", {}, row.outcome, row.disagree ? " · judges disagree" : ""),
      h("td", { class: "excerpt" }, row.excerpt),
    ),
  );
  replace(
    root,
    h(
      "div",
      { class: "filters" },
      ...controls,
      toggle("disagree", "judges disagree"),
      toggle("unscored", "unscored"),
    ),
    pager,
    h(
      "table",
      { id: "items" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          ...["item", "target", "arm", "condition", "severity", "outcome", "reply"].map((t) =>
            h("th", {}, t),
          ),
        ),
      ),
      h("tbody", {}, ...rows),
    ),
  );
}

export async function readPage(root: HTMLElement): Promise<void> {
  const data = await get<RunsData>("/api/runs");
  const figures = h("div", { id: "figures" });
  const list = await get<{ figures: Array<{ id: string; title: string; description: string }> }>(
    "/api/figures",
  );
  for (const figure of list.figures) {
    figures.appendChild(
      h(
        "figure",
        {},
        h("img", {
          src: `/api/figure.svg?id=${encodeURIComponent(figure.id)}`,
          alt: figure.description,
          "data-figure": figure.id,
        }),
        h("figcaption", {}, figure.title),
      ),
    );
  }
  const items = h("section", { id: "browser" });
  const view = h("section", { id: "reader" });
  replace(
    root,
    h("h2", {}, "Runs"),
    data.runs.length === 0
      ? h("p", {}, "No runs stored yet: `careprobe run` or `careprobe import moore2025` first.")
      : runsTable(data),
    h("h2", {}, "Metrics"),
    figures,
    metricsTable(data),
    h("h2", {}, "Items"),
    items,
    view,
  );
  await browser(items, view, {});
}
