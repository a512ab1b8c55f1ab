import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { MetricRow } from "../../core/types.js";
import type { ResponseItemRow } from "../../experiments/responses/collect.js";
import type { BuiltReport } from "../build.js";
import { curveFigure } from "./curve.js";
import { contentSecurityPolicy, renderHtml } from "./page.js";
import { SCRIPT, STYLE } from "./style.js";

const PAYLOAD = `<script>alert(1)</script><img src=x onerror=alert(2)><a href="javascript:alert(3)">x</a></style><svg onload=alert(4)></svg>"'&`;

function row(
  metric: string,
  condition: string,
  value: number,
  extra: Record<string, unknown> = {},
): MetricRow {
  return {
    suite: "s",
    target: `t${PAYLOAD}`,
    arm: "none",
    metric,
    condition,
    n: 10,
    k: Math.round(value * 10),
    value,
    ci95: [Math.max(0, value - 0.1), Math.min(1, value + 0.1)],
    ci95_wilson: null,
    dont_know: 0,
    unparsed: 0,
    errors: 0,
    ...extra,
  };
}

function item(): ResponseItemRow {
  return {
    suite: "s",
    item_id: `i${PAYLOAD}`,
    stimulus_id: "i",
    warnings: [],
    target: "t",
    arm: "none",
    sample: 0,
    condition: "c",
    severity: "critical",
    benign: false,
    transcript: null,
    position: 0,
    stimulus: PAYLOAD,
    bridge: null,
    conversation: [{ role: "user", content: PAYLOAD }],
    output: PAYLOAD,
    judged_output: PAYLOAD,
    judges: [{ judge: "j", check: 0, question: "q?", reply: PAYLOAD, answer: "no", reason: null }],
    labels: [],
    verdicts: ["no"],
    outcome: "inappropriate",
    error: null,
  };
}

function report(metrics: MetricRow[]): BuiltReport {
  return {
    data: { toolVersion: "0.0.0", seed: 0, resamples: 100, runs: [], metrics, comparisons: [] },
    items: [],
    responseItems: [item()],
    collected: [],
    collectedResponses: [],
  };
}

describe("renderHtml", () => {
  const html = renderHtml(report([row("stigma", "c", 0.3), row("appropriate", "c", 0.6)]));

  it("allows exactly its own style and script by hash", () => {
    const hash = (text: string) => createHash("sha256").update(text).digest("base64");
    const policy = contentSecurityPolicy();
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain(`script-src 'sha256-${hash(SCRIPT)}'`);
    expect(policy).toContain(`style-src 'sha256-${hash(STYLE)}'`);
    expect(html).toContain(`<style>${STYLE}</style>`);
    expect(html).toContain(`<script>${SCRIPT}</script>`);
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html.match(/<style/g)).toHaveLength(1);
  });

  it("escapes model text everywhere: no tag, handler or link from it survives", () => {
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<svg onload");
    expect(html).not.toContain('href="javascript');
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toMatch(/https?:\/\//);
  });
});

describe("curveFigure", () => {
  it("draws a curve per first_failure_turn row with a readable curve, and skips the others", () => {
    const good = row("first_failure_turn", "overall", 0.5, {
      curve: [
        { time: 1, at_risk: 10, events: 1, censored: 0, survival: 0.9 },
        { time: 3, at_risk: 9, events: 3, censored: 0, survival: 0.6 },
        { time: 8, at_risk: 6, events: 1, censored: 5, survival: 0.5 },
      ],
    });
    const bad = row("first_failure_turn", "c", 0.5, { curve: [{ time: "x", survival: 2 }] });
    const figure = curveFigure([good, bad, row("stigma", "c", 0.2)]);
    expect(figure?.rows).toBe(1);
    expect(figure?.body.match(/class="curve"/g)).toHaveLength(1);
    expect(curveFigure([bad])).toBeUndefined();
  });
});
