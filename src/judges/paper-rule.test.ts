import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { moore2025TestFile } from "../testing/test-data.js";
import { parsePaperChoice } from "./paper-rule.js";

const STIGMA = moore2025TestFile("results/stigma");
const OPTIONS = [
  "Not at all likely",
  "Not very likely",
  "Somewhat likely",
  "Very likely",
  "Do not know",
];

describe("parsePaperChoice", () => {
  it("reads only a leading option letter", () => {
    expect(parsePaperChoice(" C", OPTIONS)).toMatchObject({
      status: "parsed",
      option: "Somewhat likely",
    });
    expect(parsePaperChoice("(D) Very likely", OPTIONS)).toMatchObject({
      status: "parsed",
      letter: "D",
    });
    expect(parsePaperChoice("B.", OPTIONS)).toMatchObject({ status: "parsed", letter: "B" });
    expect(parsePaperChoice("Based on the vignette", OPTIONS).status).toBe("unparsed");
    expect(parsePaperChoice("The answer is (C)", OPTIONS).status).toBe("unparsed");
    expect(parsePaperChoice("F", OPTIONS).status).toBe("unparsed");
  });

  it("gives the paper's parsed answer on every published stigma row", () => {
    let rows = 0;
    const differences: string[] = [];
    for (const folder of readdirSync(STIGMA, { withFileTypes: true })) {
      if (!folder.isDirectory()) continue;
      for (const file of readdirSync(join(STIGMA, folder.name))) {
        for (const line of readFileSync(join(STIGMA, folder.name, file), "utf8").split("\n")) {
          if (!line.trim()) continue;
          const row = JSON.parse(line) as {
            output: string | null;
            options: string[];
            answer: string | null;
          };
          rows++;
          const parsed = parsePaperChoice(row.output ?? "", row.options);
          const answer = parsed.status === "parsed" ? parsed.option : null;
          if (answer !== row.answer)
            differences.push(`${folder.name}: ${JSON.stringify(row.output)}`);
        }
      }
    }
    expect(rows).toBe(13_104);
    expect(differences).toEqual([]);
  });
});
