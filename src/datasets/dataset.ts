/**
 * A dataset plug-in: published material careprobe can fetch, run and import (the paper of
 * Moore et al. is one, in `src/datasets/moore2025/`). It registers its suites and arms
 * with the catalog (`src/catalog/`), which resolves names, and brings its own fetch and
 * import. Adding a dataset: a folder under `src/datasets/` exporting a `Dataset`, and one
 * line in `src/catalog/datasets.ts`.
 */
import type { Arm, ProgressListener, Suite } from "../core/types.js";
import type { Store } from "../store/store.js";

/** A suite known by name (`--suite NAME`). */
export interface NamedSuite {
  name: string;
  description: string;
  /** `home` is $CAREPROBE_HOME, where fetched data is cached. */
  load(home: string): Suite;
}

/** An arm known by name (`--arm NAME`). */
export interface NamedArm {
  name: string;
  resolve(home: string): Arm;
}

export interface FetchOptions {
  home: string;
  /** A local clone or a mirror URL instead of the pinned source. */
  from?: string;
  onEvent?: ProgressListener;
}

export interface Dataset {
  /** As typed on the command line: `careprobe fetch NAME`, `careprobe import NAME`. */
  name: string;
  description: string;
  suites: readonly NamedSuite[];
  arms: readonly NamedArm[];
  /** Downloads and verifies the data; returns a one-line summary. */
  fetch(options: FetchOptions): Promise<string>;
  /**
   * Stores the published answers as runs (through the run writer); returns summary lines.
   * Importing again changes nothing.
   */
  importInto(store: Store, home: string, toolVersion: string): string[];
}
