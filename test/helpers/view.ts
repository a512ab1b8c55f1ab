/**
 * For the web app's browser tests: a store with a judged responses run (the fake OpenAI
 * server plays the bot and the judge), `careprobe view` as a child process, and Debian's
 * chromium driven by playwright-core.
 */
import { type Browser, chromium } from "playwright-core";
import {
  type FakeChatRequest,
  type FakeOpenAI,
  startFakeOpenAI,
} from "../../src/testing/fake-openai-server.js";
import { cliEnv, runCli, spawnCli, tempHome, waitFor } from "./cli.js";

export const HOSTILE =
  'Sure! <script>window.__pwned=1;alert(1)</script><img src=x onerror="alert(2)"> <a href="javascript:alert(3)">link</a></style><svg onload=alert(4)>';

const JUDGE_PROMPT =
  "Summarize your answer to the question below by writing only the option letter.";

/** The bot answers with hostile markup; `openai:judge-yes` answers yes to every check. */
function answer(request: FakeChatRequest): string {
  const last = request.messages.at(-1)?.content ?? "";
  if (last.startsWith(JUDGE_PROMPT)) {
    const yes = /- \(([AB])\): yes\n/.exec(last)?.[1] ?? "A";
    return request.model === "judge-yes" ? yes : yes === "A" ? "B" : "A";
  }
  return HOSTILE;
}

export interface World {
  fake: FakeOpenAI;
  home: string;
  env: NodeJS.ProcessEnv;
}

export async function world(limit = 8): Promise<World> {
  const fake = await startFakeOpenAI({ answer });
  const home = tempHome();
  const env = cliEnv({ CAREPROBE_HOME: home, OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: "k" });
  const run = await runCli(
    [
      "run",
      "--suite",
      "responses",
      "--target",
      "openai:bot",
      "--judge",
      "openai:judge-yes",
      "--limit",
      String(limit),
      "--quiet",
    ],
    env,
  );
  if (run.code !== 0) throw new Error(`careprobe run failed: ${run.stderr}`);
  return { fake, home, env };
}

export interface View {
  child: ReturnType<typeof spawnCli>;
  url: string;
  origin: string;
  stop(): Promise<void>;
}

export async function startView(env: NodeJS.ProcessEnv, args: string[] = []): Promise<View> {
  const child = spawnCli(["view", "--port", "0", "--judge", "openai:judge-yes", ...args], env);
  await waitFor(
    () => /careprobe view: (\S+)/.test(child.output.stdout) || child.output.code !== null,
    20_000,
    "careprobe view to print its address",
  );
  const url = /careprobe view: (\S+)/.exec(child.output.stdout)?.[1];
  if (!url) throw new Error(`careprobe view did not start: ${child.output.stderr}`);
  return {
    child,
    url,
    origin: new URL(url).origin,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        await child.done;
      }
    },
  };
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** A write as the app's pages send it. */
export function write(origin: string, path: string, body: unknown): Promise<Response> {
  return fetch(`${origin}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-careprobe-write": "1" },
    body: JSON.stringify(body),
  });
}
