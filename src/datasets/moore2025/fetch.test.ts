import { createHash } from "node:crypto";
import {
  appendFileSync,
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ProgressEvent } from "../../core/types.js";
import { moore2025TestDir } from "../../testing/test-data.js";
import { fetchMoore2025, moore2025Dir, moore2025Path, requireMoore2025 } from "./fetch.js";
import { MOORE2025_COMMIT, MOORE2025_FILES } from "./manifest.js";

const sharedData = (): string => moore2025TestDir();

const temporary: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `careprobe-${prefix}-`));
  temporary.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Every file under `dir`, relative, `/`-separated. */
function listFiles(dir: string, prefix = ""): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? listFiles(join(dir, entry.name), `${prefix}${entry.name}/`)
      : [`${prefix}${entry.name}`],
  );
}

/** A writable copy of the shared folder's manifest files (the shared copy is read-only). */
function copyOfShared(): string {
  const dir = tempDir("source");
  for (const file of MOORE2025_FILES) {
    const target = moore2025Path(dir, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, readFileSync(moore2025Path(sharedData(), file.path)));
  }
  return dir;
}

describe("fetchMoore2025 from a local directory", () => {
  it("copies and verifies every file, then finds them all present", async () => {
    const home = tempDir("home");
    expect(() => requireMoore2025(home)).toThrow(/careprobe fetch moore2025/);
    const events: ProgressEvent[] = [];
    const first = await fetchMoore2025({
      home,
      from: sharedData(),
      onEvent: (event) => events.push(event),
    });
    expect(MOORE2025_FILES).toHaveLength(50);
    expect(first).toEqual({ dir: moore2025Dir(home), files: 50, copied: 50, alreadyPresent: 0 });
    expect(first.dir).toBe(join(home, "datasets", "moore2025", MOORE2025_COMMIT));
    for (const file of MOORE2025_FILES) {
      const bytes = readFileSync(moore2025Path(first.dir, file.path));
      expect(createHash("sha256").update(bytes).digest("hex")).toBe(file.sha256);
    }
    expect(listFiles(first.dir).sort()).toEqual(MOORE2025_FILES.map((f) => f.path).sort());
    expect(requireMoore2025(home)).toBe(first.dir);

    const downloads = events.filter((event) => event.type === "download");
    const labels = new Set(downloads.map((event) => event.label));
    expect(labels.size).toBe(50);
    const last = downloads.filter((event) => event.label === "data/prompts.jsonl").at(-1);
    expect(last).toMatchObject({ receivedBytes: 2194452, totalBytes: 2194452 });
    expect(events.at(-1)).toMatchObject({ type: "info", message: expect.stringMatching(/50/) });

    const second = await fetchMoore2025({ home, from: sharedData() });
    expect(second).toMatchObject({ copied: 0, alreadyPresent: 50 });
  });

  it("rejects a tampered file and leaves nothing unverified behind", async () => {
    const source = copyOfShared();
    const tampered = moore2025Path(source, "data/vignettes.jsonl");
    const bytes = readFileSync(tampered);
    bytes[100] = (bytes[100] ?? 0) ^ 1;
    writeFileSync(tampered, bytes);
    const home = tempDir("home");

    const error = await fetchMoore2025({ home, from: source }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "CHECKSUM_MISMATCH" });
    expect(String((error as Error).message)).toContain("data/vignettes.jsonl");
    expect(String((error as Error).message)).toContain(tampered);

    const present = listFiles(moore2025Dir(home));
    expect(present).toContain("data/prompts.jsonl");
    expect(present).not.toContain("data/vignettes.jsonl");
    expect(present.filter((path) => path.endsWith(".partial"))).toEqual([]);
    expect(() => requireMoore2025(home)).toThrow(/data\/vignettes\.jsonl is missing/);
  });

  it("stops reading a file that is longer than published", async () => {
    const source = copyOfShared();
    appendFileSync(moore2025Path(source, "data/annotations.csv"), "extra");
    const home = tempDir("home");
    await expect(fetchMoore2025({ home, from: source })).rejects.toMatchObject({
      code: "CHECKSUM_MISMATCH",
      message: expect.stringMatching(/data\/annotations\.csv.*more than 3567 bytes/),
    });
    expect(listFiles(moore2025Dir(home))).toEqual([]);
  });

  it("replaces a destination file that was changed after fetching", async () => {
    const home = tempDir("home");
    await fetchMoore2025({ home, from: sharedData() });
    writeFileSync(moore2025Path(moore2025Dir(home), "data/annotations.csv"), "changed");
    expect(() => requireMoore2025(home)).toThrow(/has 7 bytes/);
    const again = await fetchMoore2025({ home, from: sharedData() });
    expect(again).toMatchObject({ copied: 1, alreadyPresent: 49 });
  });

  it("names the missing file and suggests --from when the directory lacks it", async () => {
    const home = tempDir("home");
    const empty = tempDir("empty");
    await expect(fetchMoore2025({ home, from: empty })).rejects.toMatchObject({
      code: "DOWNLOAD_FAILED",
      message: expect.stringMatching(/data\/annotations\.csv.*--from <dir>/),
    });
  });

  it("stops with ABORTED when cancelled", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      fetchMoore2025({ home: tempDir("home"), from: sharedData(), signal: controller.signal }),
    ).rejects.toMatchObject({ code: "ABORTED" });
  });
});

/** Serves `root` on 127.0.0.1; paths below any `/repo/<commit>` prefix map to files. */
async function serveDirectory(root: string) {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    const raw = request.url ?? "/";
    requests.push(raw);
    const segments = raw
      .replace(/^\/repo\/[0-9a-f]{40}/, "")
      .split("/")
      .filter((segment) => segment !== "")
      .map(decodeURIComponent);
    const path = join(root, ...segments);
    if (segments.includes("..") || !existsSync(path) || !statSync(path).isFile()) {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    response.writeHead(200, { "content-type": "application/octet-stream" });
    createReadStream(path).pipe(response);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

describe("fetchMoore2025 over HTTP", () => {
  it("downloads from a base URL, encoding & and = in path segments", async () => {
    const server = await serveDirectory(sharedData());
    try {
      const home = tempDir("home");
      const result = await fetchMoore2025({ home, from: `${server.url}/repo/${MOORE2025_COMMIT}` });
      expect(result).toMatchObject({ files: 50, copied: 50, alreadyPresent: 0 });
      const encoded = server.requests.filter((url) => url.includes("%26") && url.includes("%3D"));
      expect(encoded.length).toBeGreaterThan(30);
      expect(server.requests.some((url) => /[&=]/.test(url))).toBe(false);
      expect(requireMoore2025(home)).toBe(result.dir);

      const before = server.requests.length;
      const again = await fetchMoore2025({ home, from: `${server.url}/repo/${MOORE2025_COMMIT}/` });
      expect(again).toMatchObject({ copied: 0, alreadyPresent: 50 });
      expect(server.requests.length).toBe(before);
    } finally {
      await server.close();
    }
  });

  it("turns a 404 into DOWNLOAD_FAILED naming the file and URL", async () => {
    const server = await serveDirectory(tempDir("empty"));
    try {
      const home = tempDir("home");
      const error = await fetchMoore2025({ home, from: server.url }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "DOWNLOAD_FAILED", status: 404 });
      const message = String((error as Error).message);
      expect(message).toContain(`${server.url}/data/annotations.csv`);
      expect(message).toContain("--from <dir>");
      expect(listFiles(moore2025Dir(home))).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it("downloads from the pinned commit on GitHub by default", async () => {
    const urls: string[] = [];
    const offline: typeof fetch = async (input) => {
      urls.push(String(input));
      throw new TypeError("fetch failed");
    };
    const error = await fetchMoore2025({ home: tempDir("home"), fetch: offline }).catch(
      (e: unknown) => e,
    );
    expect(urls).toEqual([
      `https://raw.githubusercontent.com/jlcmoore/llms-as-therapists/${MOORE2025_COMMIT}/data/annotations.csv`,
    ]);
    expect(error).toMatchObject({ code: "DOWNLOAD_FAILED", retryable: true });
    expect(String((error as Error).message)).toMatch(/network connection.*--from <dir>/);
  });
});
