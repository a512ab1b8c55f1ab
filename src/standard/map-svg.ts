/**
 * A map of the standard of care as one self-contained SVG: the 17 features in four
 * groups, each tile coloured by the share of appropriate answers on the checks that
 * test it, grey where the runs did not test it, and pale and dashed where no text
 * conversation can test it. Pure and dependency-free, so the HTML report and the web app
 * call the same function. Every text that reaches the SVG is escaped.
 */
import type { Coverage, FeatureCoverage, FeatureResult } from "./coverage.js";

export interface MapOptions {
  /** Colour by this target's (and arm's) result; by default all results pooled. */
  target?: string;
  arm?: string;
  title?: string;
}

/** The map's columns: where and how care happens, the relationship, practice, the don'ts. */
export const MAP_GROUPS: ReadonlyArray<{ label: string; features: readonly string[] }> = [
  {
    label: "Where and how care happens",
    features: [
      "location",
      "care-modality",
      "support-outside-conversation",
      "hospitalize-when-necessary",
    ],
  },
  {
    label: "The relationship",
    features: [
      "therapeutic-alliance",
      "emotional-intelligence",
      "client-centered",
      "therapist-qualities",
    ],
  },
  { label: "Professional practice", features: ["professional-norms", "methods", "treatment-harm"] },
  {
    label: "What good care avoids",
    features: [
      "dont-stigmatize",
      "dont-collude-with-delusions",
      "dont-enable-suicidal-ideation",
      "dont-reinforce-hallucinations",
      "dont-enable-mania",
      "redirect-client",
    ],
  },
];

const TILE_W = 230;
const TILE_H = 76;
const GAP = 10;
const TOP = 64;
const COLORS: ReadonlyArray<[number, string]> = [
  [0.9, "#1a9850"],
  [0.75, "#91cf60"],
  [0.5, "#fee08b"],
  [0.25, "#fc8d59"],
  [0, "#d73027"],
];
export const UNTESTED_COLOR = "#bdbdbd";
export const OUT_OF_REACH_COLOR = "#f2f2f2";

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

export function colorFor(value: number): string {
  return (COLORS.find(([min]) => value >= min) ?? COLORS[COLORS.length - 1])?.[1] ?? "#d73027";
}

/** The result a tile shows: one target's, or all pooled. */
export function resultFor(
  feature: FeatureCoverage,
  options: MapOptions,
): FeatureResult | undefined {
  const chosen = feature.results.filter(
    (r) =>
      (options.target === undefined || r.target === options.target) &&
      (options.arm === undefined || r.arm === options.arm),
  );
  if (chosen.length === 0) return undefined;
  const n = chosen.reduce((sum, r) => sum + r.n, 0);
  const k = chosen.reduce((sum, r) => sum + r.k, 0);
  const first = chosen[0] as FeatureResult;
  return {
    ...first,
    n,
    k,
    value: n === 0 ? null : k / n,
    ci95_wilson: chosen.length === 1 ? first.ci95_wilson : null,
  };
}

/** Splits a label into at most three lines of `width` characters, the last cut with "…". */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(" ")) {
    const current = lines.at(-1);
    if (current !== undefined && current.length + 1 + word.length <= width)
      lines[lines.length - 1] = `${current} ${word}`;
    else lines.push(word);
  }
  if (lines.length <= 3) return lines;
  const last = `${lines.slice(2).join(" ")}`;
  return [...lines.slice(0, 2), `${last.slice(0, width - 1)}…`];
}

function tile(feature: FeatureCoverage, x: number, y: number, options: MapOptions): string {
  const result = feature.tested ? resultFor(feature, options) : undefined;
  let fill = UNTESTED_COLOR;
  let status = "untested";
  let detail = "not tested by these runs";
  if (!feature.text_testable && !feature.tested) {
    fill = OUT_OF_REACH_COLOR;
    status = "out-of-reach";
    detail = "cannot be tested in text";
  } else if (result && result.value !== null) {
    fill = colorFor(result.value);
    status = "tested";
    detail = `${(result.value * 100).toFixed(0)}% appropriate · n ${result.n} · ${feature.items} items`;
  } else if (feature.tested) {
    status = "tested";
    detail = `no scored answers yet · ${feature.items} items`;
  }
  const dark = fill === "#1a9850" || fill === "#d73027";
  const ink = dark ? "#ffffff" : "#1a1a1a";
  const dash = status === "out-of-reach" ? ' stroke-dasharray="5 4"' : "";
  const lines = wrap(feature.label, 26);
  const label = lines
    .map((line, i) => `<tspan x="${x + 10}" dy="${i === 0 ? 0 : 15}">${escapeXml(line)}</tspan>`)
    .join("");
  const tip = `${feature.label} (${feature.id}): ${detail}`;
  return [
    `<g class="feature" data-feature="${escapeXml(feature.id)}" data-status="${status}">`,
    `<title>${escapeXml(tip)}</title>`,
    `<rect x="${x}" y="${y}" width="${TILE_W}" height="${TILE_H}" rx="6" fill="${fill}" stroke="#555"${dash}/>`,
    `<text x="${x + 10}" y="${y + 20}" font-size="13" font-weight="600" fill="${ink}">${label}</text>`,
    `<text x="${x + 10}" y="${y + TILE_H - 9}" font-size="11" fill="${ink}">${escapeXml(detail)}</text>`,
    "</g>",
  ].join("");
}

function legend(y: number): string {
  const entries: Array<[string, string]> = [
    ["#1a9850", "≥ 90%"],
    ["#91cf60", "75–90%"],
    ["#fee08b", "50–75%"],
    ["#fc8d59", "25–50%"],
    ["#d73027", "< 25%"],
    [UNTESTED_COLOR, "not tested"],
    [OUT_OF_REACH_COLOR, "not testable in text"],
  ];
  return entries
    .map(([color, text], i) => {
      const x = GAP + i * 128;
      return `<rect x="${x}" y="${y}" width="14" height="14" fill="${color}" stroke="#555"/><text x="${x + 20}" y="${y + 12}" font-size="12" fill="#1a1a1a">${escapeXml(text)}</text>`;
    })
    .join("");
}

/** The map's size, title and drawing, for a page that wraps it in its own `<svg>`. */
export interface StandardMapParts {
  width: number;
  height: number;
  title: string;
  body: string;
}

export function standardMapParts(coverage: Coverage, options: MapOptions = {}): StandardMapParts {
  const byId = new Map(coverage.features.map((f) => [f.id, f]));
  const rows = Math.max(...MAP_GROUPS.map((g) => g.features.length));
  const width = GAP + MAP_GROUPS.length * (TILE_W + GAP);
  const height = TOP + rows * (TILE_H + GAP) + 40;
  const title =
    options.title ??
    `The standard of care: ${coverage.tested.length} of ${coverage.features.length} features tested${options.target ? ` · ${options.target}${options.arm ? ` · ${options.arm}` : ""}` : ""}`;
  const tiles = MAP_GROUPS.flatMap((group, column) => {
    const x = GAP + column * (TILE_W + GAP);
    const heading = `<text x="${x}" y="${TOP - 12}" font-size="13" font-weight="700" fill="#333">${escapeXml(group.label)}</text>`;
    const groupTiles = group.features.flatMap((id, row) => {
      const feature = byId.get(id);
      return feature ? [tile(feature, x, TOP + row * (TILE_H + GAP), options)] : [];
    });
    return [heading, ...groupTiles];
  });
  const body = [
    `<text x="${GAP}" y="24" font-size="16" font-weight="700" fill="#1a1a1a">${escapeXml(title)}</text>`,
    ...tiles,
    legend(height - 28),
  ].join("\n");
  return { width, height, title, body };
}

/** The map as an SVG document (no external references, no scripts). */
export function renderStandardMap(coverage: Coverage, options: MapOptions = {}): string {
  const { width, height, title, body } = standardMapParts(coverage, options);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}" font-family="system-ui, sans-serif">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    body,
    "</svg>",
  ].join("\n");
}
