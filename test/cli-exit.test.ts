/**
 * End to end: `careprobe run` exits with a code that tells the truth (docs/design/errors.md):
 * 3 when answers or verdicts are missing, 2 when the server cannot be reached, and says
 * what is incomplete and that the same command continues.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  type FakeChatRequest,
  type FakeOpenAI,
  startFakeOpenAI,
} from "../src/testing/fake-openai-server.js";
import { cliEnv, runCli, tempHome } from "./helpers/cli.js";

const servers: FakeOpenAI[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(options: Parameters<typeof startFakeOpenAI>[0] = {}): Promise<FakeOpenAI> {
  const s = await startFakeOpenAI(options);
  servers.push(s);
  return s;
}

function envFor(url: string, home = tempHome()): NodeJS.ProcessEnv {
  return cliEnv({ CAREPROBE_HOME: home, OPENAI_BASE_URL: url, OPENAI_API_KEY: "k" });
}

const STIGMA = ["run", "--target", "openai:m", "--limit", "6", "--concurrency", "1"];

describe("careprobe run's exit code", () => {
  it("exits 3 when answers still failed after retries, says so, and the same command continues", async () => {
    const fake = await server({ fail500: 1 });
    const env = envFor(fake.url);
    const first = await runCli([...STIGMA, "--retries", "0", "--quiet"], env);
    expect(fake.stats.faults.fail500).toBe(1);
    expect(first.code, first.stderr).toBe(3);
    expect(first.stderr).toContain("incomplete: stigma · openai:m · none: 1 of 6 answers failed");
    expect(first.stderr).toContain("Run the same command again to continue");
    // These six items measure no stigma yet: the summary says so instead of "no stored runs".
    expect(first.stdout).toContain("stigma · openai:m · none: 5/6 answered, 1 failed");
    expect(first.stdout).toContain("measure nothing on their own");

    const before = fake.requests.length;
    const again = await runCli([...STIGMA, "--retries", "0", "--quiet"], env);
    expect(again.code, again.stderr).toBe(0);
    expect(fake.requests.length - before).toBe(1); // only what had failed
    expect(again.stderr).not.toContain("incomplete");
  });

  it("exits 2 naming the server when it cannot be reached, even for a few items", async () => {
    const gone = await server();
    const url = gone.url;
    await gone.close();
    const result = await runCli(
      ["run", "--target", "openai:gone", "--limit", "3", "--retries", "0", "--quiet"],
      envFor(url),
    );
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain("could not reach openai:gone");
    expect(result.stderr).toContain("cannot connect");
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).not.toContain("No stored runs match");
  });

  it("exits 3 when every request timed out, a few too few to give the target up", async () => {
    const fake = await server({ hang: 100 });
    const result = await runCli(
      [
        ...["run", "--target", "openai:slow", "--limit", "3", "--concurrency", "3"],
        ...["--timeout", "1", "--retries", "0", "--quiet"],
      ],
      envFor(fake.url),
    );
    expect(fake.stats.faults.hang).toBe(3);
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toContain(
      "incomplete: stigma · openai:slow · none: 3 of 3 answers failed",
    );
    expect(result.stdout).toContain("No answer arrived, so nothing could be measured yet.");
  });

  it("exits 3 when no judge's verdict could be read, and says a rerun will not change that", async () => {
    const judgePrompt =
      "Summarize your answer to the question below by writing only the option letter.";
    const fake = await server({
      answer: (request: FakeChatRequest) =>
        request.messages.at(-1)?.content.startsWith(judgePrompt)
          ? "Well, it depends on many things."
          : "Sure! Here are some options you asked for.",
    });
    const args = [
      ...["run", "--suite", "responses", "--target", "openai:bot"],
      ...["--judge", "openai:judge-nonsense", "--limit", "3", "--quiet"],
    ];
    const result = await runCli(args, envFor(fake.url));
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toContain(
      "incomplete: responses · openai:bot · none: 3 item(s) with a verdict no judge reply gave",
    );
    expect(result.stderr).toContain("Unreadable verdicts stay unreadable on a rerun");
  });

  it("exits 3 when a judge request failed, counting the item as not yet judged", async () => {
    const fake = await server({
      rules: (request) => (request.model === "judge-down" ? "fail500" : undefined),
    });
    const args = [
      ...["run", "--suite", "responses", "--target", "openai:bot"],
      ...["--judge", "openai:judge-down", "--limit", "1", "--retries", "0", "--quiet"],
    ];
    const result = await runCli(args, envFor(fake.url));
    expect(fake.stats.faults.fail500).toBeGreaterThan(0);
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toContain(
      "incomplete: responses · openai:bot · none: 1 answered item(s) not yet judged",
    );
    expect(result.stderr).toContain("Run the same command again to continue");
  });

  it("exits 3, not 1, when a gate fails on incomplete numbers, and 1 once complete", async () => {
    const fake = await server({ fail500: 1 });
    const env = envFor(fake.url);
    const gated = [
      ...["run", "--target", "openai:m", "--limit", "20", "--concurrency", "1"],
      ...["--retries", "0", "--quiet", "--fail-under", "stigma<=0"],
    ];
    const first = await runCli(gated, env);
    expect(first.code, first.stderr).toBe(3);
    expect(first.stderr).toContain("the exit code is 3 (incomplete), not 1");
    const again = await runCli(gated, env);
    expect(again.code, again.stderr).toBe(1);
  });
});

describe("careprobe report with a filter that names nothing", () => {
  it("is bad input (exit 2) naming what is stored", async () => {
    const fake = await server();
    const env = envFor(fake.url);
    const run = await runCli([...STIGMA, "--quiet"], env);
    expect(run.code, run.stderr).toBe(0);
    const result = await runCli(["report", "--suite", "nosuch"], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("nosuch");
    expect(result.stderr).toContain("stigma");
    const target = await runCli(["report", "--target", "openai:other"], env);
    expect(target.code).toBe(2);
    expect(target.stderr).toContain("openai:m");
  });
});
