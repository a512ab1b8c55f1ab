/**
 * Model files for `local:` targets: the catalog of downloadable models (pinned by URL, size
 * and sha256), putting a verified copy under `<CAREPROBE_HOME>/models/`, checking a user's
 * GGUF path, and loading a file into llama.cpp (node-llama-cpp is imported only there).
 */

import { createHash } from "node:crypto";
import { closeSync, createReadStream, openSync, readSync, statSync } from "node:fs";
import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Llama, LlamaChat, LlamaGpuType, LlamaModel } from "node-llama-cpp";
import { CareprobeError, describeError } from "../core/errors.js";
import type { ProgressListener } from "../core/types.js";
import { downloadFile } from "./download.js";

export interface LocalModelEntry {
  /** The catalog key, usable as `local:<name>`. */
  name: string;
  /** File name under `<home>/models/`. */
  file: string;
  /** Download URL, pinned to a repository revision so the bytes cannot change under the hash. */
  url: string;
  /** Lower-case hex sha256 of the whole file. */
  sha256: string;
  sizeBytes: number;
  license: string;
  description: string;
}

const QWEN_REVISION = "9217f5db79a29953eb74d5343926648285ec7e67";

/** Downloadable models by name. `default` is an alias resolved by {@link findLocalModel}. */
export const LOCAL_MODELS: Readonly<Record<string, LocalModelEntry>> = {
  "qwen2.5-0.5b-instruct": {
    name: "qwen2.5-0.5b-instruct",
    file: "qwen2.5-0.5b-instruct-q4_k_m.gguf",
    url: `https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF/resolve/${QWEN_REVISION}/qwen2.5-0.5b-instruct-q4_k_m.gguf`,
    sha256: "74a4da8c9fdbcd15bd1f6d01d621410d31c6fc00986f5eb687824e7b93d7a9db",
    sizeBytes: 491_400_032,
    license: "Apache-2.0",
    description:
      "Qwen2.5 0.5B Instruct, Q4_K_M (469 MiB): small, ungated, follows option-letter instructions on a CPU.",
  },
};

export const DEFAULT_LOCAL_MODEL = "qwen2.5-0.5b-instruct";

/** The catalog entry for a name (`default` included), or undefined when the name is not in it. */
export function findLocalModel(name: string): LocalModelEntry | undefined {
  const key = name === "default" ? DEFAULT_LOCAL_MODEL : name;
  return Object.hasOwn(LOCAL_MODELS, key) ? LOCAL_MODELS[key] : undefined;
}

export interface EnsureLocalModelOptions {
  entry: LocalModelEntry;
  /** CAREPROBE_HOME; the file goes to `<home>/models/<entry.file>`. */
  home: string;
  /** Overrides `entry.url` (tests, mirrors). */
  url?: string;
  fetch?: typeof fetch;
  onEvent?: ProgressListener;
  signal?: AbortSignal;
}

/** What we remember about a file we have hashed, so a restart does not hash 500 MB again. */
interface VerifiedStamp {
  sha256: string;
  size: number;
  mtimeMs: number;
}

/**
 * Returns the path of a verified copy of the model, downloading it first when it is
 * missing or does not match the pinned hash.
 */
export async function ensureLocalModel(options: EnsureLocalModelOptions): Promise<string> {
  const { entry, home } = options;
  const dest = join(home, "models", entry.file);
  const stampPath = `${dest}.verified.json`;
  if (await isVerified(dest, stampPath, entry)) return dest;

  await mkdir(join(home, "models"), { recursive: true });
  const url = options.url ?? entry.url;
  options.onEvent?.({
    type: "info",
    message: `Downloading local model ${entry.name} (${Math.round(entry.sizeBytes / 1e6)} MB) from ${url} to ${dest}`,
  });
  await downloadFile({
    url,
    dest,
    sha256: entry.sha256,
    size: entry.sizeBytes,
    fetch: options.fetch,
    onEvent: options.onEvent,
    label: entry.name,
    signal: options.signal,
  });
  await writeStamp(dest, stampPath, entry.sha256);
  return dest;
}

async function isVerified(
  dest: string,
  stampPath: string,
  entry: LocalModelEntry,
): Promise<boolean> {
  const info = await stat(dest).catch(() => undefined);
  if (info === undefined || !info.isFile() || info.size !== entry.sizeBytes) return false;
  const stamp = await readStamp(stampPath);
  if (stamp.sha256 === entry.sha256 && stamp.size === info.size && stamp.mtimeMs === info.mtimeMs) {
    return true;
  }
  // No stamp, or the file changed since: hash it once, then trust the stamp.
  if ((await hashFile(dest)) !== entry.sha256) {
    await rm(stampPath, { force: true });
    return false;
  }
  await writeStamp(dest, stampPath, entry.sha256);
  return true;
}

async function readStamp(stampPath: string): Promise<Partial<VerifiedStamp>> {
  try {
    return JSON.parse(await readFile(stampPath, "utf8")) as Partial<VerifiedStamp>;
  } catch {
    return {};
  }
}

async function writeStamp(dest: string, stampPath: string, sha256: string): Promise<void> {
  const info = await stat(dest);
  const stamp: VerifiedStamp = { sha256, size: info.size, mtimeMs: info.mtimeMs };
  await writeFile(stampPath, `${JSON.stringify(stamp)}\n`);
}

/** sha256 of a file as lower-case hex. */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  try {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  } catch (error) {
    throw new CareprobeError("TARGET_CONFIG", `Could not read ${path}: ${String(error)}`, {
      cause: error,
    });
  }
  return hash.digest("hex");
}

/**
 * Checks, cheaply and synchronously, that `path` is a readable GGUF file, so a wrong
 * `local:` path is reported before anything runs.
 */
export function assertGgufFile(path: string): void {
  const names = ["default", ...Object.keys(LOCAL_MODELS)].join(", ");
  const fix =
    "Pass the path of a .gguf model file (--target local:/path/to/model.gguf), or one of " +
    `the downloadable names (${names}), e.g. --target local:default.`;
  let fd: number | undefined;
  try {
    if (!statSync(path).isFile()) {
      throw new CareprobeError("TARGET_CONFIG", `Local model ${path} is not a file. ${fix}`);
    }
    fd = openSync(path, "r");
    const magic = Buffer.alloc(4);
    const read = readSync(fd, magic, 0, 4, 0);
    if (read < 4 || magic.toString("latin1") !== "GGUF") {
      throw new CareprobeError(
        "TARGET_CONFIG",
        `Local model ${path} is not a GGUF model file (it does not start with the GGUF magic bytes). ` +
          `Convert or download the model in GGUF format. ${fix}`,
      );
    }
  } catch (error) {
    if (error instanceof CareprobeError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const what = code === "ENOENT" ? "was not found" : `cannot be read (${describeError(error)})`;
    throw new CareprobeError("TARGET_CONFIG", `Local model file ${path} ${what}. ${fix}`, {
      cause: error,
    });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A loaded model: one context whose sequences each carry a chat. */
export interface Engine {
  llama: Llama;
  model: LlamaModel;
  chats: LlamaChat[];
  /** Tokens each sequence can hold. */
  contextSize: number;
  modelName: string;
  dispose(): Promise<void>;
}

export type GpuChoice = "auto" | LlamaGpuType;

/** `CAREPROBE_LOCAL_GPU`: unset/0/false/cpu → CPU; 1/true/auto → best GPU; or cuda, vulkan, metal. */
export function gpuFromEnvironment(env: NodeJS.ProcessEnv = process.env): GpuChoice {
  const raw = (env.CAREPROBE_LOCAL_GPU ?? "").trim().toLowerCase();
  if (["", "0", "false", "off", "no", "cpu"].includes(raw)) return false;
  if (["1", "true", "on", "yes", "auto"].includes(raw)) return "auto";
  if (raw === "cuda" || raw === "vulkan" || raw === "metal") return raw;
  throw new CareprobeError(
    "TARGET_CONFIG",
    `CAREPROBE_LOCAL_GPU=${raw} is not understood. Use 0 (CPU, the default), 1 or auto, cuda, vulkan or metal.`,
  );
}

const DEFAULT_CONTEXT_SIZE = 4096;

export interface LoadEngineOptions {
  path: string;
  modelName: string;
  gpu: GpuChoice;
  contextSize?: number;
  sequences: number;
  onEvent?: ProgressListener;
}

/** Imports node-llama-cpp (only now), loads the model and creates one context of `sequences`. */
export async function loadEngine(options: LoadEngineOptions): Promise<Engine> {
  const { path, onEvent } = options;
  const llamaCpp = await import("node-llama-cpp").catch((error: unknown) => {
    throw new CareprobeError(
      "TARGET_CONFIG",
      `Local models need the node-llama-cpp package, which could not be loaded (${describeError(error)}). ` +
        "Reinstall careprobe's dependencies (npm ci), or use a hosted target.",
      { cause: error },
    );
  });
  const { LlamaLogLevel } = llamaCpp;
  const llama = await llamaCpp
    .getLlama({
      gpu: options.gpu,
      // Building llama.cpp from source would print and need the network: use shipped binaries only.
      build: "never",
      progressLogs: false,
      logLevel: LlamaLogLevel.error,
      logger: (level, message) => {
        if (level === LlamaLogLevel.error || level === LlamaLogLevel.fatal) {
          onEvent?.({ type: "warning", message: `llama.cpp: ${message.trim()}` });
        }
      },
    })
    .catch((error: unknown) => {
      throw new CareprobeError(
        "TARGET_CONFIG",
        `llama.cpp could not start (${describeError(error)}). Unset CAREPROBE_LOCAL_GPU to run on the CPU, ` +
          "reinstall node-llama-cpp, or use a hosted target.",
        { cause: error },
      );
    });
  const stage = async <T>(run: () => Promise<T>, what: (e: unknown) => string): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      await llama.dispose().catch(() => undefined);
      throw new CareprobeError("TARGET_CONFIG", what(error), { cause: error });
    }
  };
  const model = await stage(
    () => llama.loadModel({ modelPath: path }),
    (error) =>
      `llama.cpp could not load ${path} (${describeError(error)}). Check that it is a complete GGUF ` +
      "model of an architecture llama.cpp supports; re-download it if it may be truncated.",
  );
  const contextSize = options.contextSize ?? Math.min(DEFAULT_CONTEXT_SIZE, model.trainContextSize);
  const context = await stage(
    () => model.createContext({ sequences: options.sequences, contextSize }),
    (error) =>
      `Could not create a context of ${contextSize} tokens × ${options.sequences} sequences for ${path} ` +
      `(${describeError(error)}). Lower the local target's contextSize or parallel.`,
  );
  const chats = Array.from(
    { length: options.sequences },
    () => new llamaCpp.LlamaChat({ contextSequence: context.getSequence() }),
  );
  return {
    llama,
    model,
    chats,
    contextSize: context.contextSize,
    modelName: options.modelName,
    async dispose() {
      for (const chat of chats) chat.dispose();
      await context.dispose();
      await model.dispose();
      await llama.dispose();
    },
  };
}
