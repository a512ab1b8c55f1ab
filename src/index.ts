/**
 * careprobe as a library: the same suites, targets, runner, store and report as the
 * `careprobe` command, without the command. Nothing here prints or exits; progress comes
 * as events and bad input as a `CareprobeError` whose message says what to fix.
 *
 *     import { buildReport, openStore, renderTable, run } from "careprobe";
 *     const store = openStore("careprobe.db");
 *     const result = await run({ store, suites: ["stigma"], targets: ["openai:gpt-4o-mini"], limit: 28 });
 *     console.log(renderTable(buildReport(store, { runIds: result.runs.map((r) => r.id) })));
 *     store.close();
 *
 * See "Use as a library" in the README.
 */
import { careprobeHome, databasePath, toolVersion } from "./api/context.js";
import { listSuites as listSuiteInfo, resolveSuite, type SuiteInfo } from "./catalog/suites.js";
import { CareprobeError } from "./core/errors.js";
import { recipeNamed } from "./core/recipe.js";
import type { ProgressListener, Suite, Target } from "./core/types.js";
import { buildReport as buildStoredReport, type ReportFilter } from "./report/build.js";
import * as render from "./report/render.js";
import { Store } from "./store/store.js";
import { createTarget as createTargetOfSpec } from "./targets/registry.js";

export { type RunHooks, type RunOptions, type RunResult, run } from "./api/library.js";
export type { SuiteInfo } from "./catalog/suites.js";
export { CareprobeError, type ErrorCode, isCareprobeError } from "./core/errors.js";
export type {
  Arm,
  ChatMessage,
  ChatRequest,
  ChatResponse,
  ChoiceItem,
  ChoiceSuite,
  GenerationParams,
  MetricRow,
  ProgressEvent,
  ProgressListener,
  ResponseItem,
  ResponsesSuite,
  Suite,
  Target,
} from "./core/types.js";
export type { ReportFilter } from "./report/build.js";
export type { ReportData, RunSummaryRow } from "./report/render.js";
export type { RunOutcome } from "./runner/execute.js";
export type { Store } from "./store/store.js";

/** careprobe's version (the package's). */
export const version: string = toolVersion();

/** Where the CLI keeps its data unless told otherwise: `$CAREPROBE_HOME` or `./.careprobe`. */
function defaultHome(): string {
  return careprobeHome(process.env);
}

/** The built-in suites (and the paper's, once `careprobe fetch moore2025` has run), by name. */
export function listSuites(): SuiteInfo[] {
  return listSuiteInfo();
}

/**
 * A suite, expanded and validated: a built-in name (`stigma`, `responses`,
 * `moore2025-stigma`, `moore2025-responses`) or a path to a `.yaml`/`.json` suite file.
 * `home` is where fetched datasets live (default `$CAREPROBE_HOME` or `./.careprobe`).
 * Errors name the file, line and field.
 */
export function loadSuite(nameOrPath: string, options: { home?: string } = {}): Suite {
  return resolveSuite(nameOrPath, options.home ?? defaultHome());
}

/** Options of `createTarget`. */
export interface TargetOptions {
  /** API keys and base URLs (`OPENAI_API_KEY`, `OPENAI_BASE_URL`, ...); default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Where `local:default` models are downloaded to; default `$CAREPROBE_HOME` or `./.careprobe`. */
  home?: string;
  /** Download progress of local models, and notes. */
  onEvent?: ProgressListener;
  /** Constrain local models' output to the option letters. */
  grammar?: boolean;
  /** The most of a server's answer that is read, in bytes (default 4 MiB). */
  maxResponseBytes?: number;
}

/**
 * A target from a spec: `openai:<model>`, `anthropic:<model>`, `local:<file.gguf>`,
 * `local:default`, `http:<url>` or `http:<config.json>`. Pass it to `run`, or call
 * `chat` yourself; call `close()` when done (a local model holds memory).
 */
export function createTarget(spec: string, options: TargetOptions = {}): Target {
  const env = options.env ?? process.env;
  return createTargetOfSpec(spec, {
    env,
    home: options.home ?? careprobeHome(env),
    constrainChoices: options.grammar ?? false,
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    ...(options.maxResponseBytes ? { maxResponseBytes: options.maxResponseBytes } : {}),
  });
}

/**
 * Opens (creating if needed, upgrading in place) a careprobe database: the file `careprobe
 * run` and `careprobe report --db` use; default `$CAREPROBE_HOME/careprobe.db`. `readOnly`
 * opens it without writing anything. Pass it to `run` and `buildReport`; call `close()`
 * when done. Its other methods are internal and may change.
 */
export function openStore(path?: string, options: { readOnly?: boolean } = {}): Store {
  const file = databasePath(process.env, path);
  return options.readOnly ? Store.openReadOnly(file) : Store.open(file);
}

/** Options of `buildReport`: which runs (newest per suite × target × arm), and how scored. */
export interface ReportOptions extends ReportFilter {
  /** Bootstrap seed of the intervals (default 0). */
  seed?: number;
  /** Bootstrap resamples (default 10,000). */
  resamples?: number;
  /** `careprobe` (default) or `paper`: Moore et al.'s answer rule and counting. */
  recipe?: "careprobe" | "paper";
}

/**
 * The report of stored runs: runs, metric rows with 95% intervals, comparisons and
 * coverage of the standard of care; the same data as `careprobe report --format json`.
 */
export function buildReport(store: Store, options: ReportOptions = {}): render.ReportData {
  const { seed = 0, resamples = 10_000, recipe: name = "careprobe", ...filter } = options;
  const recipe = recipeNamed(name);
  if (!recipe) {
    throw new CareprobeError("BAD_ARGUMENT", `Unknown recipe \`${name}\`; use careprobe or paper.`);
  }
  return buildStoredReport(store, filter, { seed, resamples, recipe, toolVersion: version }).data;
}

/** The terminal table of `careprobe report`; `all` lists every metric row. */
export const renderTable: (data: render.ReportData, options?: { all?: boolean }) => string =
  render.renderTable;
/** The versioned JSON report (`careprobe report --format json`). */
export const renderJson: (data: render.ReportData) => string = render.renderJson;
/** The metric rows as CSV (`--format csv`). */
export const renderCsv: (data: render.ReportData) => string = render.renderCsv;
/** The report as Markdown (`--format md`). */
export const renderMarkdown: (data: render.ReportData) => string = render.renderMarkdown;
