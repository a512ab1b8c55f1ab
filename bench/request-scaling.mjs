// How careprobe's per-request cost grows with the size of a run: the runner's sending
// loop (sendJobs with an openai: target and a run-wide abort signal, storing every answer
// in SQLite) against the fake OpenAI-compatible server, at several request counts, beside
// a bare fetch loop over the same requests. Run after `npm run build`. Prints numbers;
// exits non-zero only when a phase could not run. See bench/README.md.
//
//   node bench/request-scaling.mjs                       # 1k, 10k, 40k requests
//   node bench/request-scaling.mjs --counts 1000,10000   # other sizes
//   node bench/request-scaling.mjs --latency 20 --concurrency 16
//   node bench/request-scaling.mjs --dist /path/to/other/dist   # an older build, to compare
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const API_KEY = "bench";
const MODEL = "bench-model";
const SLICES = 10;

function option(name, fallback) {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : process.argv[at + 1];
}

function numberOption(name, fallback) {
  const value = Number(option(name, String(fallback)));
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} takes a number ≥ 0`);
  return value;
}

const DIST = resolve(option("--dist", join(ROOT, "dist")));
const module = (path) => import(pathToFileURL(join(DIST, path)).href);

function messagesFor(index) {
  return [
    { role: "system", content: "Answer with the option letter only." },
    { role: "user", content: `Request ${index}: is this a question?\n- (A) Yes\n- (B) No` },
  ];
}

/** The end of each tenth of the run, for ms per 1,000 requests slice by slice. */
function sliceTimes(count) {
  const marks = [];
  const every = Math.max(1, Math.floor(count / SLICES));
  return {
    tick(done, started) {
      if (done % every === 0) marks.push(performance.now() - started);
    },
    perThousand() {
      return marks.map((t, i) => ((t - (marks[i - 1] ?? 0)) / every) * 1000);
    },
  };
}

function report(kind, count, started, slices, ok, failed) {
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage();
  const usage = process.resourceUsage();
  const perThousand = slices.perThousand();
  process.stdout.write(
    `${JSON.stringify({
      kind,
      count,
      ok,
      failed,
      wallMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      peakRssMb: usage.maxRSS / 1024,
      perThousand,
    })}\n`,
  );
}

/** Child: careprobe's sending loop, as a run drives it. */
async function runnerChild(baseURL, count, concurrency) {
  const { createOpenAITarget } = await module("targets/openai.js");
  const { sendJobs } = await module("runner/dispatch.js");
  const { Store } = await module("store/store.js");
  const dir = mkdtempSync(join(tmpdir(), "careprobe-scaling-"));
  const store = Store.open(join(dir, "bench.db"));
  const target = createOpenAITarget({
    spec: `openai:${MODEL}`,
    model: MODEL,
    apiKey: API_KEY,
    baseURL,
  });
  const params = { temperature: 0, maxTokens: 10 };
  const jobs = Array.from({ length: count }, (_, i) => ({
    target,
    request: {
      itemId: `i${i}`,
      sample: 0,
      key: `k${i}`,
      messages: messagesFor(i),
      params,
      choices: ["A", "B"],
    },
  }));
  const run = new AbortController(); // The run-wide signal, as `careprobe run` passes it.
  const slices = sliceTimes(count);
  let done = 0;
  let ok = 0;
  const started = performance.now();
  await sendJobs(jobs, {
    store,
    concurrency,
    timeoutMs: 60_000,
    signal: run.signal,
    onResult: (_key, success) => {
      if (success) ok++;
      slices.tick(++done, started);
    },
  });
  report("careprobe", count, started, slices, ok, count - ok);
  store.close();
  rmSync(dir, { recursive: true, force: true });
}

/** Child: a bare fetch loop over the same requests. */
async function bareChild(baseURL, count, concurrency) {
  const slices = sliceTimes(count);
  let next = 0;
  let done = 0;
  let ok = 0;
  const started = performance.now();
  async function worker() {
    while (next < count) {
      const body = { model: MODEL, messages: messagesFor(next++), temperature: 0, max_tokens: 10 };
      try {
        const response = await fetch(`${baseURL}/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${API_KEY}` },
          body: JSON.stringify(body),
        });
        const json = await response.json();
        if (response.ok && typeof json.choices?.[0]?.message?.content === "string") ok++;
      } catch {}
      slices.tick(++done, started);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  report("bare", count, started, slices, ok, count - ok);
}

function runChild(args) {
  return new Promise((done) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), ...args], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr = (stderr + chunk).slice(-3000)));
    child.on("close", (code) => {
      const line = stdout.trim().split("\n").at(-1);
      if (code === 0 && line) done(JSON.parse(line));
      else done({ error: `exited with ${code}: ${stderr}` });
    });
  });
}

const fmt = (ms) => (ms === undefined ? "—" : `${(ms / 1000).toFixed(2)} s`);

async function main() {
  const counts = option("--counts", "1000,10000,40000").split(",").map(Number);
  const concurrency = numberOption("--concurrency", 16);
  const latencyMs = numberOption("--latency", 0);
  const { startFakeOpenAI } = await import(
    pathToFileURL(join(ROOT, "dist", "testing", "fake-openai-server.js")).href
  );
  const server = await startFakeOpenAI({ latencyMs, apiKey: API_KEY, keepLog: false });
  const cpu = cpus();
  console.log(
    `request scaling — concurrency ${concurrency}, fake server latency ${latencyMs} ms; node ${process.version}, ${cpu.length} × ${cpu[0]?.model ?? "unknown CPU"}`,
  );
  console.log(`build: ${DIST}\n`);
  console.log(
    `${"loop".padEnd(10)}${"requests".padStart(9)}${"wall".padStart(9)}${"cpu".padStart(9)}${"RSS".padStart(8)}${"µs/req".padStart(8)}   ms per 1k requests, tenth by tenth`,
  );
  let failed = false;
  try {
    for (const count of counts) {
      for (const kind of ["bare", "careprobe"]) {
        const result = await runChild([
          `--${kind}-child`,
          server.url,
          String(count),
          String(concurrency),
        ]);
        if (result.error || result.failed > 0) {
          failed = true;
          console.error(`${kind} ${count}: ${result.error ?? `${result.failed} requests failed`}`);
          continue;
        }
        console.log(
          `${kind.padEnd(10)}${String(count).padStart(9)}${fmt(result.wallMs).padStart(9)}${fmt(result.cpuMs).padStart(9)}${`${result.peakRssMb.toFixed(0)} MB`.padStart(8)}${((result.wallMs / count) * 1000).toFixed(0).padStart(8)}   ${result.perThousand.map((ms) => ms.toFixed(0)).join(" ")}`,
        );
      }
    }
  } finally {
    await server.close();
  }
  console.log(
    "\nThe last column: wall time per 1,000 requests in each tenth of the run; flat when per-request cost does not grow.",
  );
  process.exitCode = failed ? 1 : 0;
}

const childKind = ["--careprobe-child", "--bare-child"].find((flag) => process.argv.includes(flag));
if (childKind) {
  const at = process.argv.indexOf(childKind);
  const [url, count, concurrency] = process.argv.slice(at + 1, at + 4);
  const child = childKind === "--bare-child" ? bareChild : runnerChild;
  await child(url, Number(count), Number(concurrency));
} else {
  await main().catch((error) => {
    console.error(`benchmark could not run: ${error.message}`);
    process.exitCode = 1;
  });
}
