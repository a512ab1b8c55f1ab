/**
 * `careprobe fetch moore2025`: copies the paper's published files into CAREPROBE_HOME and
 * checks each against the manifest. A file gets its final name only after its sha256
 * matched, so whatever sits at a final name has been verified and a re-run skips it.
 */
import { createHash, randomUUID } from "node:crypto";
import { createReadStream, readFileSync, statSync } from "node:fs";
import { mkdir, open, rename, rm, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { pipeline } from "node:stream/promises";
import { CareprobeError, isCareprobeError } from "../../core/errors.js";
import type { ProgressListener } from "../../core/types.js";
import {
  MOORE2025_COMMIT,
  MOORE2025_FILES,
  MOORE2025_REPOSITORY,
  type Moore2025File,
  type Moore2025Use,
} from "./manifest.js";
import {
  abortedError,
  directorySource,
  httpSource,
  isUrl,
  MOORE2025_DEFAULT_BASE_URL,
  type Moore2025Source,
} from "./sources.js";

export interface FetchMoore2025Options {
  /** CAREPROBE_HOME. */
  home: string;
  /** A local directory with the repository's layout, or an http(s) base URL serving it. */
  from?: string;
  fetch?: typeof fetch;
  onEvent?: ProgressListener;
  signal?: AbortSignal;
}

export interface FetchMoore2025Result {
  /** Where the verified copy lives (see `moore2025Dir`). */
  dir: string;
  /** Files in the manifest, all verified when this resolves. */
  files: number;
  /** Files copied or downloaded by this call. */
  copied: number;
  /** Files that were already present and verified. */
  alreadyPresent: number;
}

/** Progress events at most once per this many bytes of one file (and at its start and end). */
const PROGRESS_STEP = 1 << 20;

/** Where the verified copy of the pinned commit lives under CAREPROBE_HOME. */
export function moore2025Dir(home: string): string {
  return join(resolve(home), "datasets", "moore2025", MOORE2025_COMMIT);
}

/** The local path of one repository file inside a copy. */
export function moore2025Path(dir: string, repositoryPath: string): string {
  return join(dir, ...repositoryPath.split("/"));
}

/**
 * The directory of the verified copy; DATASET_MISSING when a file (of `use`, or any) is not
 * there. Only sizes are checked: fetch gives a file its final name after verifying it.
 */
export function requireMoore2025(home: string, use?: Moore2025Use): string {
  const dir = moore2025Dir(home);
  for (const file of MOORE2025_FILES) {
    if (use !== undefined && !file.uses.includes(use)) continue;
    const size = sizeOf(moore2025Path(dir, file.path));
    if (size === file.size) continue;
    const problem = size === undefined ? "is missing" : `has ${size} bytes, not ${file.size}`;
    throw new CareprobeError(
      "DATASET_MISSING",
      `The data of Moore et al. (2025) is not in ${dir} (${file.path} ${problem}): run \`careprobe fetch moore2025\` first (or \`careprobe fetch moore2025 --from <dir>\` with a local clone of ${MOORE2025_REPOSITORY}).`,
    );
  }
  return dir;
}

export async function fetchMoore2025(
  options: FetchMoore2025Options,
): Promise<FetchMoore2025Result> {
  const { signal, onEvent } = options;
  const from = options.from ?? MOORE2025_DEFAULT_BASE_URL;
  const source = isUrl(from)
    ? httpSource(from, options.fetch ?? globalThis.fetch)
    : directorySource(from);
  const dir = moore2025Dir(options.home);
  onEvent?.({
    type: "info",
    message: `Fetching ${MOORE2025_FILES.length} files of ${MOORE2025_REPOSITORY}@${MOORE2025_COMMIT.slice(0, 7)} from ${isUrl(from) ? from : resolve(from)}`,
  });

  let copied = 0;
  let alreadyPresent = 0;
  for (const file of MOORE2025_FILES) {
    if (signal?.aborted) throw abortedError(signal.reason);
    const destination = moore2025Path(dir, file.path);
    if (await isVerified(destination, file)) {
      alreadyPresent += 1;
      continue;
    }
    await mkdir(dirname(destination), { recursive: true });
    await receive(file, source, destination, options);
    copied += 1;
  }

  onEvent?.({
    type: "info",
    message: `moore2025: ${MOORE2025_FILES.length} files verified in ${dir} (${copied} copied, ${alreadyPresent} already present)`,
  });
  return { dir, files: MOORE2025_FILES.length, copied, alreadyPresent };
}

/** Streams one file into a temporary name beside its destination; renames it once verified. */
async function receive(
  file: Moore2025File,
  source: Moore2025Source,
  destination: string,
  options: FetchMoore2025Options,
): Promise<void> {
  const { signal, onEvent } = options;
  const where = source.locate(file);
  const temporary = `${destination}.${randomUUID().slice(0, 8)}.partial`;
  const hash = createHash("sha256");
  let received = 0;
  let reported = 0;
  const report = () => {
    reported = received;
    onEvent?.({
      type: "download",
      label: file.path,
      receivedBytes: received,
      totalBytes: file.size,
    });
  };

  try {
    const chunks = await source.open(file, signal);
    // Created before streaming starts, so the cleanup below always finds it.
    const output = await open(temporary, "wx");
    report();
    await pipeline(
      chunks,
      async function* (stream: AsyncIterable<Uint8Array>) {
        for await (const chunk of stream) {
          received += chunk.byteLength;
          // Stop early instead of filling the disk with a wrong file.
          if (received > file.size) throw mismatch(file, where, `more than ${file.size} bytes`);
          hash.update(chunk);
          if (received - reported >= PROGRESS_STEP) report();
          yield chunk;
        }
      },
      output.createWriteStream(),
      { signal },
    );
    const digest = hash.digest("hex");
    if (received !== file.size || digest !== file.sha256) {
      throw mismatch(file, where, `${received} bytes with sha256 ${digest}`);
    }
    await rename(temporary, destination);
    if (reported !== received || received === 0) report();
  } catch (error) {
    await rm(temporary, { force: true });
    if (isCareprobeError(error)) throw error;
    if (signal?.aborted) throw abortedError(error);
    throw new CareprobeError(
      "DOWNLOAD_FAILED",
      `Could not copy ${file.path} from ${where} (${error instanceof Error ? error.message : String(error)}). Check the network connection and run the command again, or pass \`--from <dir>\` with a local clone of ${MOORE2025_REPOSITORY}.`,
      { retryable: true, cause: error },
    );
  }
}

function mismatch(file: Moore2025File, where: string, got: string): CareprobeError {
  return new CareprobeError(
    "CHECKSUM_MISMATCH",
    `${file.path} from ${where} is not the published file: got ${got}, expected ${file.size} bytes with sha256 ${file.sha256}. Nothing was saved for it. The source must be commit ${MOORE2025_COMMIT} of ${MOORE2025_REPOSITORY}, unmodified: fetch again from the authors' repository (without --from) or from a clean clone at that commit (--from <dir>).`,
  );
}

/** True when the destination holds exactly the manifest's bytes. */
async function isVerified(path: string, file: Moore2025File): Promise<boolean> {
  try {
    if ((await stat(path)).size !== file.size) return false;
  } catch {
    return false;
  }
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex") === file.sha256;
}

function sizeOf(path: string): number | undefined {
  try {
    const info = statSync(path);
    return info.isFile() ? info.size : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads one published file from a verified copy, checking its sha256 again: whatever is
 * built from it promises the pinned commit.
 */
export function readPublishedFile(dir: string, repoPath: string): string {
  const file = moore2025Path(dir, repoPath);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new CareprobeError(
      "DATASET_MISSING",
      `Cannot read ${file}: run \`careprobe fetch moore2025\` first (or \`careprobe fetch moore2025 --from <dir>\`).`,
      { cause: error },
    );
  }
  const expected = MOORE2025_FILES.find((entry) => entry.path === repoPath);
  const digest = createHash("sha256").update(bytes).digest("hex");
  if (digest !== expected?.sha256) {
    throw new CareprobeError(
      "CHECKSUM_MISMATCH",
      `${file} is not the published ${repoPath} of commit ${MOORE2025_COMMIT} (sha256 ${digest}). Run \`careprobe fetch moore2025\` again to restore it.`,
    );
  }
  return bytes.toString("utf8");
}
