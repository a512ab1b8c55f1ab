/**
 * What a `local:` target is: the model file's sha256, so that replacing the file behind
 * `local:./m.gguf` is a different model to the cache, and one spelling of its path.
 *
 * Hashing a model of hundreds of megabytes takes seconds, so the hash is cached by the
 * file's absolute path, size and mtime: in memory for the process, and in a small JSON
 * file under CAREPROBE_HOME for the next run. A file whose size or mtime changed is hashed
 * again.
 */
import { createHash } from "node:crypto";
import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, isAbsolute, join, normalize, relative, resolve, sep } from "node:path";
import { z } from "zod";
import { CareprobeError, describeError } from "../core/errors.js";

const Stamp = z.object({ size: z.number(), mtimeMs: z.number(), sha256: z.string() });
type Stamp = z.infer<typeof Stamp>;
const StampFile = z.record(z.string(), Stamp);

const memory = new Map<string, Stamp>();
let computed = 0;

/** `<home>/cache/model-hashes.json`: where hashes of users' model files are remembered. */
export function modelHashCachePath(home: string): string {
  return join(home, "cache", "model-hashes.json");
}

/** How many files this process has hashed (for tests of the cache). */
export function modelHashesComputed(): number {
  return computed;
}

/** Forgets the in-memory cache, as a new process would (for tests). */
export function forgetModelHashes(): void {
  memory.clear();
}

/** The lower-case hex sha256 of a model file, computed at most once per path, size and mtime. */
export function modelFileSha256(path: string, cacheFile?: string): string {
  const absolute = resolve(path);
  const info = statOrThrow(absolute);
  const fresh = (stamp: Stamp | undefined): stamp is Stamp =>
    stamp !== undefined && stamp.size === info.size && stamp.mtimeMs === info.mtimeMs;
  const known = memory.get(absolute);
  if (fresh(known)) return known.sha256;
  const stored = cacheFile ? readStamps(cacheFile) : {};
  const kept = stored[absolute];
  if (fresh(kept)) {
    memory.set(absolute, kept);
    return kept.sha256;
  }
  const stamp = { size: info.size, mtimeMs: info.mtimeMs, sha256: hashFileSync(absolute) };
  memory.set(absolute, stamp);
  if (cacheFile) writeStamps(cacheFile, { ...stored, [absolute]: stamp });
  return stamp.sha256;
}

/**
 * One spelling per model path: `./m.gguf`, `m.gguf` and `sub/../m.gguf` are `m.gguf`;
 * a path inside the working directory is written relative to it, any other absolutely.
 */
export function canonicalModelPath(path: string, cwd: string = process.cwd()): string {
  const absolute = resolve(cwd, path);
  const inside = relative(cwd, absolute);
  if (inside !== "" && !inside.startsWith(`..${sep}`) && inside !== ".." && !isAbsolute(inside)) {
    return inside.split(sep).join("/");
  }
  return normalize(absolute);
}

function statOrThrow(path: string): { size: number; mtimeMs: number } {
  try {
    return statSync(path);
  } catch (error) {
    throw new CareprobeError(
      "TARGET_CONFIG",
      `Cannot read model file ${path}: ${describeError(error)}`,
      {
        cause: error,
      },
    );
  }
}

function hashFileSync(path: string): string {
  const hash = createHash("sha256");
  const buffer = Buffer.alloc(4 * 1024 * 1024);
  const fd = openSync(path, "r");
  try {
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) break;
      hash.update(buffer.subarray(0, read));
    }
  } finally {
    closeSync(fd);
  }
  computed++;
  return hash.digest("hex");
}

function readStamps(cacheFile: string): Record<string, Stamp> {
  try {
    const parsed = StampFile.safeParse(JSON.parse(readFileSync(cacheFile, "utf8")));
    return parsed.success ? parsed.data : {};
  } catch {
    return {}; // Missing or unreadable: hash again; the cache is only a shortcut.
  }
}

function writeStamps(cacheFile: string, stamps: Record<string, Stamp>): void {
  try {
    mkdirSync(dirname(cacheFile), { recursive: true });
    // Written aside and renamed, so a concurrent run never reads half a file.
    const temporary = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(stamps, null, 2)}\n`);
    renameSync(temporary, cacheFile);
  } catch {
    // A read-only home only costs hashing again next time.
  }
}
