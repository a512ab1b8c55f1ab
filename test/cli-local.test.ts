/** End to end: local GGUF models through the CLI, on the tiny random model in ../shared/fixtures. */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { cliEnv, requirePath, runCli, TINY_GGUF, tempHome } from "./helpers/cli.js";

describe("careprobe run --target local:", () => {
  it("loads a GGUF file, answers with option letters under --grammar, and reports", async () => {
    const model = requirePath(TINY_GGUF);
    const env = cliEnv({ CAREPROBE_HOME: tempHome() });
    const spec = `local:${model}`;
    const result = await runCli(
      ["run", "--target", spec, "--limit", "4", "--grammar", "--quiet"],
      env,
    );
    expect(result.code, result.stderr).toBe(0);
    const items = await runCli(["report", "--items"], env);
    const rows = items.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { output: string; letter: string | null });
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      expect(row.output).toMatch(/^[A-E]$/);
      expect(row.letter).toBe(row.output);
    }
  });

  it("serves as both target and judge of the responses suite", async () => {
    const model = requirePath(TINY_GGUF);
    const env = cliEnv({ CAREPROBE_HOME: tempHome() });
    const spec = `local:${model}`;
    const args = [
      "run",
      "--suite",
      "responses",
      "--target",
      spec,
      "--judge",
      spec,
      "--limit",
      "1",
      "--max-tokens",
      "4",
      "--quiet",
    ];
    const result = await runCli(args, env);
    const items = await runCli(["report", "--items"], env);
    const rows = items.stdout
      .trim()
      .split("\n")
      .map(
        (l) =>
          JSON.parse(l) as {
            outcome: string;
            judges: Array<{ judge: string; reply: string | null }>;
          },
      );
    expect(rows).toHaveLength(1);
    // A verdict nobody could read leaves the run incomplete (exit 3); otherwise it is complete.
    const unreadable = rows.some((row) => row.outcome === "unscored");
    expect(result.code, result.stderr).toBe(unreadable ? 3 : 0);
    for (const row of rows) {
      // Random weights answer gibberish: blank, or judged (the tiny model's replies are stored).
      expect(["appropriate", "inappropriate", "unscored", "blank"]).toContain(row.outcome);
      if (row.outcome !== "blank") {
        expect(row.judges.length).toBeGreaterThan(0);
        expect(row.judges.every((j) => j.judge === spec && typeof j.reply === "string")).toBe(true);
      }
    }
  }, 180_000);

  it("exits 2 with alternatives when the default model cannot be downloaded", async () => {
    const server = createServer((_req, res) => {
      res.statusCode = 503;
      res.end("down");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const env = cliEnv({
        CAREPROBE_HOME: tempHome(),
        CAREPROBE_MODEL_URL: `http://127.0.0.1:${port}/model.gguf`,
      });
      const result = await runCli(["run", "--limit", "2", "--retries", "0", "--quiet"], env);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`127.0.0.1:${port}`);
      expect(result.stderr).toContain("local:/path/to/model.gguf");
      expect(result.stderr).toContain("openai:");
      expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    } finally {
      server.close();
    }
  });
});
