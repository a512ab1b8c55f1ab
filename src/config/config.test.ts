import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { CareprobeError } from "../core/errors.js";
import { findConfigFile, loadConfigFile, parseConfigText } from "./load.js";
import { mergeRunOptions, renderConfig } from "./merge.js";
import { projectConfigJsonSchema } from "./schema.js";

function errorOf(fn: () => unknown): CareprobeError {
  try {
    fn();
  } catch (error) {
    if (error instanceof CareprobeError) return error;
    throw error;
  }
  throw new Error("expected a CareprobeError");
}

function projectDir(config: string): string {
  const dir = mkdtempSync(join(tmpdir(), "careprobe-config-"));
  writeFileSync(join(dir, "careprobe.yaml"), config);
  return dir;
}

const CONFIG = `suites: [stigma, my-suite.yaml]
targets: [openai:gpt-4o-mini, "local:models/tiny.gguf"]
arms: [none, prompts/mine.txt]
samples: 3
temperature: 0.7
transcripts: data/t.jsonl
gates:
  fail_under: ["stigma.overall <= 0.2"]
`;

describe("careprobe.yaml", () => {
  it("is found in the working directory, or named with --config", () => {
    const dir = projectDir("samples: 2\n");
    expect(findConfigFile(dir, undefined)).toBe(join(dir, "careprobe.yaml"));
    expect(findConfigFile(tmpdir(), "x/other.yaml")).toBe(resolve(tmpdir(), "x/other.yaml"));
    expect(findConfigFile(mkdtempSync(join(tmpdir(), "empty-")), undefined)).toBeUndefined();
  });

  it("gives file:line errors for misspelt keys and wrong values", () => {
    const misspelt = errorOf(() => parseConfigText("samples: 2\ntargest: [openai:m]\n", "c.yaml"));
    expect(misspelt.code).toBe("CONFIG_INVALID");
    expect(misspelt.message).toContain("c.yaml:2: field `targest`");
    const wrong = errorOf(() => parseConfigText("suites: [stigma]\nsamples: many\n", "c.yaml"));
    expect(wrong.message).toContain("c.yaml:2: field `samples`");
    const gate = errorOf(() => parseConfigText("gates:\n  fail_under: 0.2\n", "c.yaml"));
    expect(gate.message).toContain("c.yaml:2: field `gates.fail_under`");
    const syntax = errorOf(() => parseConfigText("suites: [stigma\n", "c.yaml"));
    expect(syntax.message).toMatch(/c\.yaml:\d+: not valid YAML/);
  });

  it("names a missing --config file", () => {
    const error = errorOf(() => loadConfigFile("/nonexistent/careprobe.yaml"));
    expect(error.message).toContain("/nonexistent/careprobe.yaml");
    expect(error.message).toContain("does not exist");
  });

  it("merges flags over the file over defaults, with paths relative to the file", () => {
    const dir = projectDir(CONFIG);
    const loaded = loadConfigFile(join(dir, "careprobe.yaml"));
    const merged = mergeRunOptions({ samples: "5" }, loaded);
    expect(merged.values.samples).toBe("5");
    expect(merged.sources.samples).toBe("flag");
    expect(merged.values.temperature).toBe("0.7");
    expect(merged.sources.temperature).toBe("config");
    expect(merged.values.suite).toEqual(["stigma", join(dir, "my-suite.yaml")]);
    expect(merged.values.target).toEqual([
      "openai:gpt-4o-mini",
      `local:${join(dir, "models/tiny.gguf")}`,
    ]);
    expect(merged.values.arm).toEqual(["none", join(dir, "prompts/mine.txt")]);
    expect(merged.values.transcripts).toBe(join(dir, "data/t.jsonl"));
    expect(merged.values["fail-under"]).toEqual(["stigma.overall <= 0.2"]);
    expect(merged.values.concurrency).toBe("8");
    expect(merged.sources.concurrency).toBe("default");
    // A list on the command line replaces the file's list.
    expect(mergeRunOptions({ target: ["openai:x"] }, loaded).values.target).toEqual(["openai:x"]);
  });

  it("gives local-only runs a CPU timeout and no retries", () => {
    const local = mergeRunOptions({ target: ["local:default"] }, undefined).values;
    expect([local.timeout, local.retries]).toEqual(["600", "0"]);
    const hosted = mergeRunOptions({ target: ["openai:m"] }, undefined).values;
    expect([hosted.timeout, hosted.retries]).toEqual(["60", "4"]);
    const explicit = mergeRunOptions({ target: ["local:default"], retries: "2" }, undefined);
    expect(explicit.values.retries).toBe("2");
  });

  it("prints a configuration that reads back as the same run", () => {
    const dir = projectDir(CONFIG);
    const merged = mergeRunOptions({ seed: "7" }, loadConfigFile(join(dir, "careprobe.yaml")));
    const printed = renderConfig(merged);
    const again = parseConfigText(printed, "printed.yaml");
    expect(again.seed).toBe(7);
    expect(again.samples).toBe(3);
    expect(again.gates?.fail_under).toEqual(["stigma.overall <= 0.2"]);
    expect(mergeRunOptions({}, { file: "p", dir, config: again }).values).toEqual(merged.values);
  });

  it("takes the conversations settings: client (relative to the file), max_turns, stop_on_critical", () => {
    const dir = projectDir(
      "suites: [conversations]\nclient: local:models/c.gguf\nmax_turns: 4\nstop_on_critical: true\n",
    );
    const loaded = loadConfigFile(join(dir, "careprobe.yaml"));
    const merged = mergeRunOptions({ "max-turns": "6" }, loaded);
    expect(merged.values).toMatchObject({
      client: `local:${resolve(dir, "models/c.gguf")}`,
      "max-turns": "6",
      "stop-on-critical": true,
    });
    expect(merged.sources).toMatchObject({ "max-turns": "flag", client: "config" });
    const again = parseConfigText(renderConfig(merged), "printed.yaml");
    expect(again).toMatchObject({ max_turns: 6, stop_on_critical: true });
    expect(errorOf(() => parseConfigText("max_turns: 0\n", "c.yaml")).message).toContain(
      "c.yaml:1: field `max_turns`",
    );
  });

  it("ships a JSON Schema that matches the zod schema", () => {
    const shipped = JSON.parse(
      readFileSync(resolve(import.meta.dirname, "../../schema/careprobe.schema.json"), "utf8"),
    );
    expect(shipped).toEqual(projectConfigJsonSchema());
    const properties = (shipped as { properties: Record<string, unknown> }).properties;
    expect(Object.keys(properties)).toContain("gates");
  });
});
