/**
 * The setup step's fallback, against a server on 127.0.0.1 that serves a copy of the
 * data made in a temporary folder: never the network.
 */
import { cpSync, createReadStream, mkdtempSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MOORE2025_COMMIT } from "../datasets/moore2025/manifest.js";
import { ensureTestData, TINY_GGUF } from "./ensure-test-data.js";
import { moore2025TestDir, tinyModelPath } from "./test-data.js";

function temp(name: string): string {
  return mkdtempSync(join(tmpdir(), `careprobe-${name}-`));
}

/** Serves `root` under /moore2025/<commit>/ and the model under /model. */
function serve(root: string): Promise<{ url: string; server: Server; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname);
    hits.push(path);
    const prefix = `/moore2025/${MOORE2025_COMMIT}/`;
    const file = path.startsWith(prefix)
      ? join(root, "moore2025", path.slice(prefix.length))
      : path === "/model"
        ? join(root, "fixtures", TINY_GGUF.name)
        : undefined;
    try {
      if (!file || !statSync(file).isFile()) throw new Error("missing");
    } catch {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-length": statSync(file).size });
    createReadStream(file).pipe(response);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, server, hits });
    });
  });
}

let copy: string;
let mirror: Awaited<ReturnType<typeof serve>>;
beforeAll(async () => {
  copy = temp("mirror");
  cpSync(moore2025TestDir(), join(copy, "moore2025"), { recursive: true });
  cpSync(tinyModelPath(), join(copy, "fixtures", TINY_GGUF.name));
  mirror = await serve(copy);
}, 120_000);
afterAll(() => new Promise<void>((resolve) => mirror.server.close(() => resolve())));

const noNetwork: typeof fetch = () => Promise.reject(new Error("no network in this test"));

describe("test data setup", () => {
  it("uses the shared folder when it holds everything, without any download", async () => {
    const data = await ensureTestData({ shared: copy, cache: temp("cache"), fetch: noNetwork });
    expect(data).toEqual({
      moore2025: join(copy, "moore2025"),
      fixtures: join(copy, "fixtures"),
      source: "shared",
    });
  });

  it("fetches the pinned files into the cache when there is no shared folder, once", async () => {
    const cache = temp("cache");
    const options = {
      shared: join(temp("none"), "shared"),
      cache,
      moore2025Url: `${mirror.url}/moore2025/${MOORE2025_COMMIT}/`,
      ggufUrl: `${mirror.url}/model`,
    };
    const data = await ensureTestData(options);
    expect(data.source).toBe("cache");
    expect(data.moore2025.startsWith(cache)).toBe(true);
    expect(statSync(join(data.moore2025, "data", "prompts.jsonl")).size).toBe(2194452);
    expect(statSync(join(data.fixtures, TINY_GGUF.name)).size).toBe(TINY_GGUF.size);
    const before = mirror.hits.length;
    expect(await ensureTestData({ ...options, fetch: noNetwork })).toEqual(data);
    expect(mirror.hits.length).toBe(before);
  }, 120_000);

  it("fails once, saying how to provide the files, when neither place has them", async () => {
    const attempt = ensureTestData({
      shared: join(temp("none"), "shared"),
      cache: temp("cache"),
      moore2025Url: `${mirror.url}/nothing-here/`,
      ggufUrl: `${mirror.url}/nothing-here`,
    });
    await expect(attempt).rejects.toThrow(/neither place had them/);
    await expect(attempt).rejects.toThrow(/CAREPROBE_TEST_CACHE/);
    await expect(attempt).rejects.toThrow(/HTTP 404/);
  });

  it("refuses a model whose bytes differ from the pinned sha256", async () => {
    const shared = temp("shared");
    cpSync(join(copy, "moore2025"), join(shared, "moore2025"), { recursive: true });
    const attempt = ensureTestData({
      shared,
      cache: temp("cache"),
      moore2025Url: `${mirror.url}/moore2025/${MOORE2025_COMMIT}/`,
      // A file of the paper is not the model: same server, wrong bytes.
      ggufUrl: `${mirror.url}/moore2025/${MOORE2025_COMMIT}/data/vignettes.jsonl`,
    });
    await expect(attempt).rejects.toThrow(/neither place had them/);
  });
});
