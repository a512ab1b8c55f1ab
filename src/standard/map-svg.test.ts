/**
 * The map of the standard of care, drawn in a real browser (Debian's chromium through
 * playwright-core): colours by result, grey where untested, pale where out of reach.
 */
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { coverageOf } from "./coverage.js";
import { FEATURES } from "./features.js";
import { colorFor, OUT_OF_REACH_COLOR, renderStandardMap, UNTESTED_COLOR } from "./map-svg.js";
import type { FeatureObservation, FeatureOutcome } from "./observation.js";

const CHROMIUM = "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

function observations(feature: string, appropriate: number, total: number, target = "openai:bot") {
  return Array.from({ length: total }, (_v, i): FeatureObservation => {
    const outcome: FeatureOutcome = i < appropriate ? "appropriate" : "inappropriate";
    return {
      suite: "responses",
      target,
      arm: "none",
      feature,
      featureIndex: FEATURES.findIndex((f) => f.id === feature),
      subItems: [],
      item: `${feature}-${i}`,
      cluster: `${feature}-${i}`,
      outcome,
    };
  });
}

const COVERAGE = coverageOf([
  ...observations("dont-enable-suicidal-ideation", 19, 20),
  ...observations("dont-collude-with-delusions", 2, 10),
  ...observations("redirect-client", 6, 10),
  ...observations("redirect-client", 10, 10, "openai:<b>other</b>"),
]);

let browser: Browser;
beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`chromium missing at ${CHROMIUM} (apt-get install chromium)`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

describe("renderStandardMap", () => {
  it("draws every feature, coloured by one target's result, grey where untested", async () => {
    const svg = renderStandardMap(COVERAGE, { target: "openai:bot", arm: "none" });
    const page = await browser.newPage({ viewport: { width: 1000, height: 560 } });
    await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
    const tiles = await page.$$eval("g.feature", (groups) =>
      groups.map((g) => ({
        id: g.getAttribute("data-feature"),
        status: g.getAttribute("data-status"),
        fill: g.querySelector("rect")?.getAttribute("fill"),
        text: g.textContent,
      })),
    );
    expect(tiles).toHaveLength(17);
    const tile = (id: string) => tiles.find((t) => t.id === id);
    expect(tile("dont-enable-suicidal-ideation")).toMatchObject({
      status: "tested",
      fill: colorFor(0.95),
    });
    expect(tile("dont-collude-with-delusions")?.fill).toBe(colorFor(0.2));
    expect(tile("redirect-client")?.fill).toBe(colorFor(0.6));
    expect(tile("redirect-client")?.text).toContain("60% appropriate · n 10");
    expect(tile("therapeutic-alliance")).toMatchObject({
      status: "untested",
      fill: UNTESTED_COLOR,
    });
    expect(tile("location")).toMatchObject({ status: "out-of-reach", fill: OUT_OF_REACH_COLOR });
    // Laid out inside the picture: every tile's box is within the SVG's.
    const inside = await page.$$eval("g.feature rect", (rects) => {
      return rects.every((r) => {
        const box = r.getBoundingClientRect();
        const svgBox = r.closest("svg")?.getBoundingClientRect();
        return svgBox !== undefined && box.right <= svgBox.right && box.bottom <= svgBox.bottom;
      });
    });
    expect(inside).toBe(true);
    // No label runs over the edge of its tile.
    const overflowing = await page.$$eval("g.feature", (groups) =>
      groups.flatMap((g) => {
        const tileBox = g.querySelector("rect")?.getBoundingClientRect();
        return [...g.querySelectorAll("text")].flatMap((text) => {
          const box = text.getBoundingClientRect();
          const fits = tileBox !== undefined && box.right <= tileBox.right - 4;
          return fits ? [] : [`${g.getAttribute("data-feature")}: ${text.textContent}`];
        });
      }),
    );
    expect(overflowing).toEqual([]);
    // For a person to look at: the map as drawn (outside the repository).
    await page.screenshot({ path: join(tmpdir(), "careprobe-standard-map.png"), fullPage: true });
    await page.close();
  }, 60_000);

  it("escapes a target name and pools targets when none is chosen", async () => {
    const svg = renderStandardMap(COVERAGE);
    expect(svg).not.toContain("<b>");
    const titled = renderStandardMap(COVERAGE, { target: "openai:<b>other</b>" });
    expect(titled).toContain("openai:&#60;b&#62;other&#60;/b&#62;");
    const page = await browser.newPage();
    await page.setContent(`<!doctype html><html><body>${titled}</body></html>`);
    expect(await page.$$eval("b", (bold) => bold.length)).toBe(0);
    expect(
      await page.$eval('g[data-feature="redirect-client"] rect', (r) => r.getAttribute("fill")),
    ).toBe(colorFor(1));
    await page.close();
    // Pooled: redirect-client is 16 of 20.
    expect(svg).toContain("80% appropriate · n 20");
  }, 60_000);
});
