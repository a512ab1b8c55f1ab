/**
 * Files that ship beside the code: built-in suites, prompts, instrument declarations.
 * Resolved from the package's dist/ folder, so they are found both from the per-file
 * build (dist/assets.js) and from the bundled CLI (dist/careprobe.mjs), which sit in the
 * same folder.
 */
import { fileURLToPath } from "node:url";

const DIST = new URL("./", import.meta.url);

/** An absolute path for `relative`, e.g. `suites/builtin/stigma.yaml`. */
export function assetPath(relative: string): string {
  return fileURLToPath(new URL(relative, DIST));
}
