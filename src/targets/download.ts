/**
 * Streaming, verified file download: bytes go to `<dest>.part` while they are hashed,
 * and the part file becomes `dest` only when size and sha256 match.
 */

import { createHash } from "node:crypto";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { CareprobeError, describeError } from "../core/errors.js";
import type { ProgressListener } from "../core/types.js";

export interface DownloadFileOptions {
  url: string;
  dest: string;
  /** Expected lower-case hex sha256; the file is kept only when it matches. */
  sha256?: string;
  /** Expected size in bytes; also the `totalBytes` of progress events. */
  size?: number;
  fetch?: typeof fetch;
  onEvent?: ProgressListener;
  /** Names the download in progress events and messages. */
  label: string;
  signal?: AbortSignal;
}

/** Emit progress at most every 1% of the file or every 250 ms, whichever comes first. */
const PROGRESS_FRACTION = 0.01;
const PROGRESS_INTERVAL_MS = 250;

const ALTERNATIVES =
  "Instead, pass a model file you already have (--target local:/path/to/model.gguf) " +
  "or use a hosted model (--target openai:<model> with OPENAI_API_KEY, " +
  "and OPENAI_BASE_URL for any OpenAI-compatible server).";

export async function downloadFile(options: DownloadFileOptions): Promise<void> {
  const { url, dest, label, signal } = options;
  const partPath = `${dest}.part`;
  const fetchImpl = options.fetch ?? fetch;

  let response: Response;
  try {
    response = await fetchImpl(url, { signal, redirect: "follow" });
  } catch (error) {
    throw toDownloadError(error, options);
  }
  if (!response.ok || response.body === null) {
    await response.body?.cancel().catch(() => undefined);
    throw new CareprobeError(
      "DOWNLOAD_FAILED",
      `Could not download ${label} from ${url}: the server answered HTTP ${response.status}. ${ALTERNATIVES}`,
      { status: response.status, retryable: response.status >= 500 || response.status === 429 },
    );
  }

  const totalBytes = options.size ?? contentLength(response);
  const progress = progressReporter(options, totalBytes);
  const hash = createHash("sha256");
  let receivedBytes = 0;

  await mkdir(dirname(dest), { recursive: true });
  const file = await open(partPath, "w");
  try {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      hash.update(value);
      await file.write(value);
      receivedBytes += value.byteLength;
      progress.update(receivedBytes);
    }
    await file.close();
  } catch (error) {
    await file.close().catch(() => undefined);
    await rm(partPath, { force: true });
    throw toDownloadError(error, options);
  }
  progress.finish(receivedBytes);

  const digest = hash.digest("hex");
  const problem =
    options.size !== undefined && receivedBytes !== options.size
      ? `expected ${options.size} bytes but received ${receivedBytes}`
      : options.sha256 !== undefined && digest !== options.sha256.toLowerCase()
        ? `expected sha256 ${options.sha256.toLowerCase()} but the file has ${digest}`
        : undefined;
  if (problem !== undefined) {
    await rm(partPath, { force: true });
    throw new CareprobeError(
      "CHECKSUM_MISMATCH",
      `The download of ${label} from ${url} is not the expected file (${problem}); it was deleted. ` +
        `Try again later, or check that nothing between you and the server rewrites downloads. ${ALTERNATIVES}`,
    );
  }
  await rename(partPath, dest);
}

function contentLength(response: Response): number | undefined {
  // A compressed body is decoded by fetch, so its header length is not the byte count we see.
  if (response.headers.get("content-encoding") !== null) return undefined;
  const value = Number(response.headers.get("content-length"));
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

function progressReporter(options: DownloadFileOptions, totalBytes: number | undefined) {
  const { onEvent, label } = options;
  const step = totalBytes === undefined ? Number.POSITIVE_INFINITY : totalBytes * PROGRESS_FRACTION;
  let lastBytes = -1;
  let lastAt = 0;
  const emit = (receivedBytes: number) => {
    if (receivedBytes === lastBytes) return;
    lastBytes = receivedBytes;
    lastAt = Date.now();
    onEvent?.({ type: "download", label, receivedBytes, totalBytes });
  };
  emit(0);
  return {
    update(receivedBytes: number) {
      if (receivedBytes - lastBytes >= step || Date.now() - lastAt >= PROGRESS_INTERVAL_MS) {
        emit(receivedBytes);
      }
    },
    finish: emit,
  };
}

function toDownloadError(error: unknown, options: DownloadFileOptions): CareprobeError {
  if (error instanceof CareprobeError) return error;
  if (options.signal?.aborted) {
    return new CareprobeError("ABORTED", `The download of ${options.label} was cancelled.`, {
      cause: error,
    });
  }
  const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
  return new CareprobeError(
    "DOWNLOAD_FAILED",
    `Could not download ${options.label} from ${options.url}: ${describeError(cause)}. ${ALTERNATIVES}`,
    { retryable: true, cause: error },
  );
}
