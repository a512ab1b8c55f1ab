// Fails when a function in src/ runs over 100 lines (parsers excepted: a function whose
// name starts with `parse`), and prints the median length of a source file, which the
// design keeps well under 150 lines. Part of `npm test`.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const LIMIT = 100;

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return files(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

function nameOf(node) {
  if (node.name && ts.isIdentifier(node.name)) return node.name.text;
  const parent = node.parent;
  if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent))) {
    return ts.isIdentifier(parent.name) ? parent.name.text : "(anonymous)";
  }
  return "(anonymous)";
}

const lengths = [];
const long = [];
for (const file of [...files(join(root, "src")), ...files(join(root, "web", "src"))]) {
  const text = readFileSync(file, "utf8");
  lengths.push(text.split("\n").length);
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const visit = (node) => {
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart()).line;
      const end = source.getLineAndCharacterOfPosition(node.end).line;
      const name = nameOf(node);
      if (end - start + 1 > LIMIT && !/^parse/.test(name)) {
        long.push(`${relative(root, file)}:${start + 1} ${name} (${end - start + 1} lines)`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}
lengths.sort((a, b) => a - b);
const median = lengths[Math.floor((lengths.length - 1) / 2)];
console.log(`size: ${lengths.length} source files, median ${median} lines`);
if (long.length > 0) {
  console.error(`size: ${long.length} function(s) over ${LIMIT} lines (split them):`);
  for (const line of long) console.error(`  ${line}`);
  process.exit(1);
}
