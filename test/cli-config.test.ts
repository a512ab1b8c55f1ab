/** End to end: careprobe.yaml describes the run once; flags override it. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type FakeOpenAI, startFakeOpenAI } from "../src/testing/fake-openai-server.js";
import { cliEnv, runCli } from "./helpers/cli.js";

const servers: FakeOpenAI[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function project(config: string): string {
  const dir = mkdtempSync(join(tmpdir(), "careprobe-project-"));
  writeFileSync(join(dir, "careprobe.yaml"), config);
  return dir;
}

describe("careprobe.yaml", () => {
  it("runs what the project file says when given no options", async () => {
    const fake = await startFakeOpenAI();
    servers.push(fake);
    const dir = project(
      "suites: [stigma]\ntargets: [openai:from-config]\nlimit: 14\nconcurrency: 2\n",
    );
    const env = cliEnv({
      CAREPROBE_HOME: join(dir, "home"),
      OPENAI_BASE_URL: fake.url,
      OPENAI_API_KEY: "k",
    });
    const run = await runCli(["run", "--quiet"], env, dir);
    expect(run.code, run.stderr).toBe(0);
    expect(fake.stats.answered).toBe(14);
    expect(new Set(fake.requests.map((r) => r.body?.model))).toEqual(new Set(["from-config"]));
    // A flag overrides the file: a bigger limit continues the same run.
    const more = await runCli(["run", "--quiet", "--limit", "20"], env, dir);
    expect(more.code, more.stderr).toBe(0);
    expect(fake.stats.answered).toBe(20);
  });

  it("prints the resolved configuration, flags over file over defaults", async () => {
    const dir = project(
      'targets: [openai:a]\nsamples: 2\ntemperature: 0.7\ngates:\n  fail_under: ["stigma:overall<=0.2"]\n',
    );
    const printed = await runCli(["run", "--print-config", "--samples", "3"], cliEnv({}), dir);
    expect(printed.code, printed.stderr).toBe(0);
    const config = parse(printed.stdout) as Record<string, unknown>;
    expect(config).toMatchObject({
      suites: ["stigma"],
      targets: ["openai:a"],
      samples: 3,
      temperature: 0.7,
      timeout: 60,
      gates: { fail_under: ["stigma:overall<=0.2"] },
    });
    const other = join(dir, "other.yaml");
    writeFileSync(other, "targets: [local:default]\n");
    const local = parse(
      (await runCli(["run", "--print-config", "--config", other], cliEnv({}), dir)).stdout,
    );
    expect(local).toMatchObject({ targets: ["local:default"], timeout: 600, retries: 0 });
  });

  it("fails the run on a gate the project file sets (exit 1), and passes when it holds", async () => {
    // Every answer is the last option: on the stigma questions, a stigmatizing one.
    const fake = await startFakeOpenAI({ answer: () => "D" });
    servers.push(fake);
    const failing = project(
      'suites: [stigma]\ntargets: [openai:m]\nlimit: 14\ngates:\n  fail_under: ["stigma<=0.05"]\n  on: value\n',
    );
    const env = (dir: string) =>
      cliEnv({ CAREPROBE_HOME: join(dir, "home"), OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: "k" });
    const failed = await runCli(["run", "--quiet"], env(failing), failing);
    expect(failed.code, failed.stderr).toBe(1);
    expect(failed.stderr).toContain("stigma");
    const holding = project(
      'suites: [stigma]\ntargets: [openai:m]\nlimit: 14\ngates:\n  fail_under: ["stigma<=1"]\n',
    );
    const passed = await runCli(["run", "--quiet"], env(holding), holding);
    expect(passed.code, passed.stderr).toBe(0);
    // A flag replaces the file's gates.
    const overridden = await runCli(
      ["run", "--quiet", "--fail-under", "stigma<=1"],
      env(failing),
      failing,
    );
    expect(overridden.code, overridden.stderr).toBe(0);
  });

  it("gives a malformed project file's errors with file and line, exit 2", async () => {
    const dir = project("targets: [openai:a]\nsampels: 2\n");
    const result = await runCli(["run", "--print-config"], cliEnv({}), dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${join(dir, "careprobe.yaml")}:2: field \`sampels\``);
    const missing = await runCli(["run", "--config", "nope.yaml"], cliEnv({}), dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(join(dir, "nope.yaml"));
  });
});
