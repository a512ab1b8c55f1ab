/**
 * careprobe as a library, as a user gets it: `npm pack`, installed into a temporary
 * project (offline), imported by its name, running the README's example against the fake
 * OpenAI-compatible server; its runs and metrics match the installed CLI's.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { homedir, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeOpenAI, startFakeOpenAI } from "../src/testing/fake-openai-server.js";
import { cliEnv, ROOT } from "./helpers/cli.js";
import {
  type Packed,
  packAndInstall,
  readmeExample,
  removeInstall,
  runNode,
} from "./helpers/pack.js";

/** Prints what the library reads back from a database: the runs and their metric rows. */
const REPORT_SCRIPT = `import { buildReport, openStore, version } from "careprobe";
const store = openStore(process.argv[2], { readOnly: true });
const report = buildReport(store);
store.close();
console.log(JSON.stringify({ version, runs: report.runs, metrics: report.metrics }));
`;

let packed: Packed;
let fake: FakeOpenAI;
let env: NodeJS.ProcessEnv;

const chats = () => fake.requests.filter((r) => r.path.endsWith("/chat/completions")).length;

beforeAll(async () => {
  packed = packAndInstall(mkdtempSync(join(tmpdir(), "careprobe-pack-")));
  fake = await startFakeOpenAI();
  env = cliEnv({
    CAREPROBE_HOME: join(packed.app, ".careprobe"),
    OPENAI_BASE_URL: fake.url,
    OPENAI_API_KEY: "sk-test-library",
  });
}, 120_000);
afterAll(async () => {
  await fake?.close();
  if (packed) removeInstall(packed);
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe("the packed package", () => {
  it("holds the build, its assets and the postinstall script, and no tests or source", () => {
    process.stderr.write(
      `careprobe tarball: ${(packed.size / 1024).toFixed(0)} KiB packed, ${(packed.unpackedSize / 1024).toFixed(0)} KiB unpacked, ${packed.files.length} files\n`,
    );
    expect(packed.files).toContain("dist/index.js");
    expect(packed.files).toContain("dist/index.d.ts");
    expect(packed.files).toContain("dist/careprobe.mjs");
    expect(packed.files).toContain("dist/suites/builtin/stigma.yaml");
    expect(packed.files).toContain("scripts/trim-install.mjs");
    const stray = packed.files.filter(
      (f) =>
        /\.test\.|\.map$|^src\/|^test\/|^dist\/testing\//.test(f) ||
        !/^(dist\/|schema\/|scripts\/trim-install\.mjs$|README\.md$|package\.json$)/.test(f),
    );
    expect(stray).toEqual([]);
    expect(packed.size).toBeLessThan(2 * 1024 * 1024);
    expect(packed.unpackedSize).toBeLessThan(8 * 1024 * 1024);
  });

  it("names no path of the machine it was built on", () => {
    const local = [ROOT, resolve(ROOT, "../shared"), homedir()].filter((p) => p.length > 1);
    const leaks = filesUnder(packed.installed).filter((file) => {
      const text = readFileSync(file, "utf8");
      return local.some((path) => text.includes(path));
    });
    expect(leaks).toEqual([]);
  });

  it("imports only Node's modules and its own dependencies", () => {
    const manifest = JSON.parse(readFileSync(join(packed.installed, "package.json"), "utf8"));
    const allowed = new Set([...Object.keys(manifest.dependencies), ...builtinModules]);
    const used = new Set<string>();
    // Statements (`import ... from "x"`, `export ... from "x"`) and calls (`import("x")`,
    // `require("x")`), not the same words inside messages.
    const bare = [
      /(?:^|[;\n}])\s*(?:import|export)\s*(?:[\w$*{}\s,]*?from\s*)?["']([^"'./][^"']*)["']/g,
      /\b(?:import|require)\(\s*["']([^"'./][^"']*)["']\s*\)/g,
    ];
    for (const file of filesUnder(join(packed.installed, "dist"))) {
      if (!/\.m?js$/.test(file)) continue;
      const text = readFileSync(file, "utf8");
      for (const match of bare.flatMap((pattern) => [...text.matchAll(pattern)])) {
        const spec = (match[1] ?? "").replace(/^node:/, "");
        const parts = spec.split("/");
        used.add(spec.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? spec));
      }
    }
    expect([...used].filter((name) => !allowed.has(name))).toEqual([]);
    expect(used).toContain("better-sqlite3");
  });
});

describe("careprobe, installed from the tarball and imported by name", () => {
  it("runs the README's example, and the installed CLI finds the same runs and numbers", async () => {
    writeFileSync(join(packed.app, "example.mjs"), readmeExample("Use as a library"));
    writeFileSync(join(packed.app, "report.mjs"), REPORT_SCRIPT);
    const example = await runNode(["example.mjs"], packed.app, env);
    expect(example.code, example.stderr).toBe(0);
    expect(example.stderr).toContain("56 request(s) to send");
    expect(example.stdout).toContain("stigma");
    expect(chats()).toBe(56);

    // The library reads its own database back; the installed CLI reports the same rows.
    const library = await runNode(["report.mjs", "audit.db"], packed.app, env);
    expect(library.code, library.stderr).toBe(0);
    const fromLibrary = JSON.parse(library.stdout);
    expect(fromLibrary.version).toBe(
      JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version,
    );
    expect(fromLibrary.runs).toHaveLength(1);
    expect(fromLibrary.runs[0]).toMatchObject({ suite: "stigma", planned: 56, answered: 56 });
    const bin = join(packed.installed, "dist/careprobe.mjs");
    const report = await runNode(
      [bin, "report", "--db", "audit.db", "--format", "json"],
      packed.app,
      env,
    );
    expect(report.code, report.stderr).toBe(0);
    expect(JSON.parse(report.stdout).metrics).toEqual(fromLibrary.metrics);

    // The same run from the installed CLI, into a database of its own: the same id, the same numbers.
    const args = ["run", "--suite", "stigma", "--target", "openai:gpt-4o-mini", "--limit", "56"];
    const cli = await runNode([bin, ...args, "--db", "cli.db", "--quiet"], packed.app, env);
    expect(cli.code, cli.stderr).toBe(0);
    expect(chats()).toBe(112);
    const cliReport = await runNode(["report.mjs", "cli.db"], packed.app, env);
    const fromCli = JSON.parse(cliReport.stdout);
    expect(fromCli.runs.map((r: { id: string }) => r.id)).toEqual(
      fromLibrary.runs.map((r: { id: string }) => r.id),
    );
    expect(fromCli.metrics).toEqual(fromLibrary.metrics);

    // Real numbers: the pooled stigma rate is k of n answered items, with an interval around it.
    const overall = fromLibrary.metrics.find(
      (m: { metric: string; condition: string }) =>
        m.metric === "stigma" && m.condition === "overall",
    );
    expect(overall.n).toBeGreaterThan(0);
    expect(overall.value).toBeCloseTo(overall.k / overall.n, 10);
    expect(overall.ci95[0]).toBeLessThanOrEqual(overall.value);
    expect(overall.ci95[1]).toBeGreaterThanOrEqual(overall.value);

    // Running the example again sends nothing: the answers are read back from audit.db.
    const again = await runNode(["example.mjs"], packed.app, env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain("0 request(s) to send");
    expect(chats()).toBe(112);
  });

  it("type-checks a TypeScript program against the published declarations", async () => {
    writeFileSync(
      join(packed.app, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          module: "NodeNext",
          moduleResolution: "NodeNext",
          target: "ES2022",
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ["node"],
        },
        files: ["check.ts"],
      }),
    );
    writeFileSync(
      join(packed.app, "check.ts"),
      `import { buildReport, type MetricRow, openStore, type ProgressEvent, run } from "careprobe";
const store = openStore("typed.db");
const events: ProgressEvent[] = [];
const result = await run({ store, suites: ["stigma"], targets: ["openai:m"] }, { onEvent: (e) => events.push(e) });
const rows: MetricRow[] = buildReport(store, { runIds: result.runs.map((r) => r.id) }).metrics;
// @ts-expect-error: targets are required
await run({ store, suites: ["stigma"] });
// @ts-expect-error: a recipe is careprobe or paper
buildReport(store, { recipe: "other" });
export { rows };
`,
    );
    const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
    const checked = await runNode([tsc, "-p", "tsconfig.json"], packed.app, env);
    expect(checked.stdout + checked.stderr).toBe("");
    expect(checked.code).toBe(0);
  });
});
