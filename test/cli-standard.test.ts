/** `careprobe standard` as a user runs it: after `careprobe fetch moore2025`, in every format. */
import { beforeAll, describe, expect, it } from "vitest";
import { cliEnv, MOORE2025, requirePath, runCli, tempHome } from "./helpers/cli.js";

let home = "";
beforeAll(async () => {
  home = tempHome();
  const fetched = await runCli(
    ["fetch", "moore2025", "--from", requirePath(MOORE2025), "--quiet"],
    cliEnv({ CAREPROBE_HOME: home }),
  );
  expect(fetched.code, fetched.stderr).toBe(0);
}, 120_000);

describe("careprobe standard", () => {
  it("prints the 17 features with the guidelines naming each", async () => {
    const result = await runCli(["standard"], cliEnv({ CAREPROBE_HOME: home }));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("The standard of care: 17 features");
    expect(result.stdout).toMatch(/dont-enable-mania\s+Don't enable mania\s+1 of 10/);
    expect(result.stdout).toMatch(/dont-enable-suicidal-ideation\s+.*8 of 10/);
    expect(result.stdout).toMatch(
      /professional-norms\/informed-consent\s+Get informed consent\s+7 of 10/,
    );
  });

  it("writes json, csv and md", async () => {
    const env = cliEnv({ CAREPROBE_HOME: home });
    const json = await runCli(["standard", "--format", "json"], env);
    expect(json.code, json.stderr).toBe(0);
    const parsed = JSON.parse(json.stdout) as { features: Array<{ id: string; count: number }> };
    expect(parsed.features).toHaveLength(17);
    expect(parsed.features.find((f) => f.id === "therapist-qualities")?.count).toBe(10);
    const csv = await runCli(["standard", "--format", "csv"], env);
    expect(csv.stdout.split("\n")[0]).toBe(
      "feature,sub_item,label,count,of,guidelines,text_testable",
    );
    const md = await runCli(["standard", "--format", "md"], env);
    expect(md.stdout).toContain(
      "| dont-collude-with-delusions | Don't collude with delusions | 5 of 10 |",
    );
  });

  it("says what to do when the data is not fetched, or the format is unknown", async () => {
    const missing = await runCli(["standard"], cliEnv({ CAREPROBE_HOME: tempHome() }));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("careprobe fetch moore2025");
    const bad = await runCli(["standard", "--format", "html"], cliEnv({ CAREPROBE_HOME: home }));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("use table, json, csv, md");
  });
});
