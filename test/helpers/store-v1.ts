/** The schema 1 database of test/fixtures/store-v1 (made by careprobe 0.1.0), as a file. */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";

export const STORE_V1 = resolve(import.meta.dirname, "../fixtures/store-v1");

/** Writes the fixture's SQL into a new database file and returns its path. */
export function makeStoreV1(): string {
  const path = join(mkdtempSync(join(tmpdir(), "careprobe-v1-")), "careprobe.db");
  const db = new Database(path);
  db.exec(readFileSync(join(STORE_V1, "careprobe-v1.sql"), "utf8"));
  db.close();
  return path;
}

/** A file of the fixture, as text. */
export function storeV1File(name: string): string {
  return readFileSync(join(STORE_V1, name), "utf8");
}
