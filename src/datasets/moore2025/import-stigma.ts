/**
 * Imports the paper's stigma answers (results/stigma/<run args>/<date>.jsonl) as stored
 * runs of the `moore2025-stigma` suite, so `careprobe report` analyses them exactly like
 * runs careprobe made itself. Deterministic: importing twice changes nothing.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { CareprobeError } from "../../core/errors.js";
import type { Arm, ChoiceItem } from "../../core/types.js";
import { itemMessages } from "../../experiments/multiple-choice/messages.js";
import { RunWriter } from "../../store/run-writer.js";
import type { RequestResult, Store } from "../../store/store.js";
import { moore2025Path } from "./fetch.js";
import { MOORE2025_FILES } from "./manifest.js";
import { parseJsonObjectLine } from "./rows.js";
import { loadMoore2025StigmaSuite } from "./stigma-suite.js";

/** Which of a run folder's dated files is imported: the latest (see the design note). */
export interface Moore2025StigmaRunFile {
  /** Repository path of the imported file. */
  path: string;
  /** `meta-llama/Llama-3.1-8B-Instruct`, as the folder name encodes it. */
  model: string;
  /** careprobe's arm id: `none` or `steel-man`. */
  arm: "none" | "steel-man";
  /** The file's date (its name), `YYYY-MM-DD`. */
  date: string;
  /** Other dated files of the same folder, not imported. */
  skipped: string[];
}

export interface ImportStigmaResult {
  runs: number;
  answers: number;
}

const RUN_FILE = /^results\/stigma\/([^/]+)\/(\d{4}-\d{2}-\d{2})\.jsonl$/;

/** The label of an imported run's target; not a target kind careprobe can send to. */
export function moore2025TargetLabel(model: string): string {
  return `moore2025:${model}`;
}

const ARMS: Record<"none" | "steel-man", Arm> = {
  none: { id: "none", description: "no system prompt beyond the answer instruction" },
  "steel-man": {
    id: "steel-man",
    description:
      "the paper's steel-man therapist system prompt before the answer instruction (imported; its text is not in the result files)",
  },
};

/** `model=meta-llama__Llama-3.1-8B-Instruct&steel-man-prompt=True` → model and arm. */
export function parseRunFolder(folder: string): { model: string; arm: "none" | "steel-man" } {
  const args = new Map<string, string>();
  for (const pair of folder.split("&")) {
    const at = pair.indexOf("=");
    if (at <= 0) throw badFolder(folder, `\`${pair}\` is not key=value`);
    args.set(pair.slice(0, at), pair.slice(at + 1));
  }
  const model = args.get("model");
  const steelMan = args.get("steel-man-prompt");
  if (!model) throw badFolder(folder, "no model");
  if (steelMan !== "True" && steelMan !== "False") {
    throw badFolder(folder, "steel-man-prompt must be True or False");
  }
  if (args.size !== 2) throw badFolder(folder, "unexpected run arguments");
  return { model: model.replaceAll("__", "/"), arm: steelMan === "True" ? "steel-man" : "none" };
}

function badFolder(folder: string, why: string): CareprobeError {
  return new CareprobeError(
    "DATA_INVALID",
    `results/stigma/${folder}: not a stigma run folder (${why}).`,
  );
}

/** The run files that are imported, one per run folder, in path order. */
export function moore2025StigmaRunFiles(): Moore2025StigmaRunFile[] {
  const byFolder = new Map<string, Array<{ path: string; date: string }>>();
  for (const file of MOORE2025_FILES) {
    const match = RUN_FILE.exec(file.path);
    if (!match) continue;
    const [, folder = "", date = ""] = match;
    const list = byFolder.get(folder) ?? [];
    list.push({ path: file.path, date });
    byFolder.set(folder, list);
  }
  return [...byFolder.keys()].sort().map((folder) => {
    const files = (byFolder.get(folder) ?? []).sort((a, b) => a.date.localeCompare(b.date));
    const latest = files.at(-1) as { path: string; date: string };
    return {
      path: latest.path,
      ...parseRunFolder(folder),
      date: latest.date,
      skipped: files.slice(0, -1).map((f) => f.path),
    };
  });
}

const sha256 = (value: unknown): string =>
  createHash("sha256").update(JSON.stringify(value)).digest("hex");

const IMPORT_TAG = "moore2025-import";

export function importedRequestKey(target: string, prompt: string, arm: string): string {
  return sha256({ target, prompt, arm, source: IMPORT_TAG });
}

interface ResultLine {
  prompt: string;
  output: string | null;
}

function parseResultLine(raw: string, where: string): ResultLine {
  const line = parseJsonObjectLine(raw, where);
  if (typeof line.prompt !== "string") {
    throw new CareprobeError("DATA_INVALID", `${where}: field \`prompt\`: expected a string`);
  }
  const output = line.output;
  if (output !== null && output !== undefined && typeof output !== "string") {
    throw new CareprobeError(
      "DATA_INVALID",
      `${where}: field \`output\`: expected a string or null`,
    );
  }
  return { prompt: line.prompt, output: output ?? null };
}

/**
 * Stores one run per results/stigma run folder (the latest dated file of each). `dir` is a
 * verified copy of the authors' repository (`requireMoore2025(home)`).
 */
export function importMoore2025Stigma(
  store: Store,
  dir: string,
  toolVersion: string,
): ImportStigmaResult {
  const suite = loadMoore2025StigmaSuite(dir);
  const byPrompt = new Map<string, ChoiceItem>();
  for (const item of suite.items) byPrompt.set(item.prompt, item);
  store.saveSuite(suite);

  let runs = 0;
  let answers = 0;
  for (const runFile of moore2025StigmaRunFiles()) {
    const file = moore2025Path(dir, runFile.path);
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      throw new CareprobeError(
        "DATASET_MISSING",
        `Cannot read ${file}: run \`careprobe fetch moore2025\` first.`,
        { cause: error },
      );
    }
    const target = moore2025TargetLabel(runFile.model);
    const arm = ARMS[runFile.arm];
    const rows: Array<{ itemId: string; sample: number; requestKey: string }> = [];
    const results: RequestResult[] = [];
    const seen = new Set<string>();
    const lines = text.split("\n");
    lines.forEach((raw, index) => {
      if (raw.trim() === "") return;
      const where = `${file}:${index + 1}`;
      const line = parseResultLine(raw, where);
      const item = byPrompt.get(line.prompt);
      if (!item) {
        throw new CareprobeError(
          "DATA_INVALID",
          `${where}: the prompt matches no item of the suite ${suite.id}`,
          { hint: "Fetch the published files again with `careprobe fetch moore2025`." },
        );
      }
      if (seen.has(item.id)) {
        throw new CareprobeError("DATA_INVALID", `${where}: a second answer to item ${item.id}`);
      }
      seen.add(item.id);
      const requestKey = importedRequestKey(target, item.prompt, arm.id);
      rows.push({ itemId: item.id, sample: 0, requestKey });
      results.push({
        key: requestKey,
        target,
        sample: 0,
        body: JSON.stringify({
          imported: "moore2025",
          file: runFile.path,
          line: index + 1,
          messages: itemMessages(suite, arm, item),
        }),
        status: "ok",
        // The paper stored no answer as null; its parser read that as no answer, and so
        // does careprobe's (an empty text is unparsed and leaves n).
        text: line.output ?? "",
        promptTokens: null,
        completionTokens: null,
        finishReason: null,
        model: runFile.model,
        latencyMs: null,
        attempts: 1,
        errorCode: null,
        errorMessage: null,
      });
    });
    const writer = new RunWriter(store);
    const id = writer.begin({
      suite,
      roles: { target: { spec: target, identity: "" }, judges: [] },
      arm: arm.id,
      armPrompt: null,
      samples: 1,
      identity: { source: IMPORT_TAG },
      config: { imported: "moore2025", file: runFile.path },
      toolVersion,
      createdAt: `${runFile.date}T00:00:00.000Z`,
    });
    for (const row of rows) writer.item(id, row);
    writer.flush();
    store.saveResults(results);
    runs++;
    answers += results.length;
  }
  return { runs, answers };
}
