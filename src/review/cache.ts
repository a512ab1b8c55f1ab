/**
 * Collected runs kept in memory between requests: collecting the paper's 24 imported
 * responses runs takes seconds, and a reviewer's page asks for them after every label.
 * The cache is dropped whenever the store's fingerprint changes (another process ran or
 * imported something); a label given through the app is patched in place instead.
 */

import type { CollectedResponsesRun, ResponseItemRow } from "../experiments/responses/collect.js";
import { type BuiltReport, buildReport } from "../report/build.js";
import type { Store } from "../store/store.js";
import { collectSuiteRuns } from "./tasks.js";

export interface CacheOptions {
  seed: number;
  resamples: number;
  toolVersion: string;
}

export class ReviewCache {
  private fingerprint = "";
  private report: BuiltReport | undefined;
  private readonly suites = new Map<string, CollectedResponsesRun[]>();
  /** Request key → the collected item rows it answers, in every cached suite. */
  private readonly byKey = new Map<string, ResponseItemRow[]>();
  private keys = new WeakMap<ResponseItemRow, string>();

  constructor(
    readonly store: Store,
    private readonly options: CacheOptions,
  ) {}

  private fresh(): void {
    const now = this.store.fingerprint();
    if (now === this.fingerprint) return;
    this.fingerprint = now;
    this.report = undefined;
    this.suites.clear();
    this.byKey.clear();
    this.keys = new WeakMap();
  }

  /** The full report (newest run per suite, target and arm; metrics and items). */
  built(): BuiltReport {
    this.fresh();
    this.report ??= buildReport(this.store, {}, this.options);
    return this.report;
  }

  /** Every stored responses run of the suite, collected. */
  suiteRuns(suiteId: string): CollectedResponsesRun[] {
    this.fresh();
    let runs = this.suites.get(suiteId);
    if (!runs) {
      runs = collectSuiteRuns(this.store, suiteId);
      this.suites.set(suiteId, runs);
      for (const run of runs) {
        const keys = new Map(
          this.store.runRows(run.run.id).map((r) => [`${r.itemId}\u0000${r.sample}`, r.requestKey]),
        );
        for (const item of run.items) {
          const key = keys.get(`${item.item_id}\u0000${item.sample}`);
          if (!key) continue;
          this.byKey.set(key, [...(this.byKey.get(key) ?? []), item]);
          this.keys.set(item, key);
        }
      }
    }
    return runs;
  }

  /** The request key of each collected item of the suite. */
  keyOf(item: ResponseItemRow): string | undefined {
    return this.keys.get(item);
  }

  /** Keeps the cache in step with a label just stored through the app. */
  labelled(key: string, check: number, rater: string, label: string): void {
    for (const item of this.byKey.get(key) ?? []) {
      item.labels = [
        ...item.labels.filter((l) => !(l.rater === rater && l.check === check)),
        { rater, check, label },
      ].sort((a, b) => a.rater.localeCompare(b.rater) || a.check - b.check);
    }
    // Agreement rows of the report depend on labels: that part is rebuilt when asked.
    this.report = undefined;
    this.fingerprint = this.store.fingerprint();
  }
}
