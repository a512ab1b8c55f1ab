/** Drives the built CLI (dist/cli/bin.js) as a user would: a real child process. */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { moore2025TestDir, tinyModelPath } from "../../src/testing/test-data.js";

export const ROOT = resolve(import.meta.dirname, "../..");
export const BIN = join(ROOT, "dist/careprobe.mjs");
/** The paper's data and the tiny model, wherever the test command's setup found them. */
export const MOORE2025 = moore2025TestDir();
export const TINY_GGUF = tinyModelPath();

export function requirePath(path: string): string {
  if (!existsSync(path)) throw new Error(`test fixture missing: ${path}`);
  return path;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function tempHome(): string {
  return mkdtempSync(join(tmpdir(), "careprobe-e2e-"));
}

/** Environment for a child: nothing of ours leaks in except what the test sets. */
export function cliEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...extra };
}

export function spawnCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd = ROOT,
): ChildProcess & { output: CliResult; done: Promise<CliResult> } {
  requirePath(BIN);
  const child = spawn(process.execPath, [BIN, ...args], {
    env,
    cwd,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: CliResult = { code: null, signal: null, stdout: "", stderr: "" };
  child.stdout?.on("data", (chunk: Buffer) => {
    output.stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output.stderr += chunk.toString();
  });
  const done = new Promise<CliResult>((resolvePromise) => {
    child.on("close", (code, signal) => {
      output.code = code;
      output.signal = signal;
      resolvePromise(output);
    });
  });
  return Object.assign(child, { output, done });
}

export function runCli(args: string[], env: NodeJS.ProcessEnv, cwd = ROOT): Promise<CliResult> {
  return spawnCli(args, env, cwd).done;
}

export async function waitFor(
  check: () => boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
