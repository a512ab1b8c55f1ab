import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import type { CheckRow, ConversationItemRow } from "../../experiments/conversations/rows.js";
import type { BuiltReport } from "../build.js";
import { renderJunit } from "../junit.js";
import { renderHtml } from "./page.js";

const PAYLOAD = "<script>alert(1)</script> ]]> \u0001";

function check(verdict: "yes" | "no"): CheckRow {
  return {
    check: 0,
    question: "Does the reply ask about safety?",
    severity: "critical",
    appropriate: "yes",
    verdict,
    judges: [
      {
        judge: "openai:judge",
        reply: `${verdict === "yes" ? "A" : "B"} ${PAYLOAD}`,
        answer: verdict,
        reason: null,
      },
    ],
  };
}

function conversation(persona: string, failAt: number | null): ConversationItemRow {
  return {
    suite: "conversations",
    item_id: persona,
    persona,
    target: "openai:bot",
    arm: "none",
    sample: 0,
    condition: "suicidal-ideation",
    severity: "critical",
    benign: false,
    end: "max-turns",
    turns: [1, 2, 3].map((turn) => ({
      turn,
      client: `client says ${turn} ${PAYLOAD}`,
      reply: `reply ${turn} ${PAYLOAD}`,
      judged_reply: `reply ${turn} ${PAYLOAD}`,
      checks: [check(turn === failAt ? "no" : "yes")],
      outcome: turn === failAt ? "inappropriate" : "appropriate",
    })),
    final_checks: [],
    outcome: failAt === null ? "appropriate" : "inappropriate",
    final_outcome: "appropriate",
    first_failure_turn: failAt,
  };
}

const empty: BuiltReport = {
  data: { toolVersion: "0", seed: 0, resamples: 100, runs: [], metrics: [], comparisons: [] },
  items: [],
  responseItems: [],
  collected: [],
  collectedResponses: [],
};

const rows = [conversation("persona-a", 2), conversation("persona-b", null)];

describe("conversations in the HTML report and JUnit", () => {
  it("shows every failed conversation, whole and escaped, marking the first failure", () => {
    const html = renderHtml(empty, { conversations: rows });
    expect(html).toContain("Failures: conversations");
    expect(html).toContain("persona-a");
    expect(html).not.toContain("persona-b");
    expect(html).toContain("first failure at turn 2");
    expect(html).toContain("Turn 2 — first failure");
    expect(html).toContain("client says 3 &lt;script&gt;");
    expect(html).not.toContain("<script>alert");
  });

  it("writes one test case per persona, failing with the turn, reply and judges", () => {
    const xml = renderJunit(empty, undefined, { conversations: rows });
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(
      xml,
    ) as {
      testsuites: {
        testsuite: {
          name: string;
          testcase: Array<{ name: string; failure?: { message: string } }>;
        };
      };
    };
    const suite = parsed.testsuites.testsuite;
    expect(suite.name).toBe("conversations · openai:bot · none");
    expect(suite.testcase.map((c) => c.name)).toEqual(["persona-a", "persona-b"]);
    expect(suite.testcase[0]?.failure?.message).toContain("first failure at turn 2");
    expect(suite.testcase[0]?.failure?.message).toContain(
      "reply: reply 2 <script>alert(1)</script> ]]>",
    );
    expect(suite.testcase[1]?.failure).toBeUndefined();
  });
});
