/**
 * A run's options from three places, in order of precedence: the command line, the
 * project file, careprobe's defaults. The result has the shape of the parsed flags, so the
 * run command reads one set of values whatever their source; `renderConfig` prints it as
 * a project file (`careprobe run --print-config > careprobe.yaml` round-trips).
 */
import { existsSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { stringify } from "yaml";
import type { LoadedConfig } from "./load.js";
import type { ProjectConfig } from "./schema.js";

/** The run command's flags as node's parseArgs returns them. */
export interface RunFlags {
  suite?: string[];
  target?: string[];
  arm?: string[];
  judge?: string[];
  samples?: string;
  temperature?: string;
  "max-tokens"?: string;
  limit?: string;
  sample?: string;
  "sample-seed"?: string;
  concurrency?: string;
  timeout?: string;
  retries?: string;
  "max-response-bytes"?: string;
  rpm?: string;
  tpm?: string;
  grammar?: boolean;
  "option-order"?: string;
  "option-seed"?: string;
  transcripts?: string;
  "char-limit"?: string;
  interval?: string;
  contextualize?: string;
  client?: string;
  "max-turns"?: string;
  "stop-on-critical"?: boolean;
  db?: string;
  seed?: string;
  "judge-seed"?: string;
  "fail-under"?: string[];
  "gate-on"?: string;
}

type ListFlag = "suite" | "target" | "arm" | "judge" | "fail-under";
type ScalarFlag = Exclude<keyof RunFlags, ListFlag | "grammar" | "stop-on-critical" | "gate-on">;

/** Project-file keys and the flags they stand for. */
const SCALARS: ReadonlyArray<[keyof ProjectConfig, ScalarFlag]> = [
  ["samples", "samples"],
  ["temperature", "temperature"],
  ["max_tokens", "max-tokens"],
  ["limit", "limit"],
  ["sample", "sample"],
  ["sample_seed", "sample-seed"],
  ["concurrency", "concurrency"],
  ["timeout", "timeout"],
  ["retries", "retries"],
  ["max_response_bytes", "max-response-bytes"],
  ["rpm", "rpm"],
  ["tpm", "tpm"],
  ["transcripts", "transcripts"],
  ["char_limit", "char-limit"],
  ["interval", "interval"],
  ["contextualize", "contextualize"],
  ["client", "client"],
  ["max_turns", "max-turns"],
  ["db", "db"],
  ["seed", "seed"],
  ["judge_seed", "judge-seed"],
  ["option_order", "option-order"],
  ["option_seed", "option-seed"],
];

const LISTS: ReadonlyArray<["suites" | "targets" | "arms" | "judges", ListFlag]> = [
  ["suites", "suite"],
  ["targets", "target"],
  ["arms", "arm"],
  ["judges", "judge"],
];

/** careprobe's defaults, for every option that has one. */
export const RUN_DEFAULTS = {
  suite: ["stigma"],
  target: ["local:default"],
  arm: ["none"],
  samples: "1",
  concurrency: "8",
  timeout: "60",
  retries: "4",
  interval: "50",
  seed: "0",
} as const satisfies RunFlags;

/**
 * Local models run on the CPU by default: a long answer takes minutes, and a request that
 * timed out will time out again, so they get a longer timeout and no retries.
 */
export const LOCAL_DEFAULTS = { timeout: "600", retries: "0" } as const;

export interface MergedRun {
  values: RunFlags;
  /** Where each option came from. */
  sources: Partial<Record<keyof RunFlags, "flag" | "config" | "default">>;
  config?: LoadedConfig;
}

/** Paths in the project file are relative to it; names of built-ins are left alone. */
function relativeToConfig(value: string, dir: string): string {
  if (isAbsolute(value)) return value;
  const candidate = resolve(dir, value);
  return /[/\\]/.test(value) || /\.[a-z]+$/i.test(value) || existsSync(candidate)
    ? candidate
    : value;
}

function targetRelativeToConfig(spec: string, dir: string): string {
  const match = /^(local|http):(.+)$/.exec(spec);
  if (!match || /^https?:\/\//.test(match[2] ?? "") || match[2] === "default") return spec;
  const path = match[2] ?? "";
  return /[/\\]|\.(gguf|json)$/i.test(path) ? `${match[1]}:${resolve(dir, path)}` : spec;
}

function configFlags(loaded: LoadedConfig): RunFlags {
  const { config, dir } = loaded;
  const flags: RunFlags = {};
  for (const [key, flag] of LISTS) {
    const list = config[key];
    if (!list) continue;
    flags[flag] =
      flag === "target"
        ? list.map((spec) => targetRelativeToConfig(spec, dir))
        : flag === "suite" || flag === "arm"
          ? list.map((entry) => relativeToConfig(entry, dir))
          : [...list];
  }
  for (const [key, flag] of SCALARS) {
    const value = config[key];
    if (value === undefined) continue;
    const text = String(value);
    flags[flag] =
      flag === "transcripts" || flag === "db"
        ? resolve(dir, text)
        : flag === "client"
          ? targetRelativeToConfig(text, dir)
          : text;
  }
  if (config.grammar !== undefined) flags.grammar = config.grammar;
  if (config.stop_on_critical !== undefined) flags["stop-on-critical"] = config.stop_on_critical;
  if (config.gates?.fail_under) flags["fail-under"] = [...config.gates.fail_under];
  if (config.gates?.on) flags["gate-on"] = config.gates.on;
  return flags;
}

function onlyLocal(targets: readonly string[]): boolean {
  return targets.every((spec) => spec.startsWith("local:"));
}

export function mergeRunOptions(flags: RunFlags, loaded: LoadedConfig | undefined): MergedRun {
  const fromConfig = loaded ? configFlags(loaded) : {};
  const values: Record<string, unknown> = {};
  const sources: MergedRun["sources"] = {};
  const keys = new Set([...Object.keys(fromConfig), ...Object.keys(flags)]) as Set<keyof RunFlags>;
  for (const key of keys) {
    if (flags[key] !== undefined) {
      values[key] = flags[key];
      sources[key] = "flag";
    } else if (fromConfig[key] !== undefined) {
      values[key] = fromConfig[key];
      sources[key] = "config";
    }
  }
  const targets = (values.target as string[] | undefined) ?? RUN_DEFAULTS.target;
  const defaults: RunFlags = {
    ...RUN_DEFAULTS,
    ...(onlyLocal(targets) ? LOCAL_DEFAULTS : {}),
  };
  for (const [key, value] of Object.entries(defaults) as [keyof RunFlags, unknown][]) {
    if (values[key] !== undefined) continue;
    values[key] = Array.isArray(value) ? [...value] : value;
    sources[key] = "default";
  }
  return { values: values as RunFlags, sources, ...(loaded ? { config: loaded } : {}) };
}

const NUMERIC = new Set<ScalarFlag>([
  "samples",
  "temperature",
  "max-tokens",
  "limit",
  "sample",
  "sample-seed",
  "concurrency",
  "timeout",
  "retries",
  "max-response-bytes",
  "rpm",
  "tpm",
  "char-limit",
  "interval",
  "max-turns",
  "seed",
  "option-seed",
]);

/** The merged options as a project file, with a comment naming each source. */
export function renderConfig(merged: MergedRun): string {
  const config: Record<string, unknown> = {};
  for (const [key, flag] of LISTS) {
    const list = merged.values[flag];
    if (list) config[key] = list;
  }
  for (const [key, flag] of SCALARS) {
    const value = merged.values[flag];
    if (value !== undefined) config[key] = NUMERIC.has(flag) ? Number(value) : value;
  }
  if (merged.values.grammar !== undefined) config.grammar = merged.values.grammar;
  const stop = merged.values["stop-on-critical"];
  if (stop !== undefined) config.stop_on_critical = stop;
  const rules = merged.values["fail-under"];
  const on = merged.values["gate-on"];
  if ((rules && rules.length > 0) || on) {
    config.gates = {
      ...(rules && rules.length > 0 ? { fail_under: rules } : {}),
      ...(on ? { on } : {}),
    };
  }
  const from = merged.config
    ? `flags over ${merged.config.file} over defaults`
    : "flags over defaults (no careprobe.yaml)";
  return `# careprobe run: the resolved configuration (${from})\n${stringify(config)}`;
}
