// postinstall: keep the install small. node-llama-cpp lists a prebuilt binary package for
// every GPU kind as an optional dependency, and npm installs each one that matches the
// platform: on Linux x64 that is 619 MB of CUDA and Vulkan builds that a CPU never loads
// (careprobe runs local models on the CPU unless CAREPROBE_LOCAL_GPU says otherwise).
// This removes them, the builds for other CPU architectures, and what only building
// llama.cpp or better-sqlite3 from source needs. CAREPROBE_GPU_BUILDS=1 keeps everything
// (docs/install.md). Installed as a dependency of a project that depends on node-llama-cpp
// itself, it leaves the shared node_modules alone. It never fails the install.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { arch, env, platform } from "node:process";
import { fileURLToPath } from "node:url";

if (env.CAREPROBE_GPU_BUILDS === "1") process.exit(0);

const here = dirname(fileURLToPath(import.meta.url));
// The project's own node_modules, or the one careprobe was installed into.
const modules = [join(here, "..", "node_modules"), join(here, "..", "..")].find((dir) =>
  existsSync(join(dir, "node-llama-cpp", "package.json")),
);
if (!modules) process.exit(0);

/**
 * Installed as a dependency, careprobe shares node_modules with the project it was
 * installed into. Where that project depends on node-llama-cpp itself, the builds are its
 * own to keep (a GPU build it uses): then careprobe leaves them alone.
 */
function projectWantsLlama() {
  if (modules !== join(here, "..", "..") || basename(modules) !== "node_modules") return false;
  try {
    const project = JSON.parse(readFileSync(join(dirname(modules), "package.json"), "utf8"));
    const wanted = ["dependencies", "devDependencies", "optionalDependencies"].flatMap((field) =>
      Object.keys(project[field] ?? {}),
    );
    return wanted.some((name) => name === "node-llama-cpp" || name.startsWith("@node-llama-cpp/"));
  } catch {
    return false;
  }
}
if (projectWantsLlama()) {
  console.log(
    "careprobe: the project depends on node-llama-cpp itself; its builds are left as installed.",
  );
  process.exit(0);
}

const HOST = { linux: "linux", win32: "win", darwin: "mac" }[platform];
const ARCH = { x64: "x64", arm64: "arm64", arm: "armv7l", riscv64: "riscv64" }[arch];
/** node-llama-cpp's prebuilt packages: `<os>-<arch>[-<gpu>]`. */
const BUILDS = [
  "linux-x64",
  "linux-x64-cuda",
  "linux-x64-cuda-ext",
  "linux-x64-vulkan",
  "linux-arm64",
  "linux-armv7l",
  "linux-riscv64",
  "win-x64",
  "win-x64-cuda",
  "win-x64-cuda-ext",
  "win-x64-vulkan",
  "win-arm64",
  "mac-x64",
  "mac-arm64-metal", // the only build for Apple silicon: kept there
];

const removed = [];
function remove(path) {
  if (!existsSync(path)) return;
  try {
    rmSync(path, { recursive: true, force: true });
    removed.push(path);
  } catch {
    // What cannot be removed costs space, never a working install.
  }
}

for (const name of BUILDS) {
  const [os, cpu, gpu] = name.split("-");
  const unused = os !== HOST || cpu !== ARCH || gpu === "cuda" || gpu === "vulkan";
  if (unused) remove(join(modules, "@node-llama-cpp", name));
}
// A git bundle of llama.cpp's sources, read only to build llama.cpp from source.
remove(join(modules, "node-llama-cpp", "llama", "gitRelease.bundle"));
// Object files a build of better-sqlite3 from source leaves (absent with a prebuilt binary).
remove(join(modules, "better-sqlite3", "build", "Release", "obj"));
remove(join(modules, "better-sqlite3", "build", "Release", "obj.target"));

if (removed.length > 0) {
  console.log(`careprobe: a CPU-only install; removed (CAREPROBE_GPU_BUILDS=1 npm ci keeps them):`);
  for (const path of removed) console.log(`  ${path}`);
}
