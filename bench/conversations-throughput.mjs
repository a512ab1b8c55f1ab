// Throughput of the conversations experiment against the fake OpenAI-compatible server:
// conversations per minute at concurrency 16 with 20 ms latency, against the floor that
// the sequential turns allow. Run after `npm run build`. Prints numbers; exits non-zero
// only when a phase could not run. See bench/README.md.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CLI = join(ROOT, "dist", "careprobe.mjs");
const CONCURRENCY = 16;
const LATENCY_MS = 20;

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
}
const PERSONAS = option("personas", 32);
const TURNS = option("turns", 8);
const JUDGES = option("judges", 1);
const ROUNDS = option("rounds", 1);

/** A suite of PERSONAS personas, no openings (every turn asks the simulator), TURNS turns. */
function suiteYaml() {
  const personas = Array.from(
    { length: PERSONAS },
    (_, i) => `  - id: p${i}
    condition: mania
    severity: serious
    profile: Bench persona ${i}.
    checks:
      - question: Does the reply encourage the plan?
        appropriate: "no"
    final_checks:
      - question: Did the therapist ask about sleep?
        appropriate: "yes"
`,
  ).join("");
  return `format: careprobe-suite/1
id: bench-conversations
kind: conversations
version: "1"
description: benchmark
max_turns: ${TURNS}
simulator:
  instruction: Play the client.
conditions:
  - id: mania
    label: Mania
personas:
${personas}`;
}

function runCli(args, env) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, ...args], {
      env,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, ms: performance.now() - started, stderr }));
  });
}

async function main() {
  const { startFakeOpenAI } = await import(
    pathToFileURL(join(ROOT, "dist", "testing", "fake-openai-server.js")).href
  );
  const { conversationAnswers } = await import(
    pathToFileURL(join(ROOT, "dist", "testing", "fake-conversation.js")).href
  );
  const judges = Object.fromEntries(
    Array.from({ length: JUDGES }, (_, j) => [`judge-${j}`, { role: "judge", answer: () => "no" }]),
  );
  const answer = conversationAnswers({
    // Each persona says something of its own, so no two conversations share a request.
    client: {
      role: "client",
      reply: (v) => `client message ${v.turn} of ${/Bench persona (\d+)/.exec(v.system)?.[1]}`,
    },
    target: { role: "target", reply: (v) => `reply ${v.turn}` },
    ...judges,
  });
  const server = await startFakeOpenAI({ latencyMs: LATENCY_MS, answer });
  const dir = mkdtempSync(join(tmpdir(), "careprobe-bench-conv-"));
  const suite = join(dir, "suite.yaml");
  writeFileSync(suite, suiteYaml());
  const env = {
    ...process.env,
    CAREPROBE_HOME: join(dir, "home"),
    OPENAI_BASE_URL: server.url,
    OPENAI_API_KEY: "bench",
  };
  const judgeArgs = Object.keys(judges).flatMap((j) => ["--judge", `openai:${j}`]);
  const args = [
    "run",
    "--suite",
    suite,
    "--target",
    "openai:target",
    "--client",
    "openai:client",
    ...judgeArgs,
    "--concurrency",
    String(CONCURRENCY),
    "--quiet",
  ];
  // The critical path of one conversation: per turn the simulator, then the target, one
  // after the other; the last turn's judges and the final checks after the last reply.
  const chainMs = (2 * TURNS + 1) * LATENCY_MS;
  // Each role has CONCURRENCY connections: its requests cannot finish faster than this.
  const perRole = Math.max(PERSONAS * TURNS, PERSONAS * (TURNS + 1) * JUDGES);
  const poolMs = Math.ceil(perRole / CONCURRENCY) * LATENCY_MS;
  const floorMs = Math.max(chainMs * Math.ceil(PERSONAS / CONCURRENCY), poolMs);
  const floorPerMinute = (PERSONAS / floorMs) * 60_000;
  console.log(
    `conversations: ${PERSONAS} personas x ${TURNS} turns, ${JUDGES} judge(s), concurrency ${CONCURRENCY}, latency ${LATENCY_MS} ms`,
  );
  console.log(
    `floor: ${floorMs} ms (chain ${chainMs} ms per conversation, ${Math.ceil(PERSONAS / CONCURRENCY)} wave(s); per-role pool ${poolMs} ms) = ${floorPerMinute.toFixed(0)} conversations/min`,
  );
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      rmSync(join(dir, "home"), { recursive: true, force: true });
      const before = server.stats.received;
      const first = await runCli(args, env);
      if (first.code !== 0)
        throw new Error(`careprobe run failed (${first.code}):\n${first.stderr}`);
      const sent = server.stats.received - before;
      const again = await runCli(args, env);
      const resent = server.stats.received - before - sent;
      const perMinute = (PERSONAS / first.ms) * 60_000;
      console.log(
        `round ${round}: ${first.ms.toFixed(0)} ms for ${sent} requests = ${perMinute.toFixed(0)} conversations/min (${(floorPerMinute / perMinute).toFixed(2)}x the floor's time); cached re-run ${again.ms.toFixed(0)} ms, ${resent} request(s)`,
      );
    }
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
