/**
 * A figure of the overall rates with their intervals, drawn as SVG from the metric rows
 * (the report's figures replace it once they are shared). Text goes in as text nodes.
 */
const SVG = "http://www.w3.org/2000/svg";

interface Row {
  suite: string;
  target: string;
  arm: string;
  metric: string;
  condition: string;
  n: number;
  value: number | null;
  ci95: [number, number] | null;
}

function el(tag: string, attributes: Record<string, string | number>, text?: string): SVGElement {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

const RATES = new Set(["stigma", "appropriate"]);

export function metricsFigure(metrics: Row[]): Element {
  const rows = metrics.filter(
    (m) => m.condition === "overall" && RATES.has(m.metric) && m.value !== null,
  );
  const figure = document.createElement("figure");
  if (rows.length === 0) return figure;
  const width = 720;
  const left = 300;
  const bar = 18;
  const height = rows.length * (bar + 8) + 30;
  const svg = el("svg", {
    viewBox: `0 0 ${width} ${height}`,
    role: "img",
    class: "figure",
    "aria-label": "Overall rates with 95% intervals",
  });
  const scale = (v: number) => left + v * (width - left - 20);
  rows.forEach((row, i) => {
    const y = 10 + i * (bar + 8);
    svg.appendChild(
      el(
        "text",
        { x: left - 8, y: y + bar - 5, "text-anchor": "end", class: "label" },
        `${row.metric} · ${row.target} · ${row.arm}`,
      ),
    );
    svg.appendChild(
      el("rect", {
        x: left,
        y,
        width: Math.max(1, scale(row.value ?? 0) - left),
        height: bar,
        class: `bar ${row.metric}`,
      }),
    );
    if (row.ci95) {
      svg.appendChild(
        el("line", {
          x1: scale(row.ci95[0]),
          x2: scale(row.ci95[1]),
          y1: y + bar / 2,
          y2: y + bar / 2,
          class: "whisker",
        }),
      );
    }
    svg.appendChild(
      el(
        "title",
        {},
        `${row.metric} ${row.target} ${row.arm}: ${(row.value ?? 0).toFixed(3)} (n = ${row.n})`,
      ),
    );
  });
  for (const tick of [0, 0.5, 1]) {
    svg.appendChild(
      el(
        "text",
        { x: scale(tick), y: height - 4, "text-anchor": "middle", class: "tick" },
        String(tick),
      ),
    );
  }
  figure.appendChild(svg);
  const caption = document.createElement("figcaption");
  caption.textContent = "Overall rate per target and arm; lines are 95% bootstrap intervals.";
  figure.appendChild(caption);
  return figure;
}
