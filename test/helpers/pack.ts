/**
 * Packs the package as `npm publish` would and installs the tarball into a temporary
 * project without the network: the tarball is unpacked into `node_modules/careprobe` and
 * each runtime dependency is linked from this repository's installed node_modules (its
 * own dependencies resolve from there, through the link's real path).
 */
import { execFileSync, spawn } from "node:child_process";
import {
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { ROOT, requirePath } from "./cli.js";

export interface Packed {
  /** The temporary folder holding the tarball and the project. */
  dir: string;
  tarball: string;
  /** Compressed size in bytes. */
  size: number;
  unpackedSize: number;
  files: string[];
  /** The temporary project; the package is in `node_modules/careprobe`. */
  app: string;
  installed: string;
  /** Links into this repository's node_modules. */
  links: string[];
}

interface PackJson {
  filename: string;
  size: number;
  unpackedSize: number;
  files: Array<{ path: string }>;
}

export function packAndInstall(dir: string): Packed {
  requirePath(join(ROOT, "dist/index.js"));
  requirePath(join(ROOT, "dist/careprobe.mjs"));
  const out = execFileSync(
    "npm",
    ["pack", "--json", "--ignore-scripts", "--offline", "--pack-destination", dir],
    {
      cwd: ROOT,
      encoding: "utf8",
      // No user npmrc, no update check: nothing here may reach for the network.
      env: { PATH: process.env.PATH ?? "", HOME: dir, npm_config_update_notifier: "false" },
    },
  );
  const [info] = JSON.parse(out) as PackJson[];
  if (!info) throw new Error(`npm pack printed no package: ${out}`);
  const tarball = join(dir, info.filename);
  const unpacked = join(dir, "unpacked");
  mkdirSync(unpacked);
  execFileSync("tar", ["-xzf", tarball, "-C", unpacked]);
  const app = join(dir, "app");
  mkdirSync(app);
  const project = { name: "careprobe-consumer", private: true, type: "module" };
  writeFileSync(join(app, "package.json"), JSON.stringify(project));
  const installed = join(app, "node_modules", "careprobe");
  mkdirSync(dirname(installed), { recursive: true });
  renameSync(join(unpacked, "package"), installed);
  const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
  };
  const links: string[] = [];
  for (const name of [...Object.keys(manifest.dependencies), "@types/node"]) {
    const link = join(app, "node_modules", name);
    links.push(link);
    mkdirSync(dirname(link), { recursive: true });
    // A junction on Windows (no privilege needed); the type is ignored elsewhere.
    symlinkSync(requirePath(join(ROOT, "node_modules", name)), link, "junction");
  }
  const files = info.files.map((f) => f.path);
  return {
    dir,
    links,
    tarball,
    size: info.size,
    unpackedSize: info.unpackedSize,
    files,
    app,
    installed,
  };
}

export interface NodeResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs node (never blocking this process, which may be serving the fake server). */
export function runNode(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<NodeResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const result: NodeResult = { code: null, stdout: "", stderr: "" };
    child.stdout.on("data", (chunk: Buffer) => {
      result.stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      result.stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ ...result, code }));
  });
}

/** The first ```js block after a heading of the README. */
export function readmeExample(heading: string): string {
  const text = readFileSync(join(ROOT, "README.md"), "utf8");
  const at = text.indexOf(`\n## ${heading}\n`);
  const block = /```js\n([\s\S]*?)```/.exec(text.slice(at));
  if (at < 0 || !block?.[1]) throw new Error(`README.md has no js example under "## ${heading}"`);
  return block[1];
}

/** Removes the temporary folder, unlinking the links first: what they point to stays. */
export function removeInstall(packed: Packed): void {
  for (const link of packed.links) unlinkSync(link);
  rmSync(packed.dir, { recursive: true, force: true });
}
