/** The postinstall step keeps the CPU build of llama.cpp for this machine and drops the rest. */
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers/cli.js";

const BUILDS = [
  "linux-x64",
  "linux-x64-cuda",
  "linux-x64-cuda-ext",
  "linux-x64-vulkan",
  "linux-arm64",
  "win-x64",
  "mac-arm64-metal",
];

/** A project with the script and a stand-in node_modules holding every build. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), "careprobe-trim-"));
  mkdirSync(join(dir, "scripts"));
  copyFileSync(join(ROOT, "scripts/trim-install.mjs"), join(dir, "scripts/trim-install.mjs"));
  withBuilds(join(dir, "node_modules"));
  return dir;
}

/** Another project with careprobe installed into its node_modules, beside every build. */
function consumer(dependencies: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "careprobe-trim-consumer-"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "app", dependencies }));
  const scripts = join(dir, "node_modules", "careprobe", "scripts");
  mkdirSync(scripts, { recursive: true });
  copyFileSync(join(ROOT, "scripts/trim-install.mjs"), join(scripts, "trim-install.mjs"));
  withBuilds(join(dir, "node_modules"));
  return dir;
}

function withBuilds(modules: string): void {
  mkdirSync(join(modules, "node-llama-cpp", "llama"), { recursive: true });
  writeFileSync(join(modules, "node-llama-cpp", "package.json"), "{}");
  writeFileSync(join(modules, "node-llama-cpp", "llama", "gitRelease.bundle"), "x");
  for (const build of BUILDS) {
    mkdirSync(join(modules, "@node-llama-cpp", build), { recursive: true });
    writeFileSync(join(modules, "@node-llama-cpp", build, "package.json"), "{}");
  }
}

const present = (dir: string) =>
  BUILDS.filter((build) => existsSync(join(dir, "node_modules", "@node-llama-cpp", build)));

describe("scripts/trim-install.mjs", () => {
  it("removes GPU builds and other platforms' builds, keeping this machine's CPU build", () => {
    const dir = project();
    execFileSync(process.execPath, [join(dir, "scripts/trim-install.mjs")], {
      env: { PATH: process.env.PATH ?? "" },
    });
    const host = { linux: "linux", win32: "win", darwin: "mac" }[process.platform as string];
    const kept = present(dir);
    expect(kept.some((build) => /cuda|vulkan/.test(build))).toBe(false);
    expect(kept.every((build) => build.startsWith(`${host}-`))).toBe(true);
    if (process.platform === "linux" && process.arch === "x64") expect(kept).toEqual(["linux-x64"]);
    expect(existsSync(join(dir, "node_modules/node-llama-cpp/llama/gitRelease.bundle"))).toBe(
      false,
    );
  });

  it("keeps every build when asked for GPU builds", () => {
    const dir = project();
    execFileSync(process.execPath, [join(dir, "scripts/trim-install.mjs")], {
      env: { PATH: process.env.PATH ?? "", CAREPROBE_GPU_BUILDS: "1" },
    });
    expect(present(dir)).toEqual(BUILDS);
  });

  it("installed as a dependency, trims the shared folder unless the project uses node-llama-cpp", () => {
    const run = (dir: string) =>
      execFileSync(
        process.execPath,
        [join(dir, "node_modules/careprobe/scripts/trim-install.mjs")],
        {
          env: { PATH: process.env.PATH ?? "" },
          encoding: "utf8",
        },
      );
    const own = consumer({ careprobe: "^0.1.0", "node-llama-cpp": "3.21.1" });
    expect(run(own)).toContain("depends on node-llama-cpp itself");
    expect(present(own)).toEqual(BUILDS);
    expect(existsSync(join(own, "node_modules/node-llama-cpp/llama/gitRelease.bundle"))).toBe(true);

    const plain = consumer({ careprobe: "^0.1.0" });
    run(plain);
    expect(present(plain).some((build) => /cuda|vulkan/.test(build))).toBe(false);
  });
});
