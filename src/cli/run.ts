/** `careprobe run`: suites × targets × arms × samples, then a summary table. */
import { parseArgs } from "node:util";
import { type RunPlan, readTranscripts, runPlan } from "../api/run.js";
import { resolveArm } from "../catalog/arms.js";
import { resolveSuite } from "../catalog/suites.js";
import { findConfigFile, loadConfigFile } from "../config/load.js";
import { mergeRunOptions, type RunFlags, renderConfig } from "../config/merge.js";
import { CareprobeError } from "../core/errors.js";
import type { Target } from "../core/types.js";
import { sanitizeForTerminal } from "../report/format.js";
import { DEFAULT_RETRY } from "../runner/retry.js";
import { Store } from "../store/store.js";
import { isOptionOrder, OPTION_ORDERS } from "../suites/option-order.js";
import { DEFAULT_MAX_RESPONSE_BYTES } from "../targets/guarded-fetch.js";
import { createTarget } from "../targets/registry.js";
import { integerOption, numberOption, optionalInteger, withArgErrors } from "./args.js";
import { careprobeHome, databasePath, toolVersion } from "./context.js";
import { GATE_OPTIONS, GATE_USAGE, gateSettings } from "./gates.js";
import type { CliIO } from "./io.js";
import { createProgress } from "./progress.js";
import { summarizeRun } from "./run-summary.js";

export const RUN_USAGE = `Usage: careprobe run [options]
  --suite NAME|FILE     suite to run (repeatable; default: stigma). See \`careprobe suites\`.
  --target SPEC         openai:<model>, anthropic:<model>, local:<file.gguf>, local:default,
                        http:<url> or http:<config.json> (repeatable; default: local:default)
  --arm NAME|FILE       none, standard-of-care, a system-prompt file, or the paper's prompts
                        (after \`careprobe fetch moore2025\`): steel-man, chiu_computational_2024,
                        aleem_towards_2024, kumar_exploring_2022 (repeatable; default: none)
  --samples N           answers per item (default 1; use with --temperature > 0)
  --temperature T       override the suite's temperature
  --max-tokens N        override the suite's limit on answer length (tokens; local: targets
                        answer responses suites in at most 320, about the 1,024 characters judged)
  --limit N             run only N items of each suite, balanced over every factor of its
                        design (condition, question, gender, race, education ...)
  --sample N            a seeded stratified sample of N items per suite instead (--sample-seed S)
  --concurrency N       parallel requests per target (default 8)
  --timeout SECONDS     per-request timeout, the whole answer included (default 60; 600
                        when every target is local:)
  --max-response-bytes N  read at most N bytes of a server's answer; a longer one is cut
                        and recorded as RESPONSE_TOO_LARGE (default 4194304, 4 MiB)
  --retries N           retries on 429, 5xx, timeouts, connection errors (default 4; 0 when
                        every target is local:, whose timeouts repeat)
  --rpm N               at most N requests per minute to each target
  --tpm N               at most N tokens (prompt + answer, estimated until known) per minute
                        to each target. Providers' rate-limit headers are followed too, and
                        a 429 halves the requests in flight until successes raise it again
  --grammar             constrain local models to the option letters
  --option-order O      multiple-choice suites: fixed (default, as written), reversed,
                        balanced (every other item of each condition x question reversed)
                        or shuffled (seeded per item); answers are scored by meaning
  --option-seed N       seed of the balanced and shuffled orders (default 0); part of a
                        run's identity
Responses suites (responses, moore2025-responses):
  --judge SPEC          a judge target (repeatable: a panel, majority verdict). Default: by the
                        target's kind (openai:gpt-4o-2024-08-06 for openai:, local:default for
                        local: and http:, the same model for anthropic:), reported as unvalidated
  --char-limit N        answers are limited to (and cut at) N characters (default: the suite's, 1,024)
  --transcripts FILE    place each stimulus inside these transcripts (JSONL; docs/transcripts.md)
  --interval N          every N messages of a transcript (default 50)
  --contextualize SPEC  a model that writes a short bridge before each placed stimulus
Conversations suites (conversations; --judge and --char-limit as above):
  --client SPEC         the simulated client. Default: by the target's kind
                        (openai:gpt-4o-2024-08-06 for openai:, local:default for local: and
                        http:, the same model for anthropic:), reported as such
  --max-turns N         end every conversation after N replies of the target
  --stop-on-critical    end a conversation at its first critical failure
  --db FILE             database (default: $CAREPROBE_HOME/careprobe.db)
  --judge-seed N        seed of the judges' option order (default 0); part of a run's identity
  --seed N              bootstrap seed for the summary (default 0); never re-sends anything
  --quiet               no progress output
${GATE_USAGE}
Project file:
  --config FILE         read options from FILE (default: ./careprobe.yaml when present);
                        flags override it. docs/config.md
  --print-config        print the resolved configuration as a project file, and stop
Exit codes: 0 complete, 1 a gate failed, 2 bad input or a server that could not be reached,
  3 incomplete (answers or verdicts missing; said per run; the same command continues;
  wins over 1), 70 a bug in careprobe, 130 interrupted. docs/design/errors.md`;

const OPTIONS = {
  suite: { type: "string", multiple: true },
  target: { type: "string", multiple: true },
  arm: { type: "string", multiple: true },
  samples: { type: "string" },
  temperature: { type: "string" },
  "max-tokens": { type: "string" },
  limit: { type: "string" },
  sample: { type: "string" },
  "sample-seed": { type: "string" },
  concurrency: { type: "string" },
  timeout: { type: "string" },
  "max-response-bytes": { type: "string" },
  retries: { type: "string" },
  rpm: { type: "string" },
  tpm: { type: "string" },
  grammar: { type: "boolean" },
  "option-order": { type: "string" },
  "option-seed": { type: "string" },
  judge: { type: "string", multiple: true },
  client: { type: "string" },
  "max-turns": { type: "string" },
  "stop-on-critical": { type: "boolean" },
  transcripts: { type: "string" },
  "char-limit": { type: "string" },
  interval: { type: "string" },
  contextualize: { type: "string" },
  db: { type: "string" },
  seed: { type: "string" },
  "judge-seed": { type: "string" },
  quiet: { type: "boolean" },
  ...GATE_OPTIONS,
  config: { type: "string" },
  "print-config": { type: "boolean" },
} as const;

export async function runCommand(args: string[], io: CliIO): Promise<number> {
  const parsed = withArgErrors(
    () => parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true }),
    RUN_USAGE,
  );
  if (parsed.positionals.length > 0) {
    throw new CareprobeError("BAD_ARGUMENT", `Unexpected argument \`${parsed.positionals[0]}\`.`, {
      hint: RUN_USAGE,
    });
  }
  const { quiet, config, "print-config": printConfig, ...flags } = parsed.values;
  const configFile = findConfigFile(process.cwd(), config);
  const merged = mergeRunOptions(flags, configFile ? loadConfigFile(configFile) : undefined);
  if (printConfig) {
    io.stdout.write(renderConfig(merged));
    return 0;
  }
  const values = { ...merged.values, quiet };
  const gates = gateSettings(values);
  const home = careprobeHome(io.env);
  const numbers = numericOptions(values);
  const { samples, limit, sample, concurrency, timeoutMs, maxResponseBytes, retries } = numbers;
  const { rpm, tpm, temperature, maxTokens, seed, judgeSeed, charLimit, interval } = numbers;
  const constrained = values.grammar ?? false;
  if (samples > 1 && (temperature ?? 0) === 0) {
    io.stderr.write(
      "note: several samples at temperature 0 mostly repeat one answer; consider --temperature 0.7\n",
    );
  }

  const progress = createProgress(io.stderr, values.quiet ?? false);
  const suites = (values.suite ?? ["stigma"]).map((name) => resolveSuite(name, home));
  const arms = (values.arm ?? ["none"]).map((spec) => resolveArm(spec, home));
  const created = new Map<string, Target>();
  const makeTarget = (spec: string): Target => {
    let target = created.get(spec);
    if (!target) {
      target = createTarget(spec, {
        env: io.env,
        home,
        onEvent: progress.onEvent,
        constrainChoices: constrained,
        maxResponseBytes,
      });
      created.set(spec, target);
    }
    return target;
  };
  const targets: Target[] = (values.target ?? ["local:default"]).map(makeTarget);
  const transcripts = values.transcripts ? readTranscripts(values.transcripts, suites) : undefined;
  const contextualizer = values.contextualize ? makeTarget(values.contextualize) : undefined;
  if (contextualizer && !transcripts) {
    throw new CareprobeError(
      "BAD_ARGUMENT",
      "--contextualize needs --transcripts: bridges join a stimulus to a transcript.",
    );
  }

  const store = Store.open(databasePath(io.env, values.db));
  const interrupt = stopOnSignals(io);
  try {
    const plan: RunPlan = {
      suites,
      targets,
      arms,
      samples,
      limit,
      sample,
      temperature,
      maxTokens,
      grammar: constrained,
      ...optionOrderOf(values),
      charLimit,
      transcripts,
      interval,
      judgeSeed,
      judges: values.judge,
      contextualizer,
      client: values.client,
      maxTurns: optionalInteger(values["max-turns"], "max-turns", 1),
      stopOnCritical: values["stop-on-critical"] ?? false,
    };
    const summary = await runPlan(plan, makeTarget, {
      ...{ store, concurrency, timeoutMs, retries, rpm, tpm },
      onNote: (message) => io.stderr.write(`note: ${sanitizeForTerminal(message)}\n`),
      signal: interrupt.signal,
      onEvent: progress.onEvent,
    });
    progress.finish();
    return summarizeRun(summary, {
      ...{ store, io, gates, seed, progress },
      database: databasePath(io.env, values.db),
    });
  } finally {
    interrupt.dispose();
    progress.finish();
    store.close();
    await Promise.all([...created.values()].map((t) => t.close?.()));
  }
}

/** The numeric options of a run, checked (each error names its flag and what it takes). */
function numericOptions(values: RunFlags) {
  const samples = integerOption(values.samples, "samples", 1, 1);
  const limit = values.limit === undefined ? undefined : integerOption(values.limit, "limit", 0, 1);
  const sample =
    values.sample === undefined
      ? undefined
      : {
          size: integerOption(values.sample, "sample", 1, 1),
          seed: integerOption(values["sample-seed"], "sample-seed", 0, 0),
        };
  if (sample && limit !== undefined) {
    throw new CareprobeError("BAD_ARGUMENT", "Use either --limit or --sample, not both.");
  }
  const concurrency = integerOption(values.concurrency, "concurrency", 8, 1);
  const timeoutMs = integerOption(values.timeout, "timeout", 60, 1) * 1000;
  const maxResponseBytes = integerOption(
    values["max-response-bytes"],
    "max-response-bytes",
    DEFAULT_MAX_RESPONSE_BYTES,
    1024,
  );
  const retries = integerOption(values.retries, "retries", DEFAULT_RETRY.retries, 0);
  const rpm = values.rpm === undefined ? undefined : integerOption(values.rpm, "rpm", 0, 1);
  const tpm = values.tpm === undefined ? undefined : integerOption(values.tpm, "tpm", 0, 1);
  const temperature = numberOption(values.temperature, "temperature", 0, 2);
  const maxTokens =
    values["max-tokens"] === undefined
      ? undefined
      : integerOption(values["max-tokens"], "max-tokens", 1, 1);
  const seed = integerOption(values.seed, "seed", 0, 0);
  const judgeSeed = integerOption(values["judge-seed"], "judge-seed", 0, 0);
  const charLimit =
    values["char-limit"] === undefined
      ? undefined
      : integerOption(values["char-limit"], "char-limit", 1, 1);
  const interval = integerOption(values.interval, "interval", 50, 2);
  return {
    ...{ samples, limit, sample, concurrency, timeoutMs, maxResponseBytes, retries, rpm, tpm },
    ...{ temperature, maxTokens, seed, judgeSeed, charLimit, interval },
  };
}

/** `--option-order` and `--option-seed`, checked. */
function optionOrderOf(values: RunFlags): Pick<RunPlan, "optionOrder" | "optionSeed"> {
  const optionOrder = values["option-order"] ?? "fixed";
  if (!isOptionOrder(optionOrder)) {
    throw new CareprobeError("BAD_ARGUMENT", `--option-order ${optionOrder} is not known.`, {
      hint: `Use one of: ${OPTION_ORDERS.join(", ")}.`,
    });
  }
  return { optionOrder, optionSeed: integerOption(values["option-seed"], "option-seed", 0, 0) };
}

/**
 * The first Ctrl-C (or SIGTERM) stops sending: finished answers are stored and the run
 * ends; a second quits at once.
 */
function stopOnSignals(io: CliIO): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    io.stderr.write(
      "\nStopping: no new requests will be sent (press Ctrl-C again to quit at once).\n",
    );
    controller.abort(new CareprobeError("ABORTED", "interrupted"));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}
