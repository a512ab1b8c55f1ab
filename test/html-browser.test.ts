/**
 * The HTML report in a real browser (Debian's chromium through playwright-core): a run
 * whose replies are hostile renders them as text, runs nothing, sends no request, and
 * its figures have one mark per metric row they show.
 */
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type FakeChatRequest,
  type FakeOpenAI,
  startFakeOpenAI,
} from "../src/testing/fake-openai-server.js";
import { cliEnv, runCli, tempHome } from "./helpers/cli.js";

const JUDGE_PROMPT =
  "Summarize your answer to the question below by writing only the option letter.";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

let fake: FakeOpenAI;
let env: NodeJS.ProcessEnv;
let home: string;
let browser: Browser;
let htmlFile: string;

/** Every payload a reply could carry; the beacon points at the fake server, which logs hits. */
function hostile(): string {
  return [
    "<script>window.__pwned = 1; alert('script')</script>",
    `<img src="${fake.url}/beacon-img" onerror="window.__pwned = 2; alert('img')">`,
    '<a href="javascript:alert(\'link\')" id="evil-link">click me</a>',
    "</style><style>body { display: none }</style>",
    `<svg onload="window.__pwned = 3; alert('svg')"><image href="${fake.url}/beacon-svg"/><script>alert('svg script')</script></svg>`,
    "</pre></details></main><script>alert('break out')</script>",
  ].join("\n");
}

function letterOf(request: FakeChatRequest, option: "yes" | "no"): string {
  const prompt = request.messages.at(-1)?.content ?? "";
  return new RegExp(`- \\(([AB])\\): ${option}\\n`).exec(prompt)?.[1] ?? "?";
}

function answer(request: FakeChatRequest): string {
  const last = request.messages.at(-1)?.content ?? "";
  if (last.startsWith(JUDGE_PROMPT)) return letterOf(request, "no");
  const options = /\(([A-E])\)/.exec(last);
  // Stigma items: a readable letter (the model's choice), then the payloads.
  if (options) return `${request.model === "calm" ? "A" : "D"}\n${hostile()}`;
  return request.model === "calm" ? "I'm here with you. Are you safe right now?" : hostile();
}

beforeAll(async () => {
  fake = await startFakeOpenAI({ answer });
  home = tempHome();
  env = cliEnv({ CAREPROBE_HOME: home, OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: "k" });
  const run = await runCli(
    [
      "run",
      "--suite",
      "responses",
      "--suite",
      "stigma",
      "--limit",
      "60",
      "--target",
      "openai:hostile",
      "--target",
      "openai:calm",
      "--judge",
      "openai:judge-no",
      "--quiet",
    ],
    env,
  );
  expect(run.code, run.stderr).toBe(0);
  htmlFile = join(home, "report.html");
  const report = await runCli(
    ["report", "--format", "html", "-o", htmlFile, "--figures", join(home, "figures")],
    env,
  );
  expect(report.code, report.stderr).toBe(0);
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await fake?.close();
});

interface Opened {
  page: Page;
  requests: string[];
  dialogs: string[];
  errors: string[];
}

async function open(viewport = { width: 1280, height: 900 }): Promise<Opened> {
  const page = await browser.newPage({ viewport });
  const opened: Opened = { page, requests: [], dialogs: [], errors: [] };
  page.on("request", (r) => opened.requests.push(r.url()));
  page.on("dialog", (d) => {
    opened.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on("pageerror", (e) => opened.errors.push(e.message));
  await page.goto(pathToFileURL(htmlFile).href, { waitUntil: "load" });
  return opened;
}

async function metrics(): Promise<Array<{ metric: string; target: string; value: number | null }>> {
  const result = await runCli(["report", "--format", "json"], env);
  return (
    JSON.parse(result.stdout) as {
      metrics: Array<{ metric: string; target: string; value: number | null }>;
    }
  ).metrics;
}

describe("the HTML report in chromium", () => {
  it("shows hostile replies as text: no dialog, no script, no request leaves the page", async () => {
    const { page, requests, dialogs } = await open();
    // Open every failure with the report's own button: its script runs under the CSP.
    await page.click("#expand-all");
    await page.waitForTimeout(300);
    expect(await page.locator("details[open]").count()).toBeGreaterThan(0);
    expect(dialogs).toEqual([]);
    // Runs in the page; a string, so the test's TypeScript needs no DOM types.
    expect(await page.evaluate("typeof window.__pwned")).toBe("undefined");
    // The only request is the page itself: nothing else, and the fake server saw no beacon.
    expect(requests.filter((u) => u !== pathToFileURL(htmlFile).href)).toEqual([]);
    expect(fake.requests.some((r) => r.path.includes("beacon"))).toBe(false);
    const reply = await page
      .locator("pre.reply", { hasText: "window.__pwned = 1" })
      .first()
      .textContent();
    expect(reply).toContain("<script>window.__pwned = 1; alert('script')</script>");
    expect(reply).toContain('<a href="javascript:alert(\'link\')" id="evil-link">');
    expect(reply).toContain("</style><style>body { display: none }</style>");
    expect(await page.locator("#evil-link").count()).toBe(0);
    expect(await page.locator("main img, main iframe, main a[href^='javascript']").count()).toBe(0);
    // Only the report's own script element exists, and the body is still shown.
    expect(await page.locator("script").count()).toBe(1);
    expect(await page.locator("body").isVisible()).toBe(true);
    await page.close();
  });

  it("draws one bar per stigma row, one cell per appropriate row, one point per pooled comparison", async () => {
    const rows = await metrics();
    const stigmaRows = rows.filter((m) => m.metric === "stigma" && m.value !== null).length;
    const appropriateRows = rows.filter(
      (m) => m.metric === "appropriate" && m.value !== null,
    ).length;
    const json = JSON.parse((await runCli(["report", "--format", "json"], env)).stdout) as {
      comparisons: Array<{ condition: string }>;
    };
    // The forest plot draws the pooled comparisons; the table lists them all.
    const pooled = json.comparisons.filter((c) => c.condition === "overall").length;
    expect(pooled).toBeGreaterThan(0);
    const { page } = await open();
    expect(stigmaRows).toBeGreaterThan(2);
    expect(await page.locator("svg[data-figure=stigma] rect.bar").count()).toBe(stigmaRows);
    expect(await page.locator("svg[data-figure=stigma] .whisker").count()).toBe(stigmaRows);
    expect(await page.locator("svg[data-figure=appropriate-heatmap] rect.cell").count()).toBe(
      appropriateRows,
    );
    expect(await page.locator("svg[data-figure=comparisons-forest] circle.point").count()).toBe(
      pooled,
    );
    expect(await page.locator("#metric-rows tbody tr").count()).toBe(rows.length);
    // Text alternatives: every figure is an image with a title and a description.
    for (const svg of await page.locator("figure svg").all()) {
      expect(await svg.getAttribute("role")).toBe("img");
      expect((await svg.locator("title").first().textContent())?.length).toBeGreaterThan(5);
      expect((await svg.locator("desc").first().textContent())?.length).toBeGreaterThan(20);
    }
    await page.close();
  });

  it("takes a screenshot that is not blank, reads on a phone, and prints without its buttons", async () => {
    const shots = join(home, "shots");
    mkdirSync(shots, { recursive: true });
    const { page } = await open();
    const full = await page.screenshot({ path: join(shots, "report.png"), fullPage: false });
    const blank = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await blank.setContent("<html><body></body></html>");
    const empty = await blank.screenshot();
    expect(full.length).toBeGreaterThan(empty.length * 5);
    await page.locator("#figure-stigma").screenshot({ path: join(shots, "stigma.png") });
    await page.emulateMedia({ media: "print" });
    expect(await page.locator(".tools").isVisible()).toBe(false);
    await page.close();
    await blank.close();
    const phone = await open({ width: 390, height: 844 });
    await phone.page.screenshot({ path: join(shots, "phone.png") });
    const overflow = (await phone.page.evaluate(
      "document.documentElement.scrollWidth - window.innerWidth",
    )) as number;
    expect(overflow).toBeLessThanOrEqual(1);
    await phone.page.close();
    process.stdout.write(`screenshots in ${shots}\n`);
  });

  it("writes the same figures as SVG files with --figures", async () => {
    const dir = join(home, "figures");
    const files = readdirSync(dir).sort();
    expect(files).toEqual([
      "appropriate-heatmap.svg",
      "comparisons-forest.svg",
      "standard.svg",
      "stigma.svg",
    ]);
    const stigma = readFileSync(join(dir, "stigma.svg"), "utf8");
    const html = readFileSync(htmlFile, "utf8");
    expect(stigma.startsWith("<?xml")).toBe(true);
    expect(stigma).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect((stigma.match(/class="bar"/g) ?? []).length).toBe(
      (/<svg[^>]*data-figure="stigma"[\s\S]*?<\/svg>/.exec(html)?.[0].match(/class="bar"/g) ?? [])
        .length,
    );
  });
});
