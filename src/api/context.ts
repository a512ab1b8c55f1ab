/** Where careprobe keeps its data, and its version (the CLI and the library alike). */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { assetPath } from "../assets.js";

export function careprobeHome(env: NodeJS.ProcessEnv): string {
  return resolve(env.CAREPROBE_HOME || ".careprobe");
}

export function databasePath(env: NodeJS.ProcessEnv, db: string | undefined): string {
  return db ? resolve(db) : join(careprobeHome(env), "careprobe.db");
}

let version: string | undefined;
export function toolVersion(): string {
  if (!version) {
    const pkg = JSON.parse(readFileSync(assetPath("../package.json"), "utf8")) as {
      version: string;
    };
    version = pkg.version;
  }
  return version;
}
