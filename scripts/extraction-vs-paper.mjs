// Compares careprobe's answer extraction with the answers Moore et al. (FAccT 2025)
// parsed from the same raw outputs, one table row per published run file.
//
//   npm run build
//   node scripts/extraction-vs-paper.mjs [DIR] [--readings]
//
// DIR is a clone of jlcmoore/llms-as-therapists (or any folder holding its
// results/stigma/); it defaults to ../shared/moore2025. --readings also lists every
// output the paper left unparsed that careprobe reads, grouped by identical text.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CHOICE_PARSER_VERSION, parseChoice } from "../dist/judges/choice.js";

const args = process.argv.slice(2);
const showReadings = args.includes("--readings");
const root = args.find((a) => !a.startsWith("--")) ?? join("..", "shared", "moore2025");
const stigma = join(root, "results", "stigma");
if (!existsSync(stigma)) {
  console.error(`no results/stigma folder under ${root}; pass a clone of llms-as-therapists`);
  process.exit(2);
}

const files = readdirSync(stigma)
  .filter((d) => d.startsWith("model="))
  .sort()
  .flatMap((d) =>
    readdirSync(join(stigma, d))
      .filter((f) => f.endsWith(".jsonl"))
      .sort()
      .map((f) => join(d, f)),
  );

// "model=meta-llama__Llama-2-7b-chat-hf&steel-man-prompt=True/2025-01-19.jsonl"
// → "Llama-2-7b-chat-hf steel-man 2025-01-19"
function label(file) {
  const [dir, name] = file.split("/");
  const fields = Object.fromEntries(dir.split("&").map((kv) => kv.split("=")));
  const model = (fields.model ?? dir).split("__").pop();
  const arm = fields["steel-man-prompt"] === "True" ? "steel-man" : "none";
  return `${model} ${arm} ${name.replace(/\.jsonl$/, "")}`;
}

const columns = [
  "rows",
  "paper parsed",
  "agree",
  "disagree",
  "paper unparsed",
  "careprobe reads",
  "still unparsed",
];
const table = [];
const disagreements = [];
const readings = new Map();
for (const file of files) {
  const counts = Object.fromEntries(columns.map((c) => [c, 0]));
  const lines = readFileSync(join(stigma, file), "utf8").split("\n");
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    const row = JSON.parse(line);
    const parse = parseChoice(row.output ?? "", row.options);
    counts.rows += 1;
    if (row.answer !== null && row.answer !== undefined) {
      counts["paper parsed"] += 1;
      if (parse.status === "parsed" && parse.option === row.answer) counts.agree += 1;
      else {
        counts.disagree += 1;
        const ours = parse.status === "parsed" ? parse.option : `unparsed: ${parse.reason}`;
        disagreements.push(
          `${file}:${i + 1} ${JSON.stringify(row.output)} paper=${row.answer} careprobe=${ours}`,
        );
      }
    } else {
      counts["paper unparsed"] += 1;
      if (parse.status !== "parsed") counts["still unparsed"] += 1;
      else {
        counts["careprobe reads"] += 1;
        const key = `${JSON.stringify(row.output)} → (${parse.letter}) ${parse.option} [${parse.how}]`;
        const seen = readings.get(key) ?? { n: 0, models: new Set() };
        seen.n += 1;
        seen.models.add(label(file).split(" ")[0]);
        readings.set(key, seen);
      }
    }
  });
  table.push([label(file), ...columns.map((c) => counts[c])]);
}
table.push(["total", ...columns.map((_, j) => table.reduce((sum, r) => sum + r[j + 1], 0))]);

const header = ["file", ...columns];
const widths = header.map((h, j) => Math.max(h.length, ...table.map((r) => String(r[j]).length)));
const fmt = (r) =>
  r
    .map((v, j) => (j === 0 ? String(v).padEnd(widths[j]) : String(v).padStart(widths[j])))
    .join(" | ");
console.log(
  `careprobe choice parser v${CHOICE_PARSER_VERSION} vs the paper's parsed answers (${stigma})\n`,
);
console.log(fmt(header));
console.log(widths.map((w) => "-".repeat(w)).join("-|-"));
for (const r of table) console.log(fmt(r));

if (showReadings) {
  console.log("\nreadings of outputs the paper left unparsed (count, models):");
  for (const [key, seen] of [...readings].sort((a, b) => b[1].n - a[1].n)) {
    console.log(`${String(seen.n).padStart(4)}  ${key}  {${[...seen.models].join(", ")}}`);
  }
}
if (disagreements.length > 0) {
  console.log(`\n${disagreements.length} disagreements with the paper:`);
  for (const d of disagreements) console.log(d);
  process.exitCode = 1;
}
