/** A database made by careprobe 0.1.0 (test/fixtures/store-v1) reports exactly as it did then. */
import { describe, expect, it } from "vitest";
import { makeStoreV1, storeV1File } from "../../test/helpers/store-v1.js";
import { buildReport } from "../report/build.js";
import { renderJson } from "../report/render.js";
import { Store } from "./store.js";

const withoutTime = (json: string) => {
  const parsed = JSON.parse(json) as Record<string, unknown[]>;
  delete parsed.generated_at;
  return parsed;
};

const lines = (jsonl: string) =>
  jsonl
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as unknown);

describe("a database of careprobe 0.1.0", () => {
  it("gives the same report and item rows through the experiments' collectors", () => {
    const store = Store.open(makeStoreV1());
    try {
      const report = buildReport(store, {}, { seed: 0, resamples: 10_000, toolVersion: "0.1.0" });
      // Every number 0.1.0 reported is reported again (later releases add metric rows).
      const now = withoutTime(renderJson(report.data));
      const then = withoutTime(storeV1File("report.json"));
      expect(now.runs).toEqual(then.runs);
      for (const row of then.metrics as unknown[]) expect(now.metrics).toContainEqual(row);
      expect(now.comparisons).toEqual(then.comparisons);
      const kinds = report.kinds ?? [];
      expect(kinds.map((k) => k.experiment.kind)).toEqual(["multiple-choice", "responses"]);
      for (const { experiment, collected } of kinds) {
        const file =
          experiment.kind === "responses" ? "items-responses.jsonl" : "items-stigma.jsonl";
        const rows = collected.flatMap((c) => c.items);
        // Later releases may add fields to item rows; none of 0.1.0's changed.
        expect(lines(experiment.renderItems(rows, "jsonl"))).toMatchObject(
          lines(storeV1File(file)),
        );
      }
    } finally {
      store.close();
    }
  });
});
