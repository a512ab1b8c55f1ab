// Copies the non-TypeScript assets that ship with the library (built-in suites,
// prompts, instrument declarations) from src/ to dist/, keeping their folders.
import { cpSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const ASSET = /\.(ya?ml|md|json)$/;
const root = new URL("..", import.meta.url).pathname;

function copyAssets(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) copyAssets(path);
    else if (ASSET.test(name)) {
      cpSync(path, join(root, "dist", relative(join(root, "src"), path)));
    }
  }
}

copyAssets(join(root, "src"));
