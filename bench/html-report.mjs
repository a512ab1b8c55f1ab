// The HTML report of the paper's imported data (36 runs): time and file size.
// Run after `npm run build`. Prints numbers; exits non-zero only when a step could not run.
// Usage: node bench/html-report.mjs [--rounds N]
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DATA = join(ROOT, "../shared/moore2025"); // relative to the repository root
const CLI = join(ROOT, "dist/careprobe.mjs");
const roundsAt = process.argv.indexOf("--rounds");
const ROUNDS = roundsAt > 0 ? Number(process.argv[roundsAt + 1]) : 3;

function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(1);
}

function cli(args, env) {
  const started = performance.now();
  const result = spawnSync(process.execPath, [CLI, ...args], {
    env,
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  const ms = performance.now() - started;
  if (result.status !== 0)
    fail(`careprobe ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
  return { ms, stdout: result.stdout };
}

if (!existsSync(CLI)) fail(`no build at ${CLI}; run npm run build first`);
if (!existsSync(DATA)) fail(`the paper's data is not at ${DATA}`);
const home = mkdtempSync(join(tmpdir(), "careprobe-bench-html-"));
const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", CAREPROBE_HOME: home };
try {
  cli(["fetch", "moore2025", "--from", DATA, "--quiet"], env);
  const imported = cli(["import", "moore2025"], env);
  const runs = JSON.parse(cli(["report", "--format", "json"], env).stdout).runs.length;
  process.stdout.write(
    `imported the paper's data: ${runs} runs (${(imported.ms / 1000).toFixed(1)} s)\n`,
  );
  const times = [];
  let size = 0;
  const file = join(home, "report.html");
  for (let round = 0; round < ROUNDS; round++) {
    const { ms } = cli(["report", "--format", "html", "-o", file], env);
    times.push(ms);
    size = statSync(file).size;
  }
  const figures = join(home, "figures");
  const svg = cli(["report", "--format", "html", "-o", file, "--figures", figures], env);
  const svgBytes = readdirSync(figures).reduce(
    (total, f) => total + statSync(join(figures, f)).size,
    0,
  );
  const json = cli(["report", "--format", "json"], env);
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? 0;
  process.stdout.write(
    [
      `careprobe report --format html over ${runs} runs, ${ROUNDS} round(s):`,
      `  time (whole process): median ${(median / 1000).toFixed(2)} s, min ${((times[0] ?? 0) / 1000).toFixed(2)} s, max ${((times.at(-1) ?? 0) / 1000).toFixed(2)} s`,
      `  file size: ${(size / 1024 / 1024).toFixed(2)} MiB (${size} bytes)`,
      `  with --figures: ${(svg.ms / 1000).toFixed(2)} s, ${readdirSync(figures).length} SVG files, ${(svgBytes / 1024).toFixed(0)} KiB`,
      `  for scale, --format json: ${(json.ms / 1000).toFixed(2)} s, ${(Buffer.byteLength(json.stdout) / 1024 / 1024).toFixed(2)} MiB`,
      "",
    ].join("\n"),
  );
} finally {
  rmSync(home, { recursive: true, force: true });
}
