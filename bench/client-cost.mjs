// What one chat request costs the client, in CPU time, three ways against the fake
// OpenAI-compatible server (run in its own process, so only the client is measured):
//   bare      fetch + JSON.parse, nothing else;
//   thin      careprobe's openai: target, a thin typed client over fetch
//             (src/targets/openai.ts): guarded fetch, deadline, zod-checked reply;
//   sdk       the official OpenAI client doing the same, over the same guarded fetch and
//             deadline (what openai: was before docs/design/openai-client.md's decision).
// Rounds interleave the three so a noisy neighbour hits them alike. Prints numbers only.
// Run after `npm run build`:  node bench/client-cost.mjs [--requests 3000] [--rounds 5]
import { fork } from "node:child_process";
import { cpus } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const dist = (path) => import(pathToFileURL(join(ROOT, "dist", path)).href);
const option = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
};
const REQUESTS = option("--requests", 3000);
const ROUNDS = option("--rounds", 5);
const CONCURRENCY = option("--concurrency", 16);
const KEY = "bench-key-123456";

function messagesFor(i) {
  return [
    { role: "system", content: "Answer with the option letter only." },
    { role: "user", content: `Request ${i}: is this a question?\n- (A) Yes\n- (B) No` },
  ];
}

async function clients(url) {
  const thin = (await dist("targets/openai.js")).createOpenAITarget;
  const { guardedFetch } = await dist("targets/guarded-fetch.js");
  const { requestDeadline } = await dist("targets/request-deadline.js");
  const { default: OpenAI } = await import("openai");
  // The official client as careprobe used it before the switch: no retries, careprobe's
  // guarded fetch, deadline and rate-limit headers.
  const { readRateLimitHeaders } = await dist("targets/rate-limit-headers.js");
  const client = new OpenAI({
    apiKey: KEY,
    baseURL: url,
    maxRetries: 0,
    timeout: 24 * 60 * 60 * 1000,
    fetch: guardedFetch({ where: "openai:m" }),
  });
  const options = { spec: "openai:m", model: "m", apiKey: KEY, baseURL: url };
  const viaTarget = (target) => async (i) => {
    const answer = await target.chat({
      messages: messagesFor(i),
      params: { temperature: 0, maxTokens: 10 },
      timeoutMs: 60_000,
    });
    return answer.text;
  };
  const headers = { "content-type": "application/json", authorization: `Bearer ${KEY}` };
  return {
    async bare(i) {
      const response = await fetch(`${url}/chat/completions`, {
        method: "POST",
        headers,
        body: JSON.stringify({
          model: "m",
          messages: messagesFor(i),
          temperature: 0,
          max_tokens: 10,
        }),
      });
      const json = await response.json();
      return json.choices[0].message.content;
    },
    thin: viaTarget(thin(options)),
    async sdk(i) {
      const deadline = requestDeadline(undefined, 60_000, "openai:m");
      try {
        const { data, response } = await client.chat.completions
          .create(
            { model: "m", messages: messagesFor(i), temperature: 0, max_tokens: 10 },
            { signal: deadline.signal },
          )
          .withResponse();
        readRateLimitHeaders(response.headers);
        return data.choices[0]?.message.content ?? "";
      } finally {
        deadline.dispose();
      }
    },
  };
}

async function measure(call) {
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        const text = await call(next++);
        if (typeof text !== "string") throw new Error("no answer");
      }
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  return {
    cpuUs: (cpu.user + cpu.system) / REQUESTS,
    wallUs: ((performance.now() - t0) * 1000) / REQUESTS,
  };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function main() {
  const child = fork(fileURLToPath(import.meta.url), ["--server"], { stdio: "inherit" });
  const url = await new Promise((resolve) => child.once("message", (m) => resolve(m.url)));
  try {
    const callers = await clients(url);
    const kinds = Object.keys(callers);
    for (const kind of kinds) await measure(callers[kind]); // warm-up
    const results = Object.fromEntries(kinds.map((kind) => [kind, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const kind of kinds) results[kind].push(await measure(callers[kind]));
    }
    const cpu = cpus();
    console.log(
      `client cost per request — ${REQUESTS} requests × ${ROUNDS} rounds, concurrency ${CONCURRENCY}, fake server in its own process, 0 ms latency; node ${process.version}, ${cpu.length} × ${cpu[0]?.model ?? "?"}\n`,
    );
    console.log(
      `${"client".padEnd(8)}${"CPU µs/req".padStart(12)}${"× bare".padStart(8)}${"wall µs/req".padStart(13)}   CPU each round`,
    );
    const bare = median(results.bare.map((r) => r.cpuUs));
    for (const kind of kinds) {
      const cpuUs = median(results[kind].map((r) => r.cpuUs));
      const wallUs = median(results[kind].map((r) => r.wallUs));
      const each = results[kind].map((r) => r.cpuUs.toFixed(0)).join(" ");
      console.log(
        `${kind.padEnd(8)}${cpuUs.toFixed(0).padStart(12)}${(cpuUs / bare).toFixed(2).padStart(8)}${wallUs.toFixed(0).padStart(13)}   ${each}`,
      );
    }
  } finally {
    child.disconnect();
  }
}

if (process.argv.includes("--server")) {
  const { startFakeOpenAI } = await dist("testing/fake-openai-server.js");
  const server = await startFakeOpenAI({ apiKey: KEY, keepLog: false });
  process.send?.({ url: server.url });
  process.on("disconnect", () => server.close().then(() => process.exit(0)));
} else {
  await main();
}
