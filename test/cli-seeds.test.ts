/** `--seed` is the bootstrap seed only; the judges' option order has its own `--judge-seed`. */
import { afterEach, describe, expect, it } from "vitest";
import { type FakeOpenAI, startFakeOpenAI } from "../src/testing/fake-openai-server.js";
import { cliEnv, runCli, tempHome } from "./helpers/cli.js";

const servers: FakeOpenAI[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe("seeds", () => {
  it("never re-sends a request when only --seed changes; --judge-seed re-judges", async () => {
    const fake = await startFakeOpenAI({ answer: () => "A" });
    servers.push(fake);
    const env = cliEnv({
      CAREPROBE_HOME: tempHome(),
      OPENAI_BASE_URL: fake.url,
      OPENAI_API_KEY: "k",
    });
    const base = ["run", "--suite", "responses", "--target", "openai:m", "--judge", "openai:j"];
    const first = await runCli([...base, "--limit", "2", "--quiet"], env);
    expect(first.code, first.stderr).toBe(0);
    const sent = fake.requests.length;
    expect(sent).toBeGreaterThan(2);

    const reseeded = await runCli([...base, "--limit", "2", "--seed", "1", "--quiet"], env);
    expect(reseeded.code, reseeded.stderr).toBe(0);
    expect(fake.requests.length).toBe(sent);
    expect(reseeded.stderr).toContain("sent 0 request(s)");

    const rejudged = await runCli([...base, "--limit", "2", "--judge-seed", "1", "--quiet"], env);
    expect(rejudged.code, rejudged.stderr).toBe(0);
    const models = fake.requests.slice(sent).map((r) => r.body?.model);
    expect(models.length).toBeGreaterThan(0);
    expect(models.every((m) => m === "j")).toBe(true); // the answers come from the store
  });
});
