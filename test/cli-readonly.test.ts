/** End to end: a database sent to a reviewer, in a folder nobody may write, still reports. */
import { spawn } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeOpenAI, startFakeOpenAI } from "../src/testing/fake-openai-server.js";
import { BIN, type CliResult, cliEnv, runCli, tempHome } from "./helpers/cli.js";

const servers: FakeOpenAI[] = [];
const locked: string[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  for (const dir of locked.splice(0)) chmodSync(dir, 0o755);
});

/** Root may write anywhere: run the reader as `nobody` then, so the folder's mode counts. */
function runAsReader(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  const asRoot = process.getuid?.() === 0;
  const child = spawn(process.execPath, [BIN, ...args], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
    ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
  });
  const output: CliResult = { code: null, signal: null, stdout: "", stderr: "" };
  child.stdout.on("data", (chunk: Buffer) => {
    output.stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    output.stderr += chunk.toString();
  });
  return new Promise((resolve) => {
    child.on("close", (code, signal) => {
      output.code = code;
      output.signal = signal;
      resolve(output);
    });
  });
}

describe("careprobe report on a read-only copy", () => {
  it("reads a database in a folder it may not write, and writes nothing there", async () => {
    const fake = await startFakeOpenAI();
    servers.push(fake);
    const home = tempHome();
    const env = cliEnv({ CAREPROBE_HOME: home, OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: "k" });
    const run = await runCli(["run", "--target", "openai:m", "--limit", "14", "--quiet"], env);
    expect(run.code, run.stderr).toBe(0);

    const review = join(tempHome(), "review");
    mkdirSync(review);
    copyFileSync(join(home, "careprobe.db"), join(review, "careprobe.db"));
    chmodSync(join(review, "careprobe.db"), 0o444);
    chmodSync(review, 0o555);
    chmodSync(join(review, ".."), 0o755);
    locked.push(review);
    const readerEnv = cliEnv({ CAREPROBE_HOME: review });
    const table = await runAsReader(["report"], readerEnv);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain("openai:m");
    const json = await runAsReader(
      ["report", "--format", "json", "--db", join(review, "careprobe.db")],
      readerEnv,
    );
    expect(json.code, json.stderr).toBe(0);
    expect((JSON.parse(json.stdout) as { metrics: unknown[] }).metrics.length).toBeGreaterThan(0);
    expect(readdirSync(review)).toEqual(["careprobe.db"]);
    expect(existsSync(join(review, "careprobe.db-shm"))).toBe(false);
  });
});
