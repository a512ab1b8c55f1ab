// Fails when folders of src/ import each other in a loop (part of `npm test`).
// A folder is src/<name>/ (src/experiments/<kind>/ and src/datasets/<name>/ count as
// folders of their own); files directly in src/ are the package's entry points and may
// import anything. Type-only imports count too: a loop of types is still a loop of
// knowledge. Prints each loop with one import that closes it, so it can be cut.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const src = join(root, "src");
const NESTED = new Set(["experiments", "datasets"]);

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return files(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** The folder a file belongs to, or null for the entry points directly in src/. */
function folderOf(file) {
  const parts = relative(src, file).split(sep);
  if (parts.length === 1) return null;
  if (NESTED.has(parts[0]) && parts.length > 2) return `${parts[0]}/${parts[1]}`;
  return parts[0];
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["'](\.[^"']+)["']/g;
const edges = new Map(); // folder -> Map(folder -> example "file -> spec")
for (const file of files(src)) {
  const from = folderOf(file);
  if (from === null) continue;
  const text = readFileSync(file, "utf8");
  for (const match of text.matchAll(IMPORT)) {
    const target = resolve(dirname(file), match[1].replace(/\.js$/, ".ts"));
    const to = folderOf(target);
    if (to === null || to === from) continue;
    if (!edges.has(from)) edges.set(from, new Map());
    const out = edges.get(from);
    if (!out.has(to)) out.set(to, `${relative(root, file)} imports ${match[1]}`);
  }
}

// Tarjan's strongly connected components: each component of more than one folder is a loop.
let index = 0;
const stack = [];
const state = new Map();
const loops = [];
function visit(node) {
  state.set(node, { index, low: index, onStack: true });
  index++;
  stack.push(node);
  for (const next of edges.get(node)?.keys() ?? []) {
    if (!state.has(next)) {
      visit(next);
      state.get(node).low = Math.min(state.get(node).low, state.get(next).low);
    } else if (state.get(next).onStack) {
      state.get(node).low = Math.min(state.get(node).low, state.get(next).index);
    }
  }
  if (state.get(node).low === state.get(node).index) {
    const component = [];
    let member;
    do {
      member = stack.pop();
      state.get(member).onStack = false;
      component.push(member);
    } while (member !== node);
    if (component.length > 1) loops.push(component.sort());
  }
}
for (const node of [...edges.keys()].sort()) if (!state.has(node)) visit(node);

if (loops.length === 0) {
  console.log(`layers: ${edges.size} folders of src/, no import loops`);
} else {
  console.error(`layers: ${loops.length} import loop(s) between folders of src/:`);
  for (const loop of loops) {
    const members = new Set(loop);
    console.error(`  ${loop.join(" <-> ")}`);
    for (const from of loop) {
      for (const [to, example] of edges.get(from) ?? []) {
        if (members.has(to)) console.error(`    ${from} -> ${to}: ${example}`);
      }
    }
  }
  console.error("Move the shared piece down a layer, or pass it in, so each loop is cut.");
  process.exit(1);
}
