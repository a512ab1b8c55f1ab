/**
 * Where the published files come from: a local directory with the repository's layout
 * (a clone, or a copy of its data files) or an http(s) base URL serving that layout.
 * A source only opens byte streams; checking them against the manifest is fetch.ts's job.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { CareprobeError } from "../../core/errors.js";
import { MOORE2025_COMMIT, MOORE2025_REPOSITORY, type Moore2025File } from "./manifest.js";

export const MOORE2025_DEFAULT_BASE_URL = `https://raw.githubusercontent.com/${MOORE2025_REPOSITORY}/${MOORE2025_COMMIT}/`;

const CLONE_ADVICE = `pass \`--from <dir>\` with a local clone of ${MOORE2025_REPOSITORY} checked out at commit ${MOORE2025_COMMIT}`;

export interface Moore2025Source {
  /** Where a file is read from (a URL or a path), for messages. */
  locate(file: Moore2025File): string;
  /** The file's bytes; fails with DOWNLOAD_FAILED (or ABORTED) when they cannot be had. */
  open(file: Moore2025File, signal?: AbortSignal): Promise<AsyncIterable<Uint8Array>>;
}

export function isUrl(from: string): boolean {
  return /^https?:\/\//i.test(from);
}

/** The URL of a file under a base URL; each path segment is encoded (names hold `&` and `=`). */
export function fileUrl(baseUrl: string, path: string): string {
  const base = baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`;
  return new URL(path.split("/").map(encodeURIComponent).join("/"), base).href;
}

export function abortedError(cause?: unknown): CareprobeError {
  return new CareprobeError(
    "ABORTED",
    "Fetching moore2025 was cancelled. Run the same command again to continue: verified files are kept.",
    { cause },
  );
}

export function httpSource(baseUrl: string, fetchImpl: typeof fetch): Moore2025Source {
  const locate = (file: Moore2025File) => fileUrl(baseUrl, file.path);
  return {
    locate,
    async open(file, signal) {
      const url = locate(file);
      let response: Response;
      try {
        response = await fetchImpl(url, { signal });
      } catch (error) {
        if (signal?.aborted) throw abortedError(error);
        throw new CareprobeError(
          "DOWNLOAD_FAILED",
          `Could not download ${file.path} from ${url} (${describe(error)}). Check the network connection, or ${CLONE_ADVICE}.`,
          { retryable: true, cause: error },
        );
      }
      if (!response.ok || response.body === null) {
        await response.body?.cancel().catch(() => undefined);
        const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;
        throw new CareprobeError(
          "DOWNLOAD_FAILED",
          `Could not download ${file.path} from ${url}: ${status}. Check the network connection and the URL, or ${CLONE_ADVICE}.`,
          {
            status: response.status,
            retryable: response.status === 429 || response.status >= 500,
          },
        );
      }
      return response.body;
    },
  };
}

export function directorySource(dir: string): Moore2025Source {
  const root = resolve(dir);
  const locate = (file: Moore2025File) => join(root, ...file.path.split("/"));
  return {
    locate,
    async open(file, signal) {
      const path = locate(file);
      try {
        const info = await stat(path);
        if (!info.isFile()) throw new Error("not a regular file");
      } catch (error) {
        throw new CareprobeError(
          "DOWNLOAD_FAILED",
          `Could not read ${file.path} from ${path} (${describe(error)}). The directory given to --from must have the repository's layout: ${CLONE_ADVICE}, or leave out --from to download the files (check the network connection).`,
          { cause: error },
        );
      }
      return createReadStream(path, { signal });
    },
  };
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return code === "ENOENT" ? "no such file" : `${error.message}${cause}`;
  }
  return String(error);
}
