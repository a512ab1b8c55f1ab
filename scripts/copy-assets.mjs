// Copies the non-TypeScript assets that ship with the library (built-in suites,
// prompts, instrument declarations) from src/ to dist/, keeping their folders, and the
// web app's page and stylesheet from web/ to dist/web/.
import { cpSync, mkdirSync, readdirSync, statSync } from "node:fs";
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

// The web app's page and stylesheet (its script is bundled by bundle.mjs).
mkdirSync(join(root, "dist", "web"), { recursive: true });
for (const name of ["index.html", "app.css"]) {
  cpSync(join(root, "web", name), join(root, "dist", "web", name));
}
