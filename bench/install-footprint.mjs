// Prints the install's footprint: node_modules in total, its largest packages, and which
// of node-llama-cpp's prebuilt builds are present. Run after `npm ci` (no build needed):
//   node bench/install-footprint.mjs [--top N] [--dir path/to/node_modules]
// It prints numbers and never fails on a size; it exits 1 only when there is nothing to measure.
import { existsSync, lstatSync, readdirSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { top: { type: "string" }, dir: { type: "string" } } });
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const given = values.dir ?? join(root, "node_modules");
if (!existsSync(given)) {
  console.error(`No node_modules at ${given}: run \`npm ci\` first.`);
  process.exit(1);
}
const modules = realpathSync(given);

/** Bytes on disk under a path (allocated blocks, like du), without following links. */
function diskBytes(path) {
  const info = lstatSync(path);
  if (info.isSymbolicLink()) return 0;
  if (!info.isDirectory()) return info.blocks * 512;
  let total = info.blocks * 512;
  for (const entry of readdirSync(path)) total += diskBytes(join(path, entry));
  return total;
}

function packages(dir) {
  const list = [];
  for (const entry of readdirSync(dir)) {
    if (entry.startsWith(".")) continue;
    const path = join(dir, entry);
    if (entry.startsWith("@")) {
      for (const inner of readdirSync(path)) list.push([`${entry}/${inner}`, join(path, inner)]);
    } else list.push([entry, path]);
  }
  return list;
}

const mb = (bytes) => `${(bytes / 1048576).toFixed(1)} MB`;
const sized = packages(modules)
  .map(([name, path]) => [name, diskBytes(path)])
  .sort((a, b) => b[1] - a[1]);
const total = diskBytes(modules);
const top = Number(values.top ?? 12);
console.log(`node_modules: ${mb(total)} in ${sized.length} packages (${modules})`);
for (const [name, bytes] of sized.slice(0, top)) console.log(`  ${mb(bytes).padStart(9)}  ${name}`);
const llama = sized.filter(([name]) => name.startsWith("@node-llama-cpp/")).map(([name]) => name);
console.log(`node-llama-cpp builds present: ${llama.length > 0 ? llama.join(", ") : "none"}`);
