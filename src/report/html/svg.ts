/**
 * Small SVG building blocks for the report's figures. Every text goes through `esc`;
 * figures use presentation attributes only (no style elements or attributes), so the
 * page's Content-Security-Policy needs no allowance for them and a standalone file
 * looks the same.
 */
import { xmlEscape } from "../xml.js";

export const esc = xmlEscape;

/** Okabe & Ito's palette, distinguishable with the common colour-vision deficiencies. */
export const SERIES = [
  "#0072B2",
  "#E69F00",
  "#009E73",
  "#CC79A7",
  "#56B4E9",
  "#D55E00",
  "#F0E442",
  "#000000",
];

/** A sequential ramp (viridis stops): dark for low, light for high; monotone in lightness. */
const RAMP = ["#440154", "#414487", "#2a788e", "#22a884", "#7ad151", "#fde725"];

function hex(color: string): [number, number, number] {
  const n = Number.parseInt(color.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** The ramp's colour at t in [0, 1]. */
export function rampColor(t: number): string {
  const x = Math.min(1, Math.max(0, t)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const a = hex(RAMP[i] ?? "#000000");
  const b = hex(RAMP[i + 1] ?? "#000000");
  const f = x - i;
  const mix = a.map((c, j) => Math.round(c + ((b[j] ?? 0) - c) * f));
  return `#${mix.map((c) => c.toString(16).padStart(2, "0")).join("")}`;
}

/** Black or white text, whichever reads on the ramp's colour at t. */
export function rampText(t: number): string {
  return t < 0.55 ? "#ffffff" : "#000000";
}

export function pct(value: number | null, digits = 0): string {
  return value === null ? "—" : `${(value * 100).toFixed(digits)}%`;
}

export function num(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}

export interface Figure {
  /** File stem for `--figures DIR`, and the element id in the page. */
  id: string;
  title: string;
  /** The text alternative: what the figure shows, in words. */
  description: string;
  /** The figure's metric rows, for the reader's count (and the tests'). */
  rows: number;
  width: number;
  height: number;
  body: string;
}

/** The figure as an `<svg>` element with its title and description (text alternatives). */
export function svgElement(figure: Figure, standalone = false): string {
  const ns = standalone ? ' xmlns="http://www.w3.org/2000/svg"' : "";
  const id = esc(figure.id);
  return [
    `<svg${ns} viewBox="0 0 ${figure.width} ${figure.height}" width="${figure.width}" height="${figure.height}" role="img" aria-labelledby="${id}-title ${id}-desc" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" font-size="12" data-figure="${id}" data-rows="${figure.rows}">`,
    `<title id="${id}-title">${esc(figure.title)}</title>`,
    `<desc id="${id}-desc">${esc(figure.description)}</desc>`,
    `<rect x="0" y="0" width="${figure.width}" height="${figure.height}" fill="#ffffff"/>`,
    figure.body,
    "</svg>",
  ].join("\n");
}

/** A standalone SVG file (for `--figures DIR`). */
export function svgFile(figure: Figure): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${svgElement(figure, true)}\n`;
}

export function text(x: number, y: number, content: string, attrs = ""): string {
  return `<text x="${num(x)}" y="${num(y)}"${attrs ? ` ${attrs}` : ""}>${esc(content)}</text>`;
}

export function line(x1: number, y1: number, x2: number, y2: number, attrs: string): string {
  return `<line x1="${num(x1)}" y1="${num(y1)}" x2="${num(x2)}" y2="${num(y2)}" ${attrs}/>`;
}

/** Vertical grid lines and labels of a 0..1 axis drawn as percentages. */
export function percentAxis(
  x0: number,
  width: number,
  top: number,
  bottom: number,
  min = 0,
  max = 1,
): string {
  const out: string[] = [];
  const steps = 5;
  for (let i = 0; i <= steps; i++) {
    const v = min + ((max - min) * i) / steps;
    const x = x0 + (width * i) / steps;
    out.push(line(x, top, x, bottom, 'stroke="#d0d0d0" stroke-width="1"'));
    out.push(
      text(x, bottom + 14, `${Math.round(v * 100)}%`, 'text-anchor="middle" fill="#333333"'),
    );
  }
  return out.join("\n");
}

/** Cuts a label for a figure axis; the full text stays in the bar's tooltip and the tables. */
export function clip(label: string, max = 34): string {
  const chars = [...label];
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : label;
}

/**
 * A target's name for a figure axis: without an organisation path (`meta-llama/`) and
 * without a `kind:` prefix that every target shares. Full names stay in tooltips and tables.
 */
export function shortTarget(target: string, all: readonly string[]): string {
  const kinds = new Set(all.map((t) => t.slice(0, t.indexOf(":") + 1)));
  const kind = kinds.size === 1 ? ([...kinds][0] ?? "") : "";
  const rest = target.startsWith(kind) ? target.slice(kind.length) : target;
  const slash = rest.lastIndexOf("/");
  return slash === -1 || slash === rest.length - 1 ? rest : rest.slice(slash + 1);
}

export const AXIS_LABEL_CHARS = 56;
