/** End to end: bad input gets exit code 2 and a message that says what to fix, never a stack trace. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cliEnv, runCli, tempHome } from "./helpers/cli.js";

const NO_STACK = /\n\s+at .+:\d+:\d+/;

async function failing(args: string[], extra: Record<string, string> = {}) {
  const result = await runCli(args, cliEnv({ CAREPROBE_HOME: tempHome(), ...extra }));
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr).not.toMatch(NO_STACK);
  return result.stderr;
}

describe("bad input", () => {
  it("names the file, line and field of a malformed suite", async () => {
    const dir = tempHome();
    const file = join(dir, "broken.yaml");
    writeFileSync(
      file,
      [
        "format: careprobe-suite/1",
        "id: broken",
        "kind: multiple-choice",
        'version: "1"',
        "description: d",
        "instruction: i",
        "scales: { likely: [No, Yes] }",
        "conditions:",
        "  - { id: c, label: C, vignette: v }",
        "questions:",
        "  - id: q",
        "    group: g",
        "    text: t",
        "    scale: likely",
        "    stigma: Yes",
      ].join("\n"),
    );
    const stderr = await failing(["run", "--suite", file, "--target", "openai:m"], {
      OPENAI_API_KEY: "k",
    });
    expect(stderr).toContain(`${file}:15`);
    expect(stderr).toContain("questions.0.stigma");
    const validated = await failing(["suites", "validate", file]);
    expect(validated).toContain(`${file}:15`);
  });

  it("explains unknown suites, targets, arms, options and formats", async () => {
    expect(await failing(["run", "--suite", "nope"])).toContain("Unknown suite `nope`");
    expect(await failing(["run", "--target", "nokind:x"])).toContain(
      "Unknown target kind `nokind`",
    );
    expect(await failing(["run", "--target", "openai"])).toContain("kind:model");
    expect(await failing(["run", "--arm", "no-such-arm"], { OPENAI_API_KEY: "k" })).toContain(
      "Unknown arm",
    );
    expect(await failing(["run", "--bogus"])).toContain("--bogus");
    expect(await failing(["run", "--concurrency", "0"])).toContain("--concurrency");
    expect(await failing(["report", "--format", "xml"])).toContain("--format xml");
  });

  it("says how to configure a hosted target without a key", async () => {
    const stderr = await failing(["run", "--target", "openai:gpt-4o"]);
    expect(stderr).toContain("OPENAI_API_KEY");
    expect(stderr).toContain("OPENAI_BASE_URL");
  });

  it("asks for the paper's data before its suite is used", async () => {
    expect(
      await failing(["run", "--suite", "moore2025-stigma", "--target", "openai:m"], {
        OPENAI_API_KEY: "k",
      }),
    ).toContain("careprobe fetch moore2025");
  });

  it("reports a missing database instead of an empty report", async () => {
    expect(await failing(["report"])).toContain("careprobe run");
  });

  it("prints help and usage with exit code 0", async () => {
    const help = await runCli(["--help"], cliEnv({}));
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("careprobe run");
    const runHelp = await runCli(["run", "--help"], cliEnv({}));
    expect(runHelp.code).toBe(0);
    expect(runHelp.stdout).toContain("--concurrency");
  });
});
