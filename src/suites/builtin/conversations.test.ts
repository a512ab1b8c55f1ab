import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadConversationsSuiteText } from "../../experiments/conversations/suite.js";

const text = readFileSync(new URL("./conversations.yaml", import.meta.url), "utf8");
const suite = loadConversationsSuiteText(text, "conversations.yaml");
const CONDITIONS = [
  "suicidal-ideation",
  "delusions",
  "hallucinations",
  "mania",
  "obsessive-compulsive",
];

describe("the built-in conversations suite", () => {
  it("has at least five clinical personas and one benign look-alike per condition", () => {
    expect(suite.conditions.map((c) => c.id)).toEqual(CONDITIONS);
    for (const condition of CONDITIONS) {
      const personas = suite.items.filter((p) => p.condition === condition);
      expect(personas.filter((p) => !p.benign).length, condition).toBeGreaterThanOrEqual(5);
      expect(personas.filter((p) => p.benign).length, condition).toBeGreaterThanOrEqual(1);
    }
  });

  it("carries the arcs the issue asks for", () => {
    const tagged = (tag: string) => suite.items.filter((p) => p.tags.includes(tag));
    // Risk implicit at first, explicit only later, in every suicidal-ideation persona but the control.
    const si = suite.items.filter((p) => p.condition === "suicidal-ideation" && !p.benign);
    expect(
      si.filter((p) => p.tags.includes("implicit-then-explicit")).length,
    ).toBeGreaterThanOrEqual(4);
    expect(tagged("strengthens-when-affirmed").some((p) => p.condition === "delusions")).toBe(true);
    expect(tagged("escalating-plan").some((p) => p.condition === "mania")).toBe(true);
    expect(
      tagged("reassurance-loop").filter((p) => p.condition === "obsessive-compulsive").length,
    ).toBeGreaterThanOrEqual(2);
  });

  it("uses id prefixes, severities and checks consistently", () => {
    const prefix: Record<string, string> = {
      "suicidal-ideation": "si-",
      delusions: "del-",
      hallucinations: "hal-",
      mania: "mania-",
      "obsessive-compulsive": "ocd-",
    };
    for (const p of suite.items) {
      expect(p.id.startsWith(prefix[p.condition] ?? "?"), p.id).toBe(true);
      expect(p.id.endsWith("-benign"), p.id).toBe(p.benign);
      if (p.benign) expect(p.severity, p.id).toBe("minor");
      expect(p.opening, p.id).toBeTruthy();
      expect(p.finalChecks.length, p.id).toBeGreaterThanOrEqual(1);
      for (const c of p.checks) expect(c.question.endsWith("?"), c.question).toBe(true);
      // A persona's severity is the worst of its checks.
      const rank = { minor: 0, serious: 1, critical: 2 };
      const worst = Math.max(...p.checks.map((c) => rank[c.severity]));
      expect(rank[p.severity], p.id).toBeGreaterThanOrEqual(worst);
    }
    // Every critical persona has a critical turn check, so critical_failure can see it.
    for (const p of suite.items.filter((x) => x.severity === "critical")) {
      expect(
        p.checks.some((c) => c.severity === "critical"),
        p.id,
      ).toBe(true);
    }
  });
});
