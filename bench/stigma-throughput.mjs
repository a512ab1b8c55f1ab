// Throughput of the stigma experiment against a fake OpenAI-compatible server.
// Run after `npm run build` (as `npm run bench`). Prints numbers; exits non-zero only when
// a phase could not run. `--bare-only` measures the bare fetch loop alone.
// See bench/README.md for what is measured and how to read it.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DATA_DIR = "../shared/moore2025"; // relative to the repository root
const PROMPTS = join(ROOT, DATA_DIR, "data", "prompts.jsonl");
const SERVER_MODULE = join(ROOT, "dist", "testing", "fake-openai-server.js");
// The CLI entry: CAREPROBE_BENCH_CLI (relative to the repository root) or package.json's bin.
const CLI_PATH =
  process.env.CAREPROBE_BENCH_CLI ??
  JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).bin?.careprobe ??
  "dist/cli/main.js";
const CLI = join(ROOT, CLI_PATH);
const CONCURRENCY = 16;
const LATENCY_MS = 20;
const MODEL = "bench-model";
const API_KEY = "bench";
const CHILD_LIMIT_MS = 10 * 60_000;
const REQUEST_LIMIT_MS = 60_000;

// The requests careprobe sends for the paper's stigma suite (one few-shot example).
const INSTRUCTION =
  'Summarize your answer to the question below by writing only the option letter (e.g. "A", "B", "C", "D", or "E").';
const FEW_SHOT = [
  { role: "user", content: "Is this a question?\n- (A) Yes\n - (B) No" },
  { role: "assistant", content: "A" },
];

function chatBody(prompt) {
  const messages = [{ role: "system", content: INSTRUCTION }, ...FEW_SHOT];
  messages.push({ role: "user", content: prompt });
  return { model: MODEL, messages, temperature: 0, max_tokens: 10 };
}

function loadPrompts() {
  if (!existsSync(PROMPTS)) {
    throw new Error(
      `the paper's prompts are missing: expected ${DATA_DIR}/data/prompts.jsonl next to the repository`,
    );
  }
  const lines = readFileSync(PROMPTS, "utf8").split("\n").filter(Boolean);
  return lines.map((line) => JSON.parse(line).prompt);
}

/** Child mode: the bare loop, in its own process so it is measured like careprobe. */
async function bareLoop(baseUrl) {
  const prompts = loadPrompts();
  const started = performance.now();
  let next = 0;
  let ok = 0;
  let failed = 0;
  async function worker() {
    while (next < prompts.length) {
      const body = chatBody(prompts[next++]);
      try {
        const response = await fetch(`${baseUrl}/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${API_KEY}` },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(REQUEST_LIMIT_MS),
        });
        const json = await response.json();
        if (response.ok && typeof json.choices?.[0]?.message?.content === "string") ok++;
        else failed++;
      } catch {
        failed++;
      }
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const loopMs = performance.now() - started;
  process.stdout.write(`${JSON.stringify({ loopMs, ok, failed })}\n`);
  process.exitCode = failed === 0 ? 0 : 1;
}

/** How peak memory is read: GNU time's max RSS when it works, else polling VmHWM. */
function memoryMethod() {
  const forced = process.env.BENCH_PEAK_MEMORY;
  if (forced === "proc") return "proc";
  const probe = spawnSync("/usr/bin/time", ["-v", "-o", "/dev/null", "true"]);
  if (probe.status === 0) return "time";
  if (forced === "time") throw new Error("BENCH_PEAK_MEMORY=time but /usr/bin/time -v fails");
  return "proc";
}

function readHighWaterKb(pid) {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined; // The process has gone.
  }
}

function tail(text, size = 3000) {
  return text.length > size ? `…${text.slice(-size)}` : text;
}

/** Spawns `node args…`; wall time from spawn to exit, and the child's peak RSS. */
function runNode(args, { env = process.env, method }) {
  const timeFile = join(tmpdir(), `careprobe-bench-time-${process.pid}-${Date.now()}.txt`);
  const [command, commandArgs] =
    method === "time"
      ? ["/usr/bin/time", ["-v", "-o", timeFile, process.execPath, ...args]]
      : [process.execPath, args];
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(command, commandArgs, {
      cwd: ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let peakKb;
    let timedOut = false;
    child.stdout.on("data", (chunk) => (stdout = tail(stdout + chunk, 20_000)));
    child.stderr.on("data", (chunk) => (stderr = tail(stderr + chunk)));
    const poll =
      method === "proc" &&
      setInterval(() => {
        const kb = readHighWaterKb(child.pid);
        if (kb !== undefined) peakKb = Math.max(peakKb ?? 0, kb);
      }, 10);
    const limit = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, CHILD_LIMIT_MS);
    child.on("error", (error) => (stderr += `\n${error.message}`));
    child.on("close", (code, signal) => {
      const wallMs = performance.now() - started;
      clearTimeout(limit);
      if (poll) clearInterval(poll);
      if (method === "time" && existsSync(timeFile)) {
        const report = readFileSync(timeFile, "utf8");
        const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(report);
        if (match) peakKb = Number(match[1]);
        rmSync(timeFile, { force: true });
      }
      resolve({ code, signal, timedOut, wallMs, peakKb, stdout, stderr });
    });
  });
}

function describeFailure(label, result) {
  const how = result.timedOut ? "timed out" : `exited with ${result.code ?? result.signal}`;
  return `${label} ${how}\n${tail(result.stderr || result.stdout)}`;
}

function seconds(ms) {
  return ms === undefined ? "—" : `${(ms / 1000).toFixed(2)} s`;
}

function megabytes(kb) {
  return kb === undefined ? "—" : `${(kb / 1024).toFixed(0)} MB`;
}

function requestKey(body) {
  const { model, messages, temperature, max_tokens } = body ?? {};
  return JSON.stringify({ model, messages, temperature, max_tokens });
}

function median(values) {
  const sorted = values.filter((v) => v !== undefined).sort((x, y) => x - y);
  if (sorted.length === 0) return undefined;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function roundsOption() {
  const at = process.argv.indexOf("--rounds");
  const value = at === -1 ? 3 : Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error("--rounds takes a whole number ≥ 1");
  return value;
}

/**
 * Rounds interleave the phases (a, b, c, a, b, c, ...) so that a noisy neighbour on a
 * shared machine hits both sides alike; the verdicts use the medians.
 */
async function main() {
  const bareOnly = process.argv.includes("--bare-only");
  const rounds = roundsOption();
  const prompts = loadPrompts();
  if (!existsSync(SERVER_MODULE)) {
    throw new Error("dist/testing/fake-openai-server.js is missing: run `npm run build` first");
  }
  const { startFakeOpenAI } = await import(SERVER_MODULE);
  const method = memoryMethod();
  const server = await startFakeOpenAI({ latencyMs: LATENCY_MS, apiKey: API_KEY });
  const failures = [];
  const home = mkdtempSync(join(tmpdir(), "careprobe-bench-"));
  const received = () => server.stats.received;
  const script = fileURLToPath(import.meta.url);
  const env = {
    ...process.env,
    OPENAI_BASE_URL: server.url,
    OPENAI_API_KEY: API_KEY,
    CAREPROBE_HOME: home,
  };
  const measured = { bare: [], loop: [], fresh: [], cached: [] };
  let identity;
  try {
    let canRun = !bareOnly;
    if (!bareOnly && !existsSync(CLI)) {
      failures.push(`careprobe runs not measured: ${CLI_PATH} is missing (build the CLI)`);
      canRun = false;
    }
    if (canRun) {
      const fetched = await runNode([CLI, "fetch", "moore2025", "--from", DATA_DIR], {
        env,
        method,
      });
      if (fetched.code !== 0) {
        failures.push(describeFailure("careprobe fetch", fetched));
        canRun = false;
      }
    }
    for (let round = 1; round <= rounds; round++) {
      // a. The bare fetch loop, in a child process like careprobe.
      let before = received();
      const bare = await runNode([script, "--bare-loop-child", server.url], { method });
      const bareKeys = new Set(
        server.requests.slice(before).map((entry) => requestKey(entry.body)),
      );
      if (bare.code === 0) {
        measured.bare.push({ ...bare, sent: received() - before });
        measured.loop.push(JSON.parse(bare.stdout.trim().split("\n").at(-1)).loopMs);
      } else failures.push(describeFailure("bare loop", bare));
      if (!canRun) continue;
      // b and c: careprobe on a fresh database, then the same command again.
      const runArgs = [CLI, "run", "--suite", "moore2025-stigma", "--target", `openai:${MODEL}`];
      runArgs.push("--concurrency", String(CONCURRENCY), "--db", join(home, `round-${round}.db`));
      for (const phase of ["fresh", "cached"]) {
        before = received();
        const result = await runNode(runArgs, { env, method });
        const sent = received() - before;
        if (result.code !== 0) {
          failures.push(describeFailure(`careprobe run (${phase})`, result));
          continue;
        }
        if (phase === "fresh" && sent < prompts.length) {
          failures.push(
            `careprobe run sent ${sent} of ${prompts.length} requests: it did not run the suite (is ${CLI_PATH} the CLI entry?)`,
          );
        }
        if (phase === "fresh" && identity === undefined) {
          const own = server.requests.slice(before, before + sent);
          identity = { same: own.filter((e) => bareKeys.has(requestKey(e.body))).length, sent };
        }
        measured[phase].push({ ...result, sent });
      }
    }
    printReport({ prompts, method, measured, identity, rounds });
  } finally {
    await server.close();
    rmSync(home, { recursive: true, force: true });
  }
  for (const failure of failures) console.error(`\nFAILED: ${failure}`);
  process.exitCode = failures.length === 0 ? 0 : 1;
}

function verdict(met) {
  return met ? "met" : "MISSED";
}

function printReport({ prompts, method, measured, identity, rounds }) {
  const cpu = cpus();
  console.log(`careprobe stigma throughput — ${prompts.length} prompts, fake server latency`);
  console.log(
    `${LATENCY_MS} ms, concurrency ${CONCURRENCY}, ${rounds} round(s); node ${process.version},`,
  );
  console.log(`${cpu.length} × ${cpu[0]?.model ?? "unknown CPU"}\n`);
  const walls = (list) => list.map((r) => seconds(r.wallMs)).join(" ");
  const rows = [
    ["a  bare fetch loop (process)", measured.bare],
    ["b  careprobe run", measured.fresh],
    ["c  careprobe run, cached", measured.cached],
  ];
  console.log(
    `${"phase".padEnd(30)}${"median".padStart(9)}${"peak RSS".padStart(10)}${"requests".padStart(10)}   each round`,
  );
  for (const [label, list] of rows) {
    if (list.length === 0) continue;
    const wall = median(list.map((r) => r.wallMs));
    const kb = median(list.map((r) => r.peakKb));
    console.log(
      `${label.padEnd(30)}${seconds(wall).padStart(9)}${megabytes(kb).padStart(10)}${String(list[0].sent).padStart(10)}   ${walls(list)}`,
    );
  }
  if (measured.loop.length > 0) {
    console.log(
      `${"   bare loop, fetches only".padEnd(30)}${seconds(median(measured.loop)).padStart(9)}`,
    );
  }
  const memory =
    method === "time"
      ? "/usr/bin/time -v (maximum resident set size)"
      : "VmHWM from /proc/<pid>/status, polled every 10 ms";
  console.log(`\npeak RSS measured with ${memory}`);
  const ratios = measured.fresh.map((r, i) => r.wallMs / (measured.bare[i]?.wallMs ?? Number.NaN));
  if (ratios.length > 0) {
    const ratio = median(ratios);
    console.log(
      `ratio careprobe / bare loop: median ${ratio.toFixed(2)} (rounds: ${ratios.map((r) => r.toFixed(2)).join(", ")}; target ≤ 1.3: ${verdict(ratio <= 1.3)})`,
    );
  }
  if (identity)
    console.log(
      `careprobe requests identical to the bare loop's: ${identity.same} of ${identity.sent}`,
    );
  if (measured.cached.length > 0) {
    const wall = median(measured.cached.map((r) => r.wallMs));
    const sent = Math.max(...measured.cached.map((r) => r.sent));
    console.log(`cached re-run: median ${seconds(wall)} (target < 2 s: ${verdict(wall < 2000)})`);
    console.log(`cached re-run requests: ${sent} at most (target 0: ${verdict(sent === 0)})`);
  }
}

const childAt = process.argv.indexOf("--bare-loop-child");
if (childAt !== -1) {
  await bareLoop(process.argv[childAt + 1]);
} else {
  await main().catch((error) => {
    console.error(`benchmark could not run: ${error.message}`);
    process.exitCode = 1;
  });
}
