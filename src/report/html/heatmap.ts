/** Appropriate-response rate per condition (columns) per target × arm (rows), with n. */
import type { MetricRow } from "../../core/types.js";
import {
  AXIS_LABEL_CHARS,
  clip,
  esc,
  type Figure,
  num,
  pct,
  rampColor,
  rampText,
  shortTarget,
  text,
} from "./svg.js";

const LABEL = 370;
const CELL_W = 92;
const CELL_H = 34;

export function heatmapFigure(metrics: readonly MetricRow[]): Figure | undefined {
  const rows = metrics.filter((m) => m.metric === "appropriate" && m.value !== null);
  if (rows.length === 0) return undefined;
  const seen = [...new Set(rows.map((r) => r.condition))];
  const columns = [...seen.filter((c) => c !== "overall"), ...seen.filter((c) => c === "overall")];
  const series = [...new Set(rows.map((r) => JSON.stringify([r.suite, r.target, r.arm])))];
  const targets = [...new Set(rows.map((r) => r.target))];
  const top = 70;
  const body: string[] = [
    text(
      8,
      16,
      "Appropriate responses per condition (share, n)",
      'font-weight="600" fill="#111111"',
    ),
    text(8, 32, "Darker: fewer appropriate responses. Empty: not measured.", 'fill="#333333"'),
  ];
  columns.forEach((c, i) => {
    const x = LABEL + i * CELL_W + CELL_W / 2;
    body.push(
      `<text x="${num(x)}" y="${top - 8}" text-anchor="middle" fill="#111111"><title>${esc(c)}</title>${esc(clip(c, 14))}</text>`,
    );
  });
  series.forEach((key, j) => {
    const [suite, target, arm] = JSON.parse(key) as [string, string, string];
    const y = top + j * CELL_H;
    body.push(
      text(
        LABEL - 6,
        y + CELL_H / 2 + 4,
        clip(`${shortTarget(target, targets)} · ${arm}`, AXIS_LABEL_CHARS),
        'text-anchor="end" fill="#222222"',
      ),
    );
    columns.forEach((c, i) => {
      const row = rows.find(
        (r) => r.suite === suite && r.target === target && r.arm === arm && r.condition === c,
      );
      const x = LABEL + i * CELL_W;
      if (!row || row.value === null) {
        body.push(
          `<rect x="${x + 1}" y="${y + 1}" width="${CELL_W - 2}" height="${CELL_H - 2}" fill="#f3f3f3" stroke="#dddddd"/>`,
        );
        return;
      }
      const tip = `${suite} · ${target} · ${arm} · ${c}: ${pct(row.value, 1)}${row.ci95 ? ` [${pct(row.ci95[0], 1)}, ${pct(row.ci95[1], 1)}]` : ""}, n = ${row.n}`;
      body.push(
        `<rect class="cell" x="${x + 1}" y="${y + 1}" width="${CELL_W - 2}" height="${CELL_H - 2}" fill="${rampColor(row.value)}"><title>${esc(tip)}</title></rect>`,
        text(
          x + CELL_W / 2,
          y + 15,
          pct(row.value),
          `text-anchor="middle" font-weight="600" fill="${rampText(row.value)}"`,
        ),
        text(
          x + CELL_W / 2,
          y + 28,
          `n=${row.n}`,
          `text-anchor="middle" font-size="10" fill="${rampText(row.value)}"`,
        ),
      );
    });
  });
  const width = LABEL + columns.length * CELL_W + 16;
  return {
    id: "appropriate-heatmap",
    title: "Appropriate-response rate per condition and target",
    description: `A grid of ${rows.length} cells: for each target × arm (rows) and condition (columns), the share of responses judged appropriate and the number of judged responses n. Darker cells are lower rates. The same numbers are in the table of metric rows.`,
    rows: rows.length,
    width: Math.max(width, 480),
    height: top + series.length * CELL_H + 16,
    body: body.join("\n"),
  };
}
