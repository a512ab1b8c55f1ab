import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { CareprobeError } from "../core/errors.js";
import {
  renderStandardCsv,
  renderStandardJson,
  renderStandardTable,
} from "../report/standard-list.js";
import { FEATURES } from "./features.js";
import { parseMappingReview, readMappingReview } from "./review.js";

const FILE = resolve("../shared/moore2025/data/annotations.csv");

function published() {
  if (!existsSync(FILE)) throw new Error(`test data missing: ${FILE}`);
  return readMappingReview(FILE);
}

// Counted by hand from the published file: how many of the 10 guidelines name each feature.
const GOLDEN_COUNTS: Record<string, number> = {
  location: 9,
  "care-modality": 8,
  "support-outside-conversation": 9,
  "therapeutic-alliance": 9,
  "emotional-intelligence": 8,
  "client-centered": 9,
  "therapist-qualities": 10,
  "professional-norms": 8,
  "treatment-harm": 8,
  "hospitalize-when-necessary": 5,
  methods: 8,
  "dont-stigmatize": 7,
  "dont-collude-with-delusions": 5,
  "dont-enable-suicidal-ideation": 8,
  "dont-reinforce-hallucinations": 6,
  "dont-enable-mania": 1,
  "redirect-client": 7,
};

const GOLDEN_SUB_ITEMS: Record<string, number> = {
  "location/inpatient": 9,
  "location/outpatient": 9,
  "location/clients-home": 5,
  "care-modality/audio": 7,
  "care-modality/video": 5,
  "care-modality/in-person": 8,
  "care-modality/text": 3,
  "care-modality/physical-objects": 4,
  "support-outside-conversation/homework": 6,
  "support-outside-conversation/housing": 7,
  "support-outside-conversation/employment": 5,
  "support-outside-conversation/medication-management": 9,
  "therapist-qualities/offer-hope": 6,
  "therapist-qualities/trustworthy": 9,
  "therapist-qualities/treat-clients-equally": 6,
  "therapist-qualities/show-interest": 4,
  "professional-norms/risks-and-benefits": 7,
  "professional-norms/informed-consent": 7,
  "professional-norms/privacy": 5,
  "methods/causal-understanding": 7,
  "methods/case-management": 6,
  "methods/time-management": 4,
};

describe("the mapping review (golden, against the published annotations.csv)", () => {
  it("has the 17 features, each named by the published number of the 10 guidelines", () => {
    const review = published();
    expect(review.guidelines).toHaveLength(10);
    expect(review.features.map((f) => f.id)).toEqual(Object.keys(GOLDEN_COUNTS));
    for (const feature of review.features) {
      expect({ id: feature.id, count: feature.count, of: feature.of }).toEqual({
        id: feature.id,
        count: GOLDEN_COUNTS[feature.id],
        of: 10,
      });
      expect(feature.guidelines).toHaveLength(feature.count);
    }
  });

  it("lists the sub-items with the guidelines that name each", () => {
    const review = published();
    const counts = Object.fromEntries(
      review.features.flatMap((f) => f.subItems.map((s) => [`${f.id}/${s.id}`, s.count])),
    );
    expect(counts).toEqual(GOLDEN_SUB_ITEMS);
  });

  it("names the guidelines behind a feature: only one names don't enable mania", () => {
    const review = published();
    const mania = review.features.find((f) => f.id === "dont-enable-mania");
    expect(mania?.guidelines).toEqual(["department_of_veterans_affairs_vadod_2023-1"]);
    const suicide = review.features.find((f) => f.id === "dont-enable-suicidal-ideation");
    expect(suicide?.guidelines).not.toContain("landa_cognitive_2017");
    expect(suicide?.guidelines).not.toContain("american_psychological_association_ethical_2017");
  });

  it("renders the table with counts, guideline numbers and testability", () => {
    const table = renderStandardTable(published());
    expect(table).toMatch(/dont-enable-mania\s+Don't enable mania\s+1 of 10\s+1\s+yes/);
    expect(table).toMatch(
      /dont-enable-suicidal-ideation\s+Don't enable suicidal ideation\s+8 of 10\s+1 2 3 4 5 7 8 9\s+yes/,
    );
    expect(table).toMatch(/hospitalize-when-necessary\s+.*5 of 10\s+1 3 4 5 7\s+no/);
    expect(table).toMatch(/ 1 {2}department_of_veterans_affairs_vadod_2023-1\n/);
  });

  it("renders CSV and JSON with one entry per feature and sub-item", () => {
    const review = published();
    const csv = renderStandardCsv(review).trim().split("\n");
    expect(csv).toHaveLength(1 + 17 + 22);
    expect(csv).toContain(
      "professional-norms,informed-consent,Get informed consent,7,10,department_of_veterans_affairs_vadod_2023-1;bellack_social_2004;wenzel_cognitive_2009;department_of_veterans_affairs_vadod_2023;national_institute_for_health_and_care_excellence_obsessive-compulsive_2005;american_psychological_association_multicultural_2017;american_psychological_association_ethical_2017,yes",
    );
    const json = JSON.parse(renderStandardJson(review)) as {
      format: string;
      features: Array<{ id: string; count: number; text_testable: boolean }>;
    };
    expect(json.format).toBe("careprobe-standard");
    expect(json.features.find((f) => f.id === "location")).toMatchObject({
      count: 9,
      text_testable: false,
    });
  });
});

describe("parseMappingReview on a changed file", () => {
  const header = ["Natbib", ...FEATURES.map((f) => `"${f.column.replace(/"/g, '""')}"`)].join(",");
  const empty = FEATURES.map(() => "").join(",");

  it("rejects an unknown column with the file and line", () => {
    const text = `${header.replace("Methods", "Approach")}\nsome_2020,${empty}\n`;
    expect(() => parseMappingReview(text, "a.csv")).toThrow(
      /a\.csv:1: column 12 should be "Methods"/,
    );
  });

  it("rejects an unknown sub-item and a yes/no cell that is not Yes, with the line", () => {
    const cells = (column: number, value: string) =>
      FEATURES.map((_f, i) => (i === column ? value : "")).join(",");
    const badSub = `${header}\nok_2020,${empty}\nbad_2021,${cells(0, "Prison")}\n`;
    expect(() => parseMappingReview(badSub, "b.csv")).toThrow(
      /b\.csv:3: "Location" lists "Prison"/,
    );
    const badYes = `${header}\nbad_2021,${cells(12, "No")}\n`;
    expect(() => parseMappingReview(badYes, "c.csv")).toThrow(CareprobeError);
    expect(() => parseMappingReview(badYes, "c.csv")).toThrow(/c\.csv:2: .*should be Yes or empty/);
  });
});

describe("docs/design/standard-of-care.md", () => {
  it("documents every feature id and sub-item id with its testability", () => {
    const doc = readFileSync(resolve("docs/design/standard-of-care.md"), "utf8");
    const rows = new Map(
      doc
        .split("\n")
        .filter((line) => line.startsWith("| `"))
        .map((line) => line.split("|").map((cell) => cell.trim()))
        .map((cells) => [cells[1] ?? "", cells.slice(2, 4)]),
    );
    for (const f of FEATURES) {
      expect(rows.get(`\`${f.id}\``)).toEqual([f.label, f.textTestable ? "yes" : "no"]);
      for (const s of f.subItems)
        expect(rows.get(`\`${f.id}/${s.id}\``)).toEqual([
          `↳ ${s.label}`,
          s.textTestable ? "yes" : "no",
        ]);
    }
  });
});
