import { describe, expect, it } from "vitest";
import type { MetricRow } from "../core/types.js";
import type { ItemRow } from "../experiments/multiple-choice/collect.js";
import { csvLine, markdownCell, sanitizeForTerminal, terminalCell } from "./format.js";
import { metricsTable } from "./html/tables.js";
import {
  renderCsv,
  renderItemsCsv,
  renderJson,
  renderMarkdown,
  renderTable,
  WARNING_MARK,
} from "./render.js";

const metric: MetricRow = {
  suite: "stigma",
  target: "openai:m",
  arm: "none",
  metric: "stigma",
  condition: "overall",
  n: 10,
  k: 4,
  value: 0.4,
  ci95: [0.1, 0.7],
  ci95_wilson: [0.168, 0.687],
  dont_know: 2,
  unparsed: 1,
  errors: 0,
};
const data = {
  toolVersion: "0.1.0",
  seed: 0,
  resamples: 10_000,
  runs: [],
  metrics: [metric],
  comparisons: [],
};

describe("escaping untrusted text", () => {
  it("strips terminal escape sequences and control characters", () => {
    expect(sanitizeForTerminal("ok\u001b[2J\u001b]0;title\u0007\rdone\n")).toBe("okdone\n");
  });

  it("quotes CSV cells with commas, quotes, newlines and edge spaces", () => {
    expect(csvLine(["a", 'say "C"', "x,y", "two\nlines", " pad", null, 3])).toBe(
      'a,"say ""C""","x,y","two\nlines"," pad",,3',
    );
  });

  it("defuses spreadsheet formulas in text cells, not in numbers", () => {
    expect(csvLine(["=1+1", "+x", "-y", "@SUM(A1)", "\tz", "\rw", -0.5, "a=b"])).toBe(
      "'=1+1,'+x,'-y,'@SUM(A1),'\tz,\"'\rw\",-0.5,a=b",
    );
  });

  it("cuts long terminal cells with a marker and flattens line breaks", () => {
    expect(terminalCell("a\nb\tc\u001b[2Jd")).toBe("a b cd");
    const cut = terminalCell("x".repeat(100));
    expect([...cut]).toHaveLength(60);
    expect(cut.endsWith("…")).toBe(true);
  });

  it("escapes Markdown and HTML-like text in table cells", () => {
    expect(markdownCell("<script>|**x**\nnext")).toBe("\\<script\\>\\|\\*\\*x\\*\\*<br>next");
  });
});

describe("metric renderers", () => {
  it("writes the versioned JSON contract", () => {
    const parsed = JSON.parse(renderJson(data)) as {
      format: string;
      version: number;
      metrics: MetricRow[];
    };
    expect(parsed.format).toBe("careprobe-report");
    expect(parsed.version).toBe(1);
    expect(parsed.metrics[0]).toEqual(metric);
  });

  it("writes CSV with interval bounds in their own columns", () => {
    const [header, row] = renderCsv(data).trim().split("\n");
    expect(header).toBe(
      "suite,target,arm,metric,condition,n,k,value,ci95_low,ci95_high,ci95_wilson_low,ci95_wilson_high,dont_know,unparsed,errors,blank,ci95_cluster_low,ci95_cluster_high,ci95_crossed_low,ci95_crossed_high,bounds_low,bounds_high,letter,judge,p,warnings,feature,raters",
    );
    expect(row).toBe(
      "stigma,openai:m,none,stigma,overall,10,4,0.4,0.1,0.7,0.168,0.687,2,1,0,,,,,,,,,,,,,",
    );
  });

  it("marks rows with warnings in every renderer and lists the warnings", () => {
    const warned = {
      ...data,
      metrics: [
        {
          ...metric,
          ci95_crossed: [0.05, 0.8] as [number, number],
          warnings: ["letter A takes 90% of 10 readable answers"],
        },
      ],
    };
    expect(renderTable(warned)).toContain("n=10 (!)");
    expect(renderTable(warned, { all: true })).toContain(`stigma${WARNING_MARK}`);
    expect(renderTable(warned)).toContain("stigma · openai:m · none: letter A takes 90%");
    expect(renderTable(warned)).toContain("headline is the crossed interval");
    expect(renderTable(warned)).toContain("[5.0, 80.0]");
    expect(renderMarkdown(warned)).toContain("| stigma \\(\\!\\) |");
    expect(renderMarkdown(warned)).toContain("## Warnings");
    const html = metricsTable(warned.metrics);
    expect(html).toContain(
      'stigma <abbr title="letter A takes 90% of 10 readable answers">(!)</abbr>',
    );
    expect(html).toContain("[5.0%, 80.0%]");
    expect(renderCsv(warned).trim().split("\n")[1]).toMatch(
      /,0\.05,0\.8,,,,,,letter A takes 90% of 10 readable answers,,$/,
    );
    const json = JSON.parse(renderJson(warned)) as { metrics: MetricRow[] };
    expect(json.metrics[0]?.warnings).toEqual(["letter A takes 90% of 10 readable answers"]);
  });

  it("shows percentages and both intervals in the table and Markdown", () => {
    expect(renderTable(data)).toContain("40.0%");
    expect(renderTable(data)).toContain("[10.0, 70.0]");
    expect(renderMarkdown(data)).toContain(
      "| stigma | openai:m | none | stigma | overall | 10 | 40.0% | — |",
    );
    expect(renderTable({ ...data, metrics: [] })).toContain("careprobe run");
  });
});

describe("agreement rows", () => {
  const agreement = (metric: string, raters: string[], value: number, ci95: [number, number]) =>
    ({
      ...metric_(metric),
      raters,
      value,
      ci95,
      ci95_wilson: null,
    }) satisfies MetricRow;
  const metric_ = (name: string): MetricRow => ({ ...metric, suite: "responses", metric: name });
  const rows = [
    agreement("cohen_kappa", ["gpt-4o", "annotator-1"], 0.6234, [0.5111, 0.7149]),
    agreement("cohen_kappa", ["gpt-4o", "annotator-2"], 0.41, [0.3, 0.52]),
    agreement("percent_agreement", ["gpt-4o", "annotator-1"], 0.9, [0.84, 0.95]),
    agreement("fleiss_kappa", ["gpt-4o", "annotator-1", "annotator-2"], 0.5, [0.4, 0.6]),
  ];
  const withAgreement = { ...data, metrics: [metric, ...rows] };

  it("name the raters they compare in CSV, and keep the numbers as they are", () => {
    const lines = renderCsv(withAgreement).trim().split("\n");
    expect(lines[0]?.endsWith(",feature,raters")).toBe(true);
    // The rigor columns (ci95_crossed ... warnings) come before feature, empty here.
    expect(lines[2]).toBe(
      "responses,openai:m,none,cohen_kappa,overall,10,4,0.6234,0.5111,0.7149,,,2,1,0,,,,,,,,,,,,,gpt-4o vs annotator-1",
    );
    expect(lines[3]?.endsWith(",gpt-4o vs annotator-2")).toBe(true);
    expect(lines[5]?.endsWith(',"panel: gpt-4o, annotator-1, annotator-2"')).toBe(true);
  });

  it("print kappa as a coefficient and percent agreement as a percent, with the raters", () => {
    const table = renderTable(withAgreement, { all: true });
    const line = (text: string) => table.split("\n").find((l) => l.includes(text)) ?? "";
    expect(line("gpt-4o vs annotator-1")).toMatch(
      /cohen_kappa +gpt-4o vs annotator-1 +overall +10 +0\.62 +\[0\.51, 0\.71\]$/,
    );
    expect(table).toMatch(
      /percent_agreement +gpt-4o vs annotator-1 +overall +10 +90\.0% +\[84\.0, 95\.0\]/,
    );
    expect(table).toContain("panel: gpt-4o, annotator-1, annotator-2");
    expect(table).not.toContain("62.3%");
    const markdown = renderMarkdown(withAgreement);
    expect(markdown).toContain(
      "| responses | openai:m | none | cohen\\_kappa | gpt-4o vs annotator-1 | overall | 10 | 0.62 | \\[0.51, 0.71\\] |",
    );
    expect(markdown).not.toContain("62.3%");
  });

  it("show the raters and coefficients in the HTML table too", () => {
    const html = metricsTable(rows);
    expect(html).toContain("cohen_kappa (gpt-4o vs annotator-1)");
    expect(html).toContain(">0.62<");
    expect(html).toContain("[0.51, 0.71]");
    expect(html).toContain(">90.0%<");
    expect(html).toContain("[84.0%, 95.0%]");
  });
});

describe("item renderers", () => {
  it("keeps raw output verbatim (formulas defused) inside quoted CSV cells", () => {
    const item: ItemRow = {
      suite: "s",
      item_id: "c/q",
      target: "t",
      arm: "none",
      sample: 0,
      condition: "c",
      question_id: "q",
      question: "Q?",
      output: '=HYPERLINK("x"), then\n"C"',
      answer: null,
      letter: null,
      outcome: "unparsed",
      measures_stigma: true,
      error: null,
      warnings: ["temperature 1 dropped"],
    };
    const csv = renderItemsCsv([item]);
    // Verbatim after the apostrophe that keeps spreadsheets from running it as a formula.
    expect(csv).toContain(`"'=HYPERLINK(""x""), then\n""C"""`);
    expect(csv.split("\n")[0]?.endsWith(",error,warnings")).toBe(true);
    expect(csv).toContain('"[""temperature 1 dropped""]"');
  });
});
