import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ReviewCache } from "../review/cache.js";
import { Store } from "../store/store.js";
import { createViewApp } from "./app.js";
import { isLoopback } from "./security.js";

const dir = mkdtempSync(join(tmpdir(), "careprobe-server-"));
const store = Store.open(join(dir, "db.sqlite"));
const options = { seed: 0, resamples: 100, toolVersion: "test" };
const context = { store, cache: new ReviewCache(store, options), home: dir, env: {}, ...options };
afterAll(() => store.close());

const HOST = "127.0.0.1:8470";
const open = createViewApp(context, { hosts: () => [HOST] });
const guarded = createViewApp(context, { hosts: () => [HOST], token: "s3cret-token" });

const request = (
  app: typeof open,
  path: string,
  init: RequestInit & { headers?: Record<string, string> } = {},
) => app.request(`http://${HOST}${path}`, { ...init, headers: { host: HOST, ...init.headers } });

const label = { key: "a".repeat(64), check: 0, reviewer: "r", label: "yes" };
const writeHeaders = { "content-type": "application/json", "x-careprobe-write": "1" };

describe("view server security", () => {
  it("tells loopback addresses from others", () => {
    expect(["127.0.0.1", "127.0.0.2", "::1", "localhost"].every(isLoopback)).toBe(true);
    expect(["0.0.0.0", "::", "192.168.1.5", "example.org"].some(isLoopback)).toBe(false);
  });

  it("refuses requests addressed to another host name (DNS rebinding)", async () => {
    const response = await open.request(`http://${HOST}/api/runs`, {
      headers: { host: "evil.example:8470" },
    });
    expect(response.status).toBe(421);
  });

  it("refuses writes without the app's header, as text, or from another origin or site", async () => {
    const body = JSON.stringify(label);
    const cases: Array<Record<string, string>> = [
      { "content-type": "application/json" },
      { "content-type": "text/plain", "x-careprobe-write": "1" },
      { ...writeHeaders, origin: "http://evil.example" },
      { ...writeHeaders, origin: "http://127.0.0.1:9999" },
      { ...writeHeaders, "sec-fetch-site": "cross-site" },
      { ...writeHeaders, "sec-fetch-site": "same-site" },
    ];
    for (const headers of cases) {
      const response = await request(open, "/api/label", { method: "POST", body, headers });
      expect(response.status, JSON.stringify(headers)).toBe(403);
    }
    const own = await request(open, "/api/label", {
      method: "POST",
      body,
      headers: { ...writeHeaders, origin: `http://${HOST}`, "sec-fetch-site": "same-origin" },
    });
    expect(own.status).toBe(404); // accepted as a write; no response has that key
  });

  it("with a token: 401 everywhere without it; the URL sets a cookie once", async () => {
    for (const path of ["/", "/app.js", "/api/runs", "/api/label/suites", "/missing"]) {
      expect((await request(guarded, path)).status, path).toBe(401);
    }
    expect((await request(guarded, "/?token=wrong")).status).toBe(401);
    const entry = await request(guarded, "/?token=s3cret-token");
    expect(entry.status).toBe(303);
    expect(entry.headers.get("location")).toBe("/");
    const cookie = entry.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/careprobe_token=s3cret-token/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const after = await request(guarded, "/api/label/suites", {
      headers: { cookie: "careprobe_token=s3cret-token" },
    });
    expect(after.status).toBe(200);
  });

  it("sends its security headers on every answer, errors included", async () => {
    for (const path of ["/", "/api/nothing", "/api/items?limit=0"]) {
      const response = await request(open, path);
      expect(response.headers.get("content-security-policy"), path).toMatch(/script-src 'self'/);
      expect(response.headers.get("content-security-policy")).not.toMatch(/unsafe-inline/);
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    }
    expect((await request(open, "/api/items?limit=0")).status).toBe(400);
  });

  it("answers an oversized body with 413", async () => {
    const response = await request(open, "/api/label", {
      method: "POST",
      body: JSON.stringify({ ...label, note: "x".repeat(2 * 1024 * 1024) }),
      headers: writeHeaders,
    });
    expect(response.status).toBe(413);
  });
});
