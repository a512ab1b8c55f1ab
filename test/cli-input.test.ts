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

  it("exits 2 naming the path of a missing transcripts file", async () => {
    const missing = join(tempHome(), "nope.jsonl");
    const stderr = await failing(
      ["run", "--suite", "responses", "--target", "openai:m", "--transcripts", missing],
      { OPENAI_API_KEY: "k" },
    );
    expect(stderr).toContain(missing);
    expect(stderr).toContain("does not exist");
  });

  it("rejects transcripts that could never be used, with file and line", async () => {
    const file = join(tempHome(), "t.jsonl");
    const message = (id: string, conditions: string[]) =>
      JSON.stringify({ id, conditions, messages: [{ role: "client", content: "hi" }] });
    const args = ["run", "--suite", "responses", "--target", "openai:m", "--transcripts", file];
    writeFileSync(file, `${message("a", [])}\n${message("b", ["suicidal-ideation", "gout"])}\n`);
    const unknown = await failing(args, { OPENAI_API_KEY: "k" });
    expect(unknown).toContain(`${file}:2: field \`conditions\``);
    expect(unknown).toContain("`gout`");
    writeFileSync(file, `${message("a", [])}\n\n${message("x@y:2", [])}\n`);
    const badId = await failing(args, { OPENAI_API_KEY: "k" });
    expect(badId).toContain(`${file}:3: field \`id\``);
    expect(badId).toContain("`@`");
  });

  it("exits 2 naming the path of an http: target config over its size limit", async () => {
    const file = join(tempHome(), "bot.json");
    // Valid JSON, 2 MB of it whitespace: the limit for a target config is 1 MB.
    writeFileSync(file, `{"url": "http://127.0.0.1:9/chat"}${" ".repeat(2 * 1024 * 1024)}`);
    const stderr = await failing(["run", "--suite", "stigma", "--target", `http:${file}`]);
    expect(stderr).toContain(file);
    expect(stderr).toContain("limit");
  });

  it("exits 2, not 70, on a YAML alias bomb", async () => {
    const file = join(tempHome(), "bomb.yaml");
    const lines = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i <= 9; i++) {
      const name = String.fromCharCode(97 + i);
      lines.push(
        `${name}: &${name} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(", ")}]`,
      );
    }
    writeFileSync(file, lines.join("\n"));
    expect(await failing(["suites", "validate", file])).toContain("aliases");
  });

  it("says what a flag expects instead of the parser's words", async () => {
    const stderr = await failing(["run", "--suite", "--limit", "3"]);
    expect(stderr).toContain("`--suite` expects NAME|FILE");
    expect(stderr).not.toContain("ambiguous");
    const unknown = await failing(["run", "--limt", "3"]);
    expect(unknown).toContain("Did you mean `--limit`?");
    expect(unknown).not.toContain("after '--'");
  });
});
