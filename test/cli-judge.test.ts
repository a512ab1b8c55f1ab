/** End to end: `careprobe judge validate` on the paper's annotations and on stored judges. */
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { moore2025Dir, moore2025Path } from "../src/datasets/moore2025/fetch.js";
import { MOORE2025_FILES } from "../src/datasets/moore2025/manifest.js";
import { type FakeOpenAI, startFakeOpenAI } from "../src/testing/fake-openai-server.js";
import { cliEnv, MOORE2025, requirePath, runCli, tempHome } from "./helpers/cli.js";

const VALIDATION = join(
  MOORE2025,
  "results/interjections/contextualize=False&contextualize-model=gpt-4o-2024-08-06&date=2025-01-19&filter-model=gpt-4o-2024-08-06&model=gpt-4o-2024-08-06&steel-man-prompt=False/classification_validation.csv",
);

interface Validation {
  raters: string[];
  overall: {
    fleissKappa: { n: number; value: number };
    krippendorffAlpha: { value: number };
    pairs: Array<{ raters: [string, string]; cohenKappa: { value: number } }>;
    confusion: Array<{ labels: string[]; counts: number[][] }>;
  };
  conditions: Array<{ condition: string }>;
}

const servers: FakeOpenAI[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe("careprobe judge validate", () => {
  it("measures gpt-4o and the two annotators of the paper", async () => {
    const file = requirePath(VALIDATION);
    const result = await runCli(
      ["judge", "validate", "--labels", file, "--format", "json", "--seed", "2025"],
      cliEnv({}),
    );
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Validation;
    expect(report.raters).toEqual([
      "gpt-4o-2024-08-06_classification",
      "annotator_1_classification",
      "annotator_2_classification",
    ]);
    // Fleiss' kappa over the three raters, on the 98 responses all three labelled.
    expect(report.overall.fleissKappa.n).toBe(98);
    expect(report.overall.fleissKappa.value).toBeCloseTo(0.958694, 6);
    expect(report.overall.pairs[0]?.cohenKappa.value).toBeCloseTo(0.979839, 6);
    expect(report.conditions.map((c) => c.condition)).toHaveLength(5);
    expect(report.overall.confusion[0]?.counts).toEqual([
      [45, 1],
      [0, 54],
    ]);
    const table = await runCli(["judge", "validate", "--labels", file], cliEnv({}));
    expect(table.stdout).toContain("Fleiss' kappa");
    expect(table.stdout).toContain("delusions");
  });

  it("reads the paper's labels with --labels moore2025 once they are fetched", async () => {
    const home = tempHome();
    const env = cliEnv({ CAREPROBE_HOME: home });
    const before = await runCli(["judge", "validate", "--labels", "moore2025"], env);
    expect(before.code).toBe(2);
    expect(before.stderr).toContain("careprobe fetch moore2025");
    // Only the one file this command needs, placed where `fetch` puts it.
    const file = MOORE2025_FILES.find((f) => f.path.endsWith("classification_validation.csv"));
    const destination = moore2025Path(moore2025Dir(home), file?.path ?? "");
    mkdirSync(dirname(destination), { recursive: true });
    copyFileSync(requirePath(VALIDATION), destination);
    const result = await runCli(
      ["judge", "validate", "--labels", "moore2025", "--format", "json", "--seed", "2025"],
      env,
    );
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Validation;
    expect(report.overall.fleissKappa.value).toBeCloseTo(0.958694, 6);
  });

  it("names the file, line and field of labels that match nothing", async () => {
    const home = tempHome();
    const labels = join(home, "labels.csv");
    const missing = await runCli(["judge", "validate", "--labels", labels], cliEnv({}));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(labels);
    expect(missing.stderr).toContain("does not exist");
  });

  it("compares human labels with the judges stored for a run", async () => {
    const fake = await startFakeOpenAI({
      answer: (request) => {
        const prompt = request.messages.at(-1)?.content ?? "";
        if (!prompt.startsWith("Summarize your answer"))
          return "I hear you. Let's talk about how you are doing.";
        return /- \(([AB])\): no\n/.exec(prompt)?.[1] ?? "A";
      },
    });
    servers.push(fake);
    const home = tempHome();
    const env = cliEnv({ CAREPROBE_HOME: home, OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: "k" });
    const run = await runCli(
      [
        "run",
        "--suite",
        "responses",
        "--target",
        "openai:bot",
        "--judge",
        "openai:judge",
        "--limit",
        "4",
        "--quiet",
      ],
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    const items = await runCli(["report", "--items", "--format", "jsonl"], env);
    const ids = items.stdout
      .trim()
      .split("\n")
      .map((l) => (JSON.parse(l) as { item_id: string }).item_id);
    const labels = join(home, "labels.csv");
    writeFileSync(
      labels,
      `item_id,check,label\n${ids.map((id, i) => `${id},0,${i === 0 ? "yes" : "no"}`).join("\n")}\n`,
    );
    const result = await runCli(
      [
        "judge",
        "validate",
        "--labels",
        labels,
        "--suite",
        "responses",
        "--target",
        "openai:bot",
        "--format",
        "json",
      ],
      env,
    );
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Validation;
    expect(report.raters).toEqual(["human", "openai:judge"]);
    // The judge said "no" to all four; the human said "yes" once.
    expect(report.overall.confusion[0]?.counts).toEqual([
      [3, 0],
      [1, 0],
    ]);

    const validate = (file: string) =>
      runCli(
        ["judge", "validate", "--labels", file, "--suite", "responses", "--target", "openai:bot"],
        env,
      );
    const unknownItem = join(home, "unknown-item.csv");
    writeFileSync(unknownItem, `item_id,check,label\n${ids[0]},0,yes\nno-such-item,0,no\n`);
    const badItem = await validate(unknownItem);
    expect(badItem.code).toBe(2);
    expect(badItem.stderr).toContain(`${unknownItem}:3: field \`item_id\``);
    expect(badItem.stderr).toContain("no-such-item");
    const unknownCheck = join(home, "unknown-check.csv");
    writeFileSync(unknownCheck, `item_id,check,label\n${ids[0]},7,yes\n`);
    const badCheck = await validate(unknownCheck);
    expect(badCheck.code).toBe(2);
    expect(badCheck.stderr).toContain(`${unknownCheck}:2: field \`check\``);
  });

  it("explains what is missing", async () => {
    const result = await runCli(["judge", "validate"], cliEnv({}));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--labels");
  });
});
