/**
 * Where tests find the paper's data and the tiny GGUF model: the one place that knows.
 * `../shared/` beside the repository when it is there (CI and this project's machines);
 * otherwise the cache that the test command's setup step (test/global-setup.ts) filled,
 * named by the environment variables it sets. Tests never download anything themselves.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

export const REPO_ROOT = resolve(import.meta.dirname, "../..");
export const SHARED_DIR = resolve(REPO_ROOT, "../shared");

/** Set by the setup step to the folders it verified. */
export const TEST_DATA_ENV = {
  moore2025: "CAREPROBE_TEST_MOORE2025",
  fixtures: "CAREPROBE_TEST_FIXTURES",
} as const;

export const TINY_GGUF_NAME = "llama-2-tiny-random.gguf";

function requireDir(path: string, what: string): string {
  if (!existsSync(path)) {
    throw new Error(
      `${what} is missing at ${path}. Run the tests with \`npm test\` or \`npx vitest\`: their setup step finds or fetches it (see docs/testing.md).`,
    );
  }
  return path;
}

/** A verified copy of the paper's repository (data/, results/, external_data/ ...). */
export function moore2025TestDir(): string {
  return requireDir(
    process.env[TEST_DATA_ENV.moore2025] ?? join(SHARED_DIR, "moore2025"),
    "The paper's data",
  );
}

/** A path inside the paper's data, written with `/`. */
export function moore2025TestFile(path: string): string {
  return join(moore2025TestDir(), ...path.split("/"));
}

/** The 1.7 MB llama-architecture GGUF with random weights. */
export function tinyModelPath(): string {
  return requireDir(
    join(process.env[TEST_DATA_ENV.fixtures] ?? join(SHARED_DIR, "fixtures"), TINY_GGUF_NAME),
    "The tiny GGUF model",
  );
}
