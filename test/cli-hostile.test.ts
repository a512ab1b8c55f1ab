/**
 * End to end (issue 8): a hostile OpenAI-compatible server that echoes the API key and
 * sends terminal escapes in its error bodies. Nothing of either reaches the terminal, the
 * database or a report.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeOpenAI, startFakeOpenAI } from "../src/testing/fake-openai-server.js";
import { cliEnv, runCli, tempHome } from "./helpers/cli.js";

const KEY = "sk-hostile-test-0123456789";
const servers: FakeOpenAI[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const ESC = String.fromCharCode(27);

describe("careprobe run against a hostile server", () => {
  it("never shows or stores the key it echoes, nor the escapes it sends", async () => {
    const fake = await startFakeOpenAI({
      apiKey: KEY,
      rules: (_body, index) => (index % 2 === 0 ? "echoKey" : "escapes"),
    });
    servers.push(fake);
    const home = tempHome();
    const env = cliEnv({ CAREPROBE_HOME: home, OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: KEY });
    const run = await runCli(
      ["run", "--target", "openai:m", "--limit", "6", "--concurrency", "1", "--retries", "0"],
      env,
    );
    expect(fake.stats.faults.echoKey).toBeGreaterThan(0);
    expect(fake.stats.faults.escapes).toBeGreaterThan(0);
    expect(run.stderr).toContain("Bearer ***");
    const items = await runCli(["report", "--items"], env);
    const table = await runCli(["report"], env);
    const database = readFileSync(join(home, "careprobe.db")).toString("latin1");
    for (const text of [run.stdout, run.stderr, items.stdout, table.stdout, database]) {
      expect(text).not.toContain(KEY);
    }
    for (const text of [run.stdout, run.stderr, table.stdout]) {
      expect(text).not.toContain(ESC);
      expect(text).not.toContain("]0;pwned");
    }
  });

  it("cuts an answer at --max-response-bytes and records the cut", async () => {
    const fake = await startFakeOpenAI({ apiKey: KEY, huge: 100, hugeChars: 64 * 1024 });
    servers.push(fake);
    const home = tempHome();
    const env = cliEnv({ CAREPROBE_HOME: home, OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: KEY });
    const args = ["run", "--target", "openai:m", "--limit", "2", "--max-response-bytes", "4096"];
    await runCli(args, env);
    const db = new Database(join(home, "careprobe.db"), { readonly: true });
    const rows = db.prepare("SELECT status, error_code, error_message FROM requests").all();
    db.close();
    expect(rows).toHaveLength(2);
    for (const row of rows as Array<Record<string, string>>) {
      expect(row.status).toBe("error");
      expect(row.error_code).toBe("RESPONSE_TOO_LARGE");
      expect(row.error_message).toMatch(/larger than 4096 bytes.*answer cut/);
    }
  });
});
