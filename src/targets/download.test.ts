import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CareprobeError } from "../core/errors.js";
import type { ProgressEvent } from "../core/types.js";
import { tinyModelPath } from "../testing/test-data.js";
import { downloadFile } from "./download.js";
import { createLocalTarget } from "./local.js";
import { ensureLocalModel, findLocalModel, type LocalModelEntry } from "./local-models.js";

const TINY_MODEL = tinyModelPath();
const PAYLOAD = randomBytes(300_000);
const PAYLOAD_SHA256 = createHash("sha256").update(PAYLOAD).digest("hex");

interface FileServer {
  server: Server;
  baseUrl: string;
  /** Requests per path, to tell whether a download happened. */
  hits: Map<string, number>;
}

/** Serves `files` by path in 20 kB chunks (so progress has steps); anything else is a 404. */
async function startServer(files: Record<string, Buffer>): Promise<FileServer> {
  const hits = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = req.url ?? "/";
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const body = files[path];
    if (body === undefined) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, { "content-length": body.length });
    for (let offset = 0; offset < body.length; offset += 20_000) {
      res.write(body.subarray(offset, offset + 20_000));
    }
    res.end();
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  return { server, baseUrl: `http://127.0.0.1:${port}`, hits };
}

async function stopServer(server: Server): Promise<void> {
  await new Promise<void>((done) => server.close(() => done()));
}

async function failure(promise: Promise<unknown>): Promise<CareprobeError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CareprobeError);
  return error as CareprobeError;
}

describe("downloadFile", () => {
  let files: FileServer;
  let dir: string;

  beforeAll(async () => {
    files = await startServer({ "/payload.bin": PAYLOAD });
    dir = await mkdtemp(join(tmpdir(), "careprobe-download-"));
  });

  afterAll(async () => {
    await stopServer(files.server);
    await rm(dir, { recursive: true, force: true });
  });

  it("streams, verifies and reports progress", async () => {
    const dest = join(dir, "ok", "payload.bin");
    const events: ProgressEvent[] = [];
    await downloadFile({
      url: `${files.baseUrl}/payload.bin`,
      dest,
      sha256: PAYLOAD_SHA256,
      size: PAYLOAD.length,
      label: "payload",
      onEvent: (event) => events.push(event),
    });
    const written = await readFile(dest);
    expect(written.equals(PAYLOAD)).toBe(true);
    expect(createHash("sha256").update(written).digest("hex")).toBe(PAYLOAD_SHA256);
    expect(existsSync(`${dest}.part`)).toBe(false);

    const received = events.map((event) => {
      expect(event).toMatchObject({
        type: "download",
        label: "payload",
        totalBytes: PAYLOAD.length,
      });
      return event.type === "download" ? event.receivedBytes : -1;
    });
    expect(received.length).toBeGreaterThan(2);
    for (let i = 1; i < received.length; i++) {
      expect(received[i]).toBeGreaterThan(received[i - 1] ?? 0);
    }
    expect(received.at(-1)).toBe(PAYLOAD.length);
  });

  it("takes the total from content-length when no size is given", async () => {
    const dest = join(dir, "no-size.bin");
    const totals = new Set<number | undefined>();
    await downloadFile({
      url: `${files.baseUrl}/payload.bin`,
      dest,
      label: "payload",
      onEvent: (event) => {
        if (event.type === "download") totals.add(event.totalBytes);
      },
    });
    expect([...totals]).toEqual([PAYLOAD.length]);
  });

  it("deletes a download whose hash does not match", async () => {
    const target = join(dir, "mismatch");
    const dest = join(target, "payload.bin");
    const error = await failure(
      downloadFile({
        url: `${files.baseUrl}/payload.bin`,
        dest,
        sha256: "0".repeat(64),
        label: "payload",
      }),
    );
    expect(error.code).toBe("CHECKSUM_MISMATCH");
    expect(error.message).toContain(PAYLOAD_SHA256);
    expect(await readdir(target)).toEqual([]);
  });

  it("deletes a download of the wrong size", async () => {
    const target = join(dir, "wrong-size");
    const error = await failure(
      downloadFile({
        url: `${files.baseUrl}/payload.bin`,
        dest: join(target, "payload.bin"),
        size: PAYLOAD.length + 1,
        label: "payload",
      }),
    );
    expect(error.code).toBe("CHECKSUM_MISMATCH");
    expect(await readdir(target)).toEqual([]);
  });

  it("reports an HTTP error with the URL and the alternatives", async () => {
    const url = `${files.baseUrl}/missing.gguf`;
    const dest = join(dir, "missing.gguf");
    const error = await failure(downloadFile({ url, dest, label: "model" }));
    expect(error.code).toBe("DOWNLOAD_FAILED");
    expect(error.status).toBe(404);
    expect(error.message).toContain(url);
    expect(error.message).toContain("--target local:/path/to/model.gguf");
    expect(error.message).toContain("OPENAI_API_KEY");
    expect(existsSync(dest)).toBe(false);
    expect(existsSync(`${dest}.part`)).toBe(false);
  });

  it("reports a refused connection", async () => {
    const closed = await startServer({});
    await stopServer(closed.server);
    const url = `${closed.baseUrl}/model.gguf`;
    const error = await failure(
      downloadFile({ url, dest: join(dir, "refused.gguf"), label: "model" }),
    );
    expect(error.code).toBe("DOWNLOAD_FAILED");
    expect(error.retryable).toBe(true);
    expect(error.message).toContain(url);
    expect(error.message).toContain("local:/path/to/model.gguf");
  });

  it("stops when aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    const dest = join(dir, "aborted.bin");
    const error = await failure(
      downloadFile({
        url: `${files.baseUrl}/payload.bin`,
        dest,
        label: "payload",
        signal: controller.signal,
      }),
    );
    expect(error.code).toBe("ABORTED");
    expect(existsSync(`${dest}.part`)).toBe(false);
  });
});

describe("ensureLocalModel", () => {
  it("replaces a corrupt copy and reuses a verified one", async () => {
    const files = await startServer({ "/payload.bin": PAYLOAD });
    const home = await mkdtemp(join(tmpdir(), "careprobe-home-"));
    const entry: LocalModelEntry = {
      name: "payload",
      file: "payload.bin",
      url: `${files.baseUrl}/payload.bin`,
      sha256: PAYLOAD_SHA256,
      sizeBytes: PAYLOAD.length,
      license: "test",
      description: "random bytes",
    };
    try {
      // Same size, wrong bytes: must be detected by hash and downloaded again.
      await mkdir(join(home, "models"));
      await writeFile(join(home, "models", "payload.bin"), Buffer.alloc(PAYLOAD.length));
      const path = await ensureLocalModel({ entry, home });
      expect(path).toBe(join(home, "models", "payload.bin"));
      expect((await readFile(path)).equals(PAYLOAD)).toBe(true);
      expect(files.hits.get("/payload.bin")).toBe(1);

      expect(await ensureLocalModel({ entry, home })).toBe(path);
      // Without the stamp the file is hashed again, found good, and still not downloaded.
      await rm(`${path}.verified.json`);
      expect(await ensureLocalModel({ entry, home })).toBe(path);
      expect(files.hits.get("/payload.bin")).toBe(1);
    } finally {
      await stopServer(files.server);
      await rm(home, { recursive: true, force: true });
    }
  });
});

describe("local:default", () => {
  it("downloads the catalog model into CAREPROBE_HOME on first use, then generates", async () => {
    if (!existsSync(TINY_MODEL)) {
      throw new Error(`The tiny test model is missing: expected it at ${TINY_MODEL}`);
    }
    const bytes = await readFile(TINY_MODEL);
    const files = await startServer({ "/tiny.gguf": bytes });
    const home = await mkdtemp(join(tmpdir(), "careprobe-home-"));
    const catalogDefault = findLocalModel("default");
    expect(catalogDefault?.sha256).toMatch(/^[0-9a-f]{64}$/);
    // The catalog's own entry, with the tiny model's bytes standing in for the real file.
    const entry: LocalModelEntry = {
      ...(catalogDefault as LocalModelEntry),
      file: "tiny.gguf",
      sha256: createHash("sha256").update(bytes).digest("hex"),
      sizeBytes: bytes.length,
    };
    const events: ProgressEvent[] = [];
    const options = {
      spec: "local:default",
      model: "default",
      home,
      catalogEntry: entry,
      downloadUrl: `${files.baseUrl}/tiny.gguf`,
      parallel: 1,
      onEvent: (event: ProgressEvent) => events.push(event),
    };
    try {
      const first = createLocalTarget(options);
      const response = await first.chat({
        messages: [{ role: "user", content: "Hello" }],
        params: { temperature: 0, maxTokens: 2 },
      });
      await first.close?.();
      expect(typeof response.text).toBe("string");
      expect(response.model).toBe(entry.name);
      expect((await readFile(join(home, "models", "tiny.gguf"))).equals(bytes)).toBe(true);
      const progress = events.filter((event) => event.type === "download");
      expect(progress.at(-1)).toMatchObject({
        receivedBytes: bytes.length,
        totalBytes: bytes.length,
      });
      expect(files.hits.get("/tiny.gguf")).toBe(1);

      // A verified copy is reused: no second request.
      const second = createLocalTarget(options);
      await second.chat({
        messages: [{ role: "user", content: "Again" }],
        params: { temperature: 0, maxTokens: 1 },
      });
      await second.close?.();
      expect(files.hits.get("/tiny.gguf")).toBe(1);
    } finally {
      await stopServer(files.server);
      await rm(home, { recursive: true, force: true });
    }
  });

  it("fails with DOWNLOAD_FAILED and no model left behind when the server has no file", async () => {
    const files = await startServer({});
    const home = await mkdtemp(join(tmpdir(), "careprobe-home-"));
    try {
      const target = createLocalTarget({
        spec: "local:default",
        model: "default",
        home,
        downloadUrl: `${files.baseUrl}/gone.gguf`,
      });
      const error = await failure(
        target.chat({
          messages: [{ role: "user", content: "Hi" }],
          params: { temperature: 0, maxTokens: 1 },
        }),
      );
      await target.close?.();
      expect(error.code).toBe("DOWNLOAD_FAILED");
      expect(error.message).toContain(`${files.baseUrl}/gone.gguf`);
      expect(await readdir(join(home, "models"))).toEqual([]);
    } finally {
      await stopServer(files.server);
      await rm(home, { recursive: true, force: true });
    }
  });
});
