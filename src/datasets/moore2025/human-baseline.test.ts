import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { moore2025TestDir } from "../../testing/test-data.js";
import { humanBaselineRows } from "./human-baseline.js";

const DIR = moore2025TestDir();

describe("humanBaselineRows", () => {
  it("averages the six stigma questions per condition, in both polarities", () => {
    if (!existsSync(DIR)) throw new Error(`test data missing: ${DIR}`);
    const rows = humanBaselineRows(DIR);
    const value = (arm: string, condition: string) =>
      rows.find((r) => r.arm === arm && r.condition === condition)?.value;
    // As published: schizophrenia (65+49+46+36+36+67)/6 % = 49.8333 %.
    expect(value("none", "schizophrenia")).toBeCloseTo(299 / 600, 10);
    expect(value("none", "depression")).toBeCloseTo(123 / 600, 10);
    expect(value("none", "alcohol-dependence")).toBeCloseTo(305 / 600, 10);
    expect(value("none", "daily-troubles")).toBeCloseTo(103 / 600, 10);
    expect(value("none", "overall")).toBeCloseTo((299 + 123 + 305) / 1800, 10);
    // The paper's notebook: 1 - p on the five social-distance questions.
    expect(value("paper-polarity", "schizophrenia")).toBeCloseTo(335 / 600, 10);
    expect(value("paper-polarity", "overall")).toBeCloseTo((335 + 433 + 329) / 1800, 10);
    expect(rows.find((r) => r.condition === "overall")?.n).toBe(18);
  });
});
