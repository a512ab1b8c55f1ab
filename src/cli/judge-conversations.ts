/**
 * `careprobe judge conversations FILE.jsonl`: judges conversations that already happened
 * (a production bot's logs, in the transcripts format) with a suite's checks, without
 * simulating anyone. The logs are replayed as the client and the target of an ordinary
 * conversations run, so storing, resuming and reporting are those of any run.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { resolveSuite } from "../catalog/suites.js";
import { CareprobeError } from "../core/errors.js";
import type { Target } from "../core/types.js";
import { conversations } from "../experiments/conversations/index.js";
import { parseLoggedConversations } from "../experiments/conversations/logs.js";
import { logReplayTarget, logSuite } from "../experiments/conversations/replay.js";
import { defaultJudgeSpec } from "../judges/defaults.js";
import { buildReport } from "../report/build.js";
import { renderJson, renderTable } from "../report/render.js";
import { executeRuns } from "../runner/execute.js";
import { DEFAULT_RETRY } from "../runner/retry.js";
import { Store } from "../store/store.js";
import { createTarget } from "../targets/registry.js";
import { integerOption, withArgErrors } from "./args.js";
import { careprobeHome, databasePath, toolVersion } from "./context.js";
import type { CliIO } from "./io.js";
import { createProgress } from "./progress.js";

export const JUDGE_CONVERSATIONS_USAGE = `Usage: careprobe judge conversations FILE.jsonl [options]
  Judges logged conversations (one per line: {"id", "conditions", "messages"}, see
  docs/transcripts.md) with a conversations suite's checks. A log whose id is a persona id
  gets that persona's checks; any other gets the checks of its one condition.
  --suite NAME|FILE     the conversations suite (default: conversations)
  --judge SPEC          a judge target (repeatable: a panel). Default: local:default, unvalidated
  --concurrency N       parallel judge requests (default 8)
  --timeout SECONDS     per-request timeout (default 60)
  --retries N           retries (default 4)
  --format table|json   (default table)
  --db FILE             database (default: $CAREPROBE_HOME/careprobe.db)
  --seed N              option-order and bootstrap seed (default 0)
  --quiet               no progress output`;

const OPTIONS = {
  suite: { type: "string" },
  judge: { type: "string", multiple: true },
  concurrency: { type: "string" },
  timeout: { type: "string" },
  retries: { type: "string" },
  format: { type: "string" },
  db: { type: "string" },
  seed: { type: "string" },
  quiet: { type: "boolean" },
} as const;

export async function judgeConversationsCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = withArgErrors(
    () => parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true }),
    JUDGE_CONVERSATIONS_USAGE,
  );
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) {
    throw new CareprobeError("BAD_ARGUMENT", "Give one conversations file: FILE.jsonl.", {
      hint: JUDGE_CONVERSATIONS_USAGE,
    });
  }
  const format = values.format ?? "table";
  if (format !== "table" && format !== "json") {
    throw new CareprobeError(
      "BAD_ARGUMENT",
      `--format ${format} is not available; use table or json.`,
    );
  }
  const home = careprobeHome(io.env);
  const suite = resolveSuite(values.suite ?? "conversations", home);
  if (!conversations.accepts(suite)) {
    throw new CareprobeError(
      "BAD_ARGUMENT",
      `Suite ${suite.id} is a ${suite.kind} suite; judge conversations needs a conversations suite.`,
    );
  }
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new CareprobeError("BAD_ARGUMENT", `Cannot read the conversations file ${file}.`);
  }
  const logs = parseLoggedConversations(text, file, suite);
  const seed = integerOption(values.seed, "seed", 0, 0);
  const progress = createProgress(io.stderr, values.quiet ?? false);
  const created: Target[] = [];
  const judges = (values.judge ?? [defaultJudgeSpec("local", "")]).map((spec) => {
    const target = createTarget(spec, { env: io.env, home, onEvent: progress.onEvent });
    created.push(target);
    return target;
  });
  const replay = logReplayTarget(file, text, logs);
  const store = Store.open(databasePath(io.env, values.db));
  try {
    const summary = await executeRuns(
      [
        {
          experiment: conversations,
          suite: logSuite(suite, logs, file),
          arm: { id: "logged", description: "conversations replayed from a log" },
          roles: { target: replay, client: replay, judges },
          settings: {
            samples: 1,
            constrained: false,
            interval: 50,
            defaultJudge: values.judge === undefined,
            judgeSeed: seed,
            stopOnCritical: false,
            defaultClient: false,
          },
        },
      ],
      {
        store,
        concurrency: integerOption(values.concurrency, "concurrency", 8, 1),
        timeoutMs: integerOption(values.timeout, "timeout", 60, 1) * 1000,
        retry: {
          ...DEFAULT_RETRY,
          retries: integerOption(values.retries, "retries", DEFAULT_RETRY.retries, 0),
        },
        onEvent: progress.onEvent,
        toolVersion: toolVersion(),
      },
    );
    progress.finish();
    const report = buildReport(
      store,
      { runIds: summary.runs.map((r) => r.id) },
      { seed, resamples: 10_000, toolVersion: toolVersion() },
    );
    io.stdout.write(format === "json" ? renderJson(report.data) : renderTable(report.data));
    io.stderr.write(
      `judged ${logs.length} conversation(s) from ${file} (${logs.filter((l) => l.matched).length} matched to personas); results in ${databasePath(io.env, values.db)}\n`,
    );
    return summary.stopped.length > 0 ? 2 : 0;
  } finally {
    progress.finish();
    store.close();
    await Promise.all(created.map((t) => t.close?.()));
  }
}
