/**
 * The careprobe command. Exit codes (EXIT in core/errors.ts): 0 complete, 1 a gate
 * failed, 2 bad input or configuration or a server that could not be reached (the
 * message says what to fix), 3 incomplete (run again to continue), 70 a bug in
 * careprobe, 130 interrupted.
 */
import { BUG_REPORT, CareprobeError, exitCodeFor } from "../core/errors.js";
import { sanitizeForTerminal } from "../report/format.js";
import { COMPARE_USAGE, compareCommand } from "./compare.js";
import { toolVersion } from "./context.js";
import { FETCH_USAGE, fetchCommand } from "./fetch.js";
import { IMPORT_USAGE, importCommand } from "./import.js";
import type { CliIO } from "./io.js";
import { JUDGE_USAGE, judgeCommand } from "./judge.js";
import { REPORT_USAGE, reportCommand } from "./report.js";
import { RUN_USAGE, runCommand } from "./run.js";
import { RUNS_USAGE, runsCommand } from "./runs.js";
import { STANDARD_USAGE, standardCommand } from "./standard.js";
import { SUITES_USAGE, suitesCommand } from "./suites.js";
import { VIEW_USAGE, viewCommand } from "./view.js";

const HELP = `careprobe — audit LLM chatbots against the clinical standard of care in mental health

Usage: careprobe <command> [options]

Commands:
  run       run suites against targets and print a summary (careprobe run --help)
  report    render stored runs: --format table|json|csv|md|junit|html, or --items
  runs      list stored runs with their ids, sizes and dates (report --run ID picks one)
  compare   two runs of one suite, item by item: --base RUN --head RUN
  fetch     get the paper's published data: careprobe fetch moore2025 [--from DIR|URL]
  import    store the paper's published answers as runs: careprobe import moore2025
  suites    list suites; \`suites validate FILE\` checks a suite file
  judge     \`judge validate --labels FILE.csv\`: agreement of judges with human labels
  standard  the 17 features of good care and the guidelines naming each (careprobe standard --help)

Exit codes:
  0 complete · 1 a gate failed · 2 bad input or configuration, or a server that could not
  be reached · 3 incomplete (some answers or judgements failed, were never sent or could
  not be read; run the same command again to continue) · 70 a bug in careprobe · 130 interrupted

Environment:
  CAREPROBE_HOME     where the database, models and datasets live (default ./.careprobe)
  OPENAI_API_KEY     key for openai:<model> targets
  OPENAI_BASE_URL    any OpenAI-compatible server (vLLM, Ollama, llama.cpp server, OpenRouter)
`;

interface Command {
  run: (args: string[], io: CliIO) => Promise<number>;
  usage: string;
}
const COMMANDS: Record<string, Command> = {
  run: { run: runCommand, usage: RUN_USAGE },
  report: { run: reportCommand, usage: REPORT_USAGE },
  runs: { run: runsCommand, usage: RUNS_USAGE },
  compare: { run: compareCommand, usage: COMPARE_USAGE },
  fetch: { run: fetchCommand, usage: FETCH_USAGE },
  import: { run: importCommand, usage: IMPORT_USAGE },
  suites: { run: suitesCommand, usage: SUITES_USAGE },
  judge: { run: judgeCommand, usage: JUDGE_USAGE },
  standard: { run: standardCommand, usage: STANDARD_USAGE },
  view: { run: viewCommand, usage: VIEW_USAGE },
};

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    io.stdout.write(HELP);
    return 0;
  }
  if (name === "--version" || name === "-v") {
    io.stdout.write(`${toolVersion()}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`careprobe: unknown command \`${sanitizeForTerminal(name)}\`\n\n${HELP}`);
    return 2;
  }
  if (args.includes("--help") || args.includes("-h")) {
    io.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    return reportError(error, io);
  }
}

function reportError(error: unknown, io: CliIO): number {
  const code = exitCodeFor(error);
  if (error instanceof CareprobeError && code !== 70) {
    io.stderr.write(`error: ${sanitizeForTerminal(error.message)}\n`);
    if (error.hint) io.stderr.write(`${sanitizeForTerminal(error.hint)}\n`);
    return code;
  }
  // A bug, not bad input (INTERNAL, or an exception careprobe did not expect): one text
  // for both, with the stack only when asked for.
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`careprobe: internal error: ${sanitizeForTerminal(message)}\n`);
  io.stderr.write(`${BUG_REPORT}\n`);
  if (io.env.CAREPROBE_DEBUG && error instanceof Error && error.stack)
    io.stderr.write(`${sanitizeForTerminal(error.stack)}\n`);
  return code;
}
