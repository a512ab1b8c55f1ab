/**
 * careprobe view, Answer and Capture in chromium: a clinician answers three stimuli and
 * the report has a judged `human:` target; two captured replies appear as `manual:`.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli.js";
import { launch, startView, type View, type World, world } from "./helpers/view.js";

let w: World;
let view: View;
let browser: Browser;

beforeAll(async () => {
  w = await world(2);
  view = await startView(w.env);
  browser = await launch();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await view?.stop();
  await w?.fake.close();
});

interface Report {
  metrics: Array<{
    target: string;
    metric: string;
    condition: string;
    n: number;
    value: number | null;
  }>;
}

async function report(): Promise<Report> {
  const out = await runCli(["report", "--format", "json"], w.env);
  expect(out.code, out.stderr).toBe(0);
  return JSON.parse(out.stdout) as Report;
}

async function waitForText(page: Page, selector: string, text: string): Promise<void> {
  await page.waitForFunction(
    ([s, t]) => (document.querySelector(s as string)?.textContent ?? "").includes(t as string),
    [selector, text],
  );
}

declare const document: { querySelector(s: string): { textContent: string | null } | null };

describe("careprobe view: Answer and Capture", () => {
  it("three answers by a clinician become a judged human: target", async () => {
    const page = await browser.newPage();
    await page.goto(`${view.url}#/answer`);
    await page.fill("#answer-name", "Dr Rivera");
    await page.click("#answer-setup button[type=submit]");
    for (let i = 0; i < 3; i++) {
      await waitForText(page, "#answer-progress", `${i} of`);
      const limit = Number(await page.locator("#answer-reply").getAttribute("maxlength"));
      expect(limit).toBe(1024);
      await page.fill(
        "#answer-reply",
        `I'm concerned about you. Answer ${i}; can we talk about your safety?`,
      );
      await page.keyboard.press("Control+Enter");
      await waitForText(page, "#status", "Saved as human:Dr Rivera");
    }
    await waitForText(page, "#answer-progress", "3 of");
    await page.screenshot({ path: "/tmp/careprobe-view-answer.png", fullPage: true });
    const metrics = (await report()).metrics.filter(
      (m) =>
        m.target === "human:Dr Rivera" && m.metric === "appropriate" && m.condition === "overall",
    );
    expect(metrics).toHaveLength(1);
    expect(metrics[0]?.n).toBe(3);
    expect(metrics[0]?.value).not.toBeNull();
    await page.close();
  });

  it("two captured replies of an app appear as a manual: target", async () => {
    const page = await browser.newPage();
    await page.goto(`${view.url}#/capture`);
    await page.fill("#capture-app", "TheraApp");
    await page.fill("#capture-version", "2.1.0");
    await page.click("#capture-setup button[type=submit]");
    let replies = 0;
    while (replies < 2) {
      await page.waitForSelector("#capture-reply");
      const progress = (await page.locator("#capture-progress").textContent()) ?? "";
      if (progress.startsWith(`${replies} of`) === false) break;
      await page.fill("#capture-reply", "<b>App</b> says: please reach out to a crisis line.");
      await page.click("#capture-send");
      await waitForText(page, "#status", "Saved");
      const status = (await page.locator("#status").textContent()) ?? "";
      if (status.includes("judged")) replies++;
      await page.waitForFunction(
        (before) => document.querySelector("#capture-progress")?.textContent !== before,
        progress,
      );
    }
    expect(replies).toBe(2);
    await page.screenshot({ path: "/tmp/careprobe-view-capture.png", fullPage: true });
    const rows = (await report()).metrics.filter(
      (m) =>
        m.target === "manual:TheraApp" && m.metric === "appropriate" && m.condition === "overall",
    );
    expect(rows[0]?.n).toBe(2);
    await page.close();
  });

  it("captures a multi-turn stimulus turn by turn, each turn stored as given", async () => {
    const page = await browser.newPage();
    await page.goto(`${view.url}#/capture`);
    await page.fill("#capture-app", "ChatPal");
    await page.fill("#capture-version", "2.1.0");
    await page.click("#capture-setup button[type=submit]");
    await page.waitForSelector("#capture-reply");
    // The page is drawn again for the chosen stimulus: wait until the old drawing is gone.
    const before = await page.$("#capture-progress");
    await page.selectOption("#stimulus", "suicide-multi-turn-rope");
    await page.waitForFunction((el) => !el?.isConnected, before);
    await waitForText(page, "#capture-progress", "turn 1 of");
    const turns = Number(
      /turn 1 of (\d+)/.exec((await page.locator("#capture-progress").textContent()) ?? "")?.[1],
    );
    expect(turns).toBeGreaterThan(1);
    for (let turn = 1; turn <= turns; turn++) {
      await waitForText(page, "#capture-progress", `turn ${turn} of ${turns}`);
      if (turn > 1) {
        // The app's own earlier reply is shown as the therapist's turn.
        await waitForText(page, ".conversation", `app reply ${turn - 1}`);
      }
      await page.fill("#capture-reply", `app reply ${turn}`);
      await page.click("#capture-send");
      await waitForText(page, "#status", turn < turns ? `Saved turn ${turn}` : "Saved and judged");
    }
    // A reload shows the stimulus as done: every turn was stored when given.
    await page.reload();
    await page.waitForSelector("#stimulus");
    const done = await page
      .locator("#stimulus option[value=suicide-multi-turn-rope]")
      .textContent();
    expect(done).toMatch(/^✓ /);
    const rows = (await report()).metrics.filter(
      (m) =>
        m.target === "manual:ChatPal" && m.metric === "appropriate" && m.condition === "overall",
    );
    expect(rows[0]?.n).toBe(1);
    await page.screenshot({ path: "/tmp/careprobe-view-capture-multi.png", fullPage: true });
    await page.close();
  });
});
