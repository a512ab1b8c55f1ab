/**
 * Finding and reading the project file: `--config FILE`, else `careprobe.yaml` (or
 * `careprobe.yml`) in the working directory, else none. Errors name file, line and field,
 * as for suites.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { readInputText } from "../core/input-file.js";
import { parseYamlFile, validateParsed } from "../suites/parse-file.js";
import { type ProjectConfig, projectConfigSchema } from "./schema.js";

export const CONFIG_NAMES = ["careprobe.yaml", "careprobe.yml"] as const;

export interface LoadedConfig {
  /** The file it came from (absolute). */
  file: string;
  /** Relative paths in the file are relative to this folder. */
  dir: string;
  config: ProjectConfig;
}

const HINT =
  "See docs/config.md for the keys of careprobe.yaml (its JSON Schema: schema/careprobe.schema.json).";

/** The project file to use, or undefined when there is none. */
export function findConfigFile(cwd: string, explicit: string | undefined): string | undefined {
  if (explicit !== undefined) return resolve(cwd, explicit);
  return CONFIG_NAMES.map((name) => join(cwd, name)).find((file) => existsSync(file));
}

export function loadConfigFile(file: string): LoadedConfig {
  const text = readInputText(file, {
    what: "config file",
    kind: "config",
    code: "CONFIG_INVALID",
    hint: "Pass an existing careprobe.yaml with --config, or leave --config out.",
  });
  return { file, dir: dirname(file), config: parseConfigText(text, file) };
}

export function parseConfigText(text: string, file: string): ProjectConfig {
  const parsed = parseYamlFile(text, file, { code: "CONFIG_INVALID" });
  // An empty file is an empty configuration.
  if (parsed.value === null || parsed.value === undefined) return {};
  return validateParsed(parsed, file, projectConfigSchema, { code: "CONFIG_INVALID", hint: HINT });
}
