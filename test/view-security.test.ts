/**
 * careprobe view's defences, against the real server: a cross-origin form post is
 * refused, a token-mode server answers 401 on every route without the token, hostile
 * model text renders as text with no request leaving the page, bad input gets a 4xx,
 * and a kill -9 between two labels loses nothing acknowledged.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HOSTILE, launch, startView, type View, type World, world, write } from "./helpers/view.js";

// Globals of the page, for the callbacks that run in the browser (no DOM types here).
declare const document: {
  getElementById(id: string): { textContent: string | null } | null;
  querySelector(selector: string): unknown;
};
declare const window: { __pwned?: number };

let w: World;
let view: View;
let browser: Browser;
let key = "";

beforeAll(async () => {
  w = await world(3);
  view = await startView(w.env);
  browser = await launch();
  const tasks = (await (
    await fetch(`${view.origin}/api/label/tasks?suite=responses&reviewer=probe`)
  ).json()) as { tasks: Array<{ key: string }> };
  key = tasks.tasks[0]?.key ?? "";
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await view?.stop();
  await w?.fake.close();
});

async function labelsOf(origin: string, reviewer: string) {
  const tasks = (await (
    await fetch(`${origin}/api/label/tasks?suite=responses&reviewer=${reviewer}`)
  ).json()) as { tasks: Array<{ key: string; labels: Array<{ check: number; label: string }> }> };
  return tasks.tasks.flatMap((t) => t.labels.map((l) => `${t.key}:${l.check}:${l.label}`));
}

function attackerSite(target: string): Promise<Server> {
  const page = `<!doctype html><form id=f method=post enctype="text/plain" action="${target}/api/label">
<input name='{"key":"${key}","check":0,"reviewer":"mallory","label":"yes","x":"' value='"}'></form>
<script>document.getElementById("f").submit()</script>`;
  const server = createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end(req.url === "/quiet" ? "<!doctype html><p>other site</p>" : page);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

describe("careprobe view: security", () => {
  it("refuses a form posted from another origin", async () => {
    const attacker = await attackerSite(view.origin);
    const port = (attacker.address() as AddressInfo).port;
    const page = await browser.newPage();
    const refused = page.waitForResponse((r) => r.url().endsWith("/api/label"));
    await page.goto(`http://127.0.0.1:${port}/`);
    expect((await refused).status()).toBe(403);
    // A script on the other origin fares no better.
    await page.goto(`http://127.0.0.1:${port}/quiet`);
    const status = await page.evaluate(async (origin) => {
      try {
        const r = await fetch(`${origin}/api/label`, {
          method: "POST",
          mode: "no-cors",
          headers: { "content-type": "text/plain" },
          body: "{}",
        });
        return r.type;
      } catch {
        return "blocked"; // Cross-Origin-Resource-Policy withholds even the opaque answer
      }
    }, view.origin);
    expect(["opaque", "blocked"]).toContain(status);
    expect(await labelsOf(view.origin, "mallory")).toEqual([]);
    await page.close();
    attacker.close();
  });

  it("shows hostile model text as text, runs nothing, and sends no request elsewhere", async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    const dialogs: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(view.url);
    // The report's figures, as images from this server.
    await page.waitForSelector("#figures img");
    const drawn = await page.$$eval("#figures img", (images) =>
      images.map((i) => (i as unknown as { naturalWidth: number }).naturalWidth),
    );
    expect(drawn.length).toBeGreaterThan(0);
    expect(drawn.every((w) => w > 0)).toBe(true);
    await page.locator("tr.item-row").first().click();
    await page.waitForSelector("#reader-reply");
    expect(await page.locator("#reader-reply").textContent()).toBe(HOSTILE);
    expect(await page.locator("#reader img, #reader script, #reader svg").count()).toBe(0);
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
    await page.screenshot({ path: "/tmp/careprobe-view-read.png", fullPage: true });
    expect(dialogs).toEqual([]);
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((u) => !u.startsWith(view.origin))).toEqual([]);
    const headers = (await fetch(view.url)).headers;
    expect(headers.get("content-security-policy")).toContain("script-src 'self'");
    await page.close();
  });

  it("answers bad input with a clear 4xx and serves nothing outside its routes", async () => {
    const bad = await write(view.origin, "/api/label", { key: "zz", check: -1 });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain("key");
    const unknown = await write(view.origin, "/api/label", {
      key: "0".repeat(64),
      check: 0,
      reviewer: "a",
      label: "yes",
    });
    expect(unknown.status).toBe(404);
    const check = await write(view.origin, "/api/label", {
      key,
      check: 9,
      reviewer: "a",
      label: "yes",
    });
    expect(check.status).toBe(400);
    for (const path of [
      "/../package.json",
      "/%2e%2e/%2e%2e/etc/passwd",
      "/web/app.js",
      "/api/nothing",
    ]) {
      const r = await fetch(`${view.origin}${path}`);
      expect(r.status, path).toBe(404);
    }
    const json = await fetch(`${view.origin}/api/label`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-careprobe-write": "1" },
      body: "{not json",
    });
    expect(json.status).toBe(400);
    expect((await fetch(`${view.origin}/api/items?limit=99999`)).status).toBe(400);
    // The server is still up.
    expect((await fetch(`${view.origin}/api/runs`)).status).toBe(200);
  });

  it("needs the token on every route when started in token mode", async () => {
    const guarded = await startView(w.env, ["--require-token"]);
    try {
      const token = new URL(guarded.url).searchParams.get("token");
      expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
      for (const path of ["/", "/app.js", "/app.css", "/api/runs", "/api/items", "/nothing"]) {
        expect((await fetch(`${guarded.origin}${path}`)).status, path).toBe(401);
      }
      expect((await write(guarded.origin, "/api/label", {})).status).toBe(401);
      expect((await fetch(`${guarded.origin}/?token=wrong`)).status).toBe(401);
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(guarded.url);
      expect(new URL(page.url()).searchParams.get("token")).toBeNull();
      await page.waitForSelector("#runs");
      await context.close();
    } finally {
      await guarded.stop();
    }
  });

  it("a kill -9 between two labels loses nothing acknowledged", async () => {
    const first = await startView(w.env);
    const one = await write(first.origin, "/api/label", {
      key,
      check: 0,
      reviewer: "kim",
      label: "no",
    });
    expect(one.status).toBe(200);
    first.child.kill("SIGKILL");
    await first.child.done;
    const second = await startView(w.env);
    try {
      const two = await write(second.origin, "/api/label", {
        key,
        check: 1,
        reviewer: "kim",
        label: "yes",
        note: "second",
      });
      expect(two.status).toBe(200);
      expect(await labelsOf(second.origin, "kim")).toEqual([`${key}:0:no`, `${key}:1:yes`]);
    } finally {
      await second.stop();
    }
  });
});
