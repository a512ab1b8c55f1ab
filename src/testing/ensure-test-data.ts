/**
 * The test command's setup step: make the paper's data and the tiny GGUF available before
 * any test runs. `../shared/` when it holds them; otherwise a cache outside the repository
 * filled from the pinned sources (the authors' repository at the pinned commit, the GGUF
 * at the pinned ollama commit), every file checked by sha256. When neither works it fails
 * once, saying how to provide the files.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { describeError } from "../core/errors.js";
import { fetchMoore2025, moore2025Dir, moore2025Path } from "../datasets/moore2025/fetch.js";
import {
  MOORE2025_COMMIT,
  MOORE2025_FILES,
  MOORE2025_REPOSITORY,
} from "../datasets/moore2025/manifest.js";
import { MOORE2025_DEFAULT_BASE_URL } from "../datasets/moore2025/sources.js";
import { downloadFile } from "../targets/download.js";
import { TINY_GGUF_NAME } from "./test-data.js";

/** The tiny model as ../shared/fixtures/README.md describes it. */
export const TINY_GGUF = {
  name: TINY_GGUF_NAME,
  size: 1_750_560,
  sha256: "81f226c62d28ed4a1a9b9fa080fcd9f0cc40e0f9d5680036583ff98fbcd035cb",
  url: "https://raw.githubusercontent.com/ollama/ollama/87a88cc8f923eb0d8b65c45a4b31cd87b34ee5b1/api/data/llama-2-tiny-random.gguf",
} as const;

export interface EnsureTestDataOptions {
  /** The shared folder (`../shared` of the repository root). */
  shared: string;
  /** Where fetched files are kept between test runs (outside the repository). */
  cache: string;
  /** Base URL of the paper's repository at the pinned commit. */
  moore2025Url?: string;
  ggufUrl?: string;
  fetch?: typeof fetch;
  log?: (line: string) => void;
}

export interface TestData {
  moore2025: string;
  fixtures: string;
  source: "shared" | "cache";
}

/** The default cache: $CAREPROBE_TEST_CACHE, else $XDG_CACHE_HOME or ~/.cache. */
export function defaultTestCache(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CAREPROBE_TEST_CACHE) return env.CAREPROBE_TEST_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "careprobe-test-data");
}

/** Every manifest file is there with its size (fetch verified the hashes when it wrote them). */
function hasMoore2025(dir: string): boolean {
  return MOORE2025_FILES.every((file) => sizeOf(moore2025Path(dir, file.path)) === file.size);
}

function hasModel(fixtures: string, verify: boolean): boolean {
  const path = join(fixtures, TINY_GGUF.name);
  if (sizeOf(path) !== TINY_GGUF.size) return false;
  return (
    !verify || createHash("sha256").update(readFileSync(path)).digest("hex") === TINY_GGUF.sha256
  );
}

function sizeOf(path: string): number | undefined {
  try {
    return statSync(path).size;
  } catch {
    return undefined;
  }
}

export async function ensureTestData(options: EnsureTestDataOptions): Promise<TestData> {
  const sharedMoore = join(options.shared, "moore2025");
  const sharedFixtures = join(options.shared, "fixtures");
  if (hasMoore2025(sharedMoore) && hasModel(sharedFixtures, false)) {
    return { moore2025: sharedMoore, fixtures: sharedFixtures, source: "shared" };
  }
  const log = options.log ?? (() => undefined);
  const fixtures = join(options.cache, "fixtures");
  const moore2025 = moore2025Dir(options.cache);
  try {
    if (!hasMoore2025(moore2025)) {
      log(
        `test data: fetching ${MOORE2025_REPOSITORY}@${MOORE2025_COMMIT.slice(0, 7)} into ${options.cache}`,
      );
      await fetchMoore2025({
        home: options.cache,
        from: options.moore2025Url ?? MOORE2025_DEFAULT_BASE_URL,
        ...(options.fetch ? { fetch: options.fetch } : {}),
      });
    }
    if (!hasModel(fixtures, true)) {
      log(`test data: fetching ${TINY_GGUF.name} into ${fixtures}`);
      await downloadFile({
        url: options.ggufUrl ?? TINY_GGUF.url,
        dest: join(fixtures, TINY_GGUF.name),
        sha256: TINY_GGUF.sha256,
        size: TINY_GGUF.size,
        label: TINY_GGUF.name,
        ...(options.fetch ? { fetch: options.fetch } : {}),
      });
    }
  } catch (error) {
    throw new Error(howToProvide(options, describeError(error)));
  }
  return { moore2025, fixtures, source: "cache" };
}

function howToProvide(options: EnsureTestDataOptions, problem: string): string {
  const found = existsSync(options.shared) ? "is incomplete" : "does not exist";
  return [
    "The tests need the data of Moore et al. (2025) and a tiny GGUF model, and neither place had them:",
    `- ${options.shared} ${found} (it needs moore2025/ and fixtures/${TINY_GGUF.name});`,
    `- fetching them into ${options.cache} failed: ${problem}`,
    "Provide them in one of these ways, then run the tests again:",
    `- put a clone of ${MOORE2025_REPOSITORY} at commit ${MOORE2025_COMMIT} in ${join(options.shared, "moore2025")}, and ${TINY_GGUF.url} in ${join(options.shared, "fixtures")};`,
    "- or allow the network for one run (the files are cached and checked by sha256);",
    "- or set CAREPROBE_TEST_CACHE to a folder that already holds a fetched copy.",
  ].join("\n");
}
