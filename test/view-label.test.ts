/**
 * careprobe view, Label: in chromium, a reviewer labels five responses with the keyboard
 * only, reloads and finds them kept, and sees the agreement with the judge change; two
 * reviewers label at once without overwriting each other; blinded by default.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch, startView, type View, type World, world } from "./helpers/view.js";

// Globals of the page, for the callbacks that run in the browser (no DOM types here).
declare const document: {
  getElementById(id: string): { textContent: string | null } | null;
  querySelector(selector: string): unknown;
};
declare const window: { __pwned?: number };

let w: World;
let view: View;
let browser: Browser;

beforeAll(async () => {
  w = await world(8);
  view = await startView(w.env);
  browser = await launch();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await view?.stop();
  await w?.fake.close();
});

async function saved(page: Page, count: number): Promise<void> {
  await page.waitForFunction(
    (n) => (document.getElementById("progress-text")?.textContent ?? "").startsWith(`${n} of`),
    count,
  );
}

/** Labels the shown response, every check, by keyboard; waits for each acknowledgement. */
async function labelShown(page: Page, keys: string[]): Promise<number> {
  const checks = await page.locator("#task div.check").count();
  for (let c = 0; c < checks; c++) {
    await page.keyboard.press(keys[c % keys.length] as string);
    await page.waitForFunction(() =>
      (document.getElementById("status")?.textContent ?? "").startsWith("Saved"),
    );
    await page.evaluate(() => {
      const line = document.getElementById("status");
      if (line) line.textContent = "";
    });
  }
  return checks;
}

async function startLabelling(page: Page, name: string, extra: Record<string, string> = {}) {
  await page.goto(`${view.url}#/label`);
  await page.focus("#reviewer");
  await page.keyboard.type(name);
  for (const [field, value] of Object.entries(extra)) {
    await page.focus(`input[name=${field}]`);
    await page.keyboard.press("Control+A");
    await page.keyboard.type(value);
  }
  await page.keyboard.press("Enter");
  await page.waitForSelector("#task article");
}

describe("careprobe view: Label", () => {
  it("five labels by keyboard survive a reload and move the agreement", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await startLabelling(page, "Ann");
    await page.waitForSelector("#agreement h2");
    const before = await page.locator("#agreement").textContent();
    expect(before).toContain("0 labelled check(s)");
    // Blinded: neither the target's name nor a judge verdict is on the page.
    const text = await page.locator("#task").textContent();
    expect(text).not.toContain("openai:bot");
    expect(text).not.toContain("Judges —");
    // The hostile reply is shown as text.
    expect(text).toContain("<script>window.__pwned=1;alert(1)</script>");
    let checks = 0;
    for (let i = 0; i < 5; i++) {
      checks += await labelShown(page, i % 2 === 0 ? ["y"] : ["n", "y"]);
      await saved(page, i + 1);
    }
    await page.waitForFunction(
      (n) =>
        (document.getElementById("agreement-count")?.textContent ?? "").startsWith(
          `${n} labelled`,
        ) && document.querySelector("#agreement-table") !== null,
      checks,
    );
    const after = await page.locator("#agreement").textContent();
    expect(after).not.toBe(before);
    expect(after).toContain("openai:judge-yes");
    expect(after).toContain("Ann");
    await page.screenshot({ path: "/tmp/careprobe-view-label.png", fullPage: true });

    await page.reload();
    await saved(page, 5);
    // The agreement panel loads on its own request after the progress: wait for its table.
    await page.waitForFunction(() => document.querySelector("#agreement-table") !== null);
    expect(await page.locator("#agreement").textContent()).toBe(after);
    expect(dialogs).toEqual([]);
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
    await context.close();
  });

  it("two reviewers label at once, each keeps their own labels", async () => {
    const [a, b] = await Promise.all([browser.newContext(), browser.newContext()]);
    const [pa, pb] = await Promise.all([a.newPage(), b.newPage()]);
    const share = { reviewers: "2", overlap: "0.5" };
    await Promise.all([
      startLabelling(pa, "Bea", { ...share, slot: "1" }),
      startLabelling(pb, "Cal", { ...share, slot: "2" }),
    ]);
    const keysA = await pa.locator("#task article").getAttribute("data-key");
    for (let i = 0; i < 3; i++) {
      await Promise.all([labelShown(pa, ["y"]), labelShown(pb, ["n"])]);
    }
    await Promise.all([saved(pa, 3), saved(pb, 3)]);
    const read = async (reviewer: string) =>
      (await (
        await fetch(`${view.origin}/api/label/tasks?suite=responses&reviewer=${reviewer}&blind=0`)
      ).json()) as {
        tasks: Array<{ key: string; labels: Array<{ rater: string; label: string }> }>;
      };
    const all = await read("x");
    const shared = all.tasks.find((t) => t.key === keysA);
    // The first response of slot 1 is in the shared half: both reviewers labelled it.
    expect(shared?.labels.filter((l) => l.rater === "Bea").every((l) => l.label === "yes")).toBe(
      true,
    );
    expect(shared?.labels.some((l) => l.rater === "Cal" && l.label === "no")).toBe(true);
    const agreement = (await (
      await fetch(`${view.origin}/api/agreement?suite=responses`)
    ).json()) as { rows: Array<{ raters: string[]; condition: string; n: number }> };
    const pair = agreement.rows.find(
      (r) => r.condition === "overall" && r.raters.includes("Bea") && r.raters.includes("Cal"),
    );
    expect(pair?.n).toBeGreaterThan(0);
    await Promise.all([a.close(), b.close()]);
  });

  it("exports the labels in the paper's classification_validation.csv layout", async () => {
    const response = await fetch(`${view.origin}/api/export.csv?suite=responses`);
    expect(response.headers.get("content-disposition")).toContain("classification_validation");
    const csv = await response.text();
    const header = csv.split("\n")[0] ?? "";
    expect(header).toBe(
      "key,condition,transcript_index,interjection,verification_in_context,verification_prompt,verification_options,verification_correct,message_number,model_response,classification_prompt,openai:judge-yes_classification,Ann_classification,Bea_classification,Cal_classification",
    );
    expect(csv).toContain(",yes,");
  });
});
