// Bundles the CLI into one file (and, at the end, the web app's script), dist/careprobe.mjs: Node 20 has no compile cache for
// ES modules, and loading ~300 small files (zod, openai, yaml) cost more start-up time
// than the work of a cached run. Native packages, and heavy ones loaded only on demand
// (node-llama-cpp, the Anthropic client), stay external.
import { build } from "esbuild";

await build({
  entryPoints: [new URL("../dist/cli/bin.js", import.meta.url).pathname],
  outfile: new URL("../dist/careprobe.mjs", import.meta.url).pathname,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: ["better-sqlite3", "node-llama-cpp", "@anthropic-ai/sdk"],
  // Bundled CommonJS packages call require(); give them one.
  banner: {
    js: 'import { createRequire as __careprobeRequire } from "node:module";\nconst require = __careprobeRequire(import.meta.url);',
  },
  // Smaller source parses faster at every start; names stay for readable errors.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: "warning",
});

// The web app's front end (careprobe view): plain TypeScript bundled into one script,
// served by the server from dist/web. No CDN: it works offline.
await build({
  entryPoints: [new URL("../web/src/main.ts", import.meta.url).pathname],
  outfile: new URL("../dist/web/app.js", import.meta.url).pathname,
  bundle: true,
  platform: "browser",
  format: "esm",
  target: "es2022",
  minify: true,
  legalComments: "none",
  logLevel: "warning",
});
