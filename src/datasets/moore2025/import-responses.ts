/**
 * Imports the paper's appropriate-responses results as stored runs of the
 * `moore2025-responses` suite, so `careprobe report --suite moore2025-responses` analyses
 * them like runs careprobe made itself:
 * - `results/interjections/<run args>/<date>.jsonl`: one run per model x arm, judged by the
 *   paper's gpt-4o judge (`gpt-4o-2024-08-06_classification`);
 * - `results/interjections/date=.../<date>.csv`: the live commercial chatbots and the human
 *   therapists, labelled by the authors (`human_classification`).
 * Deterministic: run ids and request keys are hashes of what identifies them, so importing
 * twice changes nothing. See docs/design/moore2025-import-responses.md.
 */
import { createHash } from "node:crypto";
import { parseCsv } from "../../core/csv.js";
import { CareprobeError } from "../../core/errors.js";
import type { ChatMessage, ResponseItem, ResponsesSuite } from "../../core/types.js";
import type { YesNo } from "../../judges/verification.js";
import { type ItemWrite, RunWriter } from "../../store/run-writer.js";
import type { RequestResult, StepRow, Store } from "../../store/store.js";
import { readPublishedFile } from "./fetch.js";
import { MOORE2025_FILES } from "./manifest.js";
import { loadMoore2025ResponsesSuite } from "./responses-suite.js";
import { INTERJECTION_KEY, PUBLISHED_CSV, parseJsonObjectLine } from "./rows.js";

export interface ImportResponsesResult {
  runs: number;
  answers: number;
  judgements: number;
}

/** Who answered the stimuli of a published file. */
export type Moore2025ResponsesSource = "model" | "live-bot" | "human";

export interface Moore2025ResponsesRunFile {
  /** Repository path of the file. */
  path: string;
  /** `meta-llama/Llama-3.1-8B-Instruct`, `pi`, `human_therapist`, as the folder name encodes it. */
  model: string;
  /** careprobe's arm: `none` or `steel-man`, plus `+contextualized` for contextualized runs. */
  arm: string;
  source: Moore2025ResponsesSource;
  /** The file's date (its name), `YYYY-MM-DD`. */
  date: string;
  /** The label of whoever gave the verdicts. */
  judge: string;
}

/** The published judge of the model runs, and the authors' own labels of the CSV files. */
export const MOORE2025_MODEL_JUDGE = "moore2025:gpt-4o-2024-08-06";
export const MOORE2025_HUMAN_JUDGE = "moore2025:human";

const VERDICT_COLUMN = "gpt-4o-2024-08-06_classification";
const RUN_FILE = /^results\/interjections\/([^/]+)\/(\d{4}-\d{2}-\d{2})\.(jsonl|csv)$/;
const IMPORT_TAG = "moore2025-import-responses";

const sha256 = (value: unknown): string =>
  createHash("sha256").update(JSON.stringify(value)).digest("hex");

/** `a=1&b=x` → a map; `__` in the model stands for `/`. */
function folderArgs(folder: string): Map<string, string> {
  const args = new Map<string, string>();
  for (const pair of folder.split("&")) {
    const at = pair.indexOf("=");
    if (at <= 0) throw badFolder(folder, `\`${pair}\` is not key=value`);
    args.set(pair.slice(0, at), pair.slice(at + 1));
  }
  return args;
}

function badFolder(folder: string, why: string): CareprobeError {
  return new CareprobeError(
    "DATA_INVALID",
    `results/interjections/${folder}: not a run folder of the appropriate-responses experiment (${why}).`,
  );
}

function flag(folder: string, args: Map<string, string>, name: string): boolean {
  const value = args.get(name);
  if (value !== "True" && value !== "False") {
    throw badFolder(folder, `${name} must be True or False`);
  }
  return value === "True";
}

/**
 * Model, arm and source of a run folder. `filter-model` and `contextualize-model` name the
 * models that chose transcripts and wrote bridges, not the model that answered.
 */
export function parseResponsesFolder(folder: string): {
  model: string;
  arm: string;
  source: Moore2025ResponsesSource;
} {
  const args = folderArgs(folder);
  const model = args.get("model");
  if (!model) throw badFolder(folder, "no model");
  const steelMan = flag(folder, args, "steel-man-prompt");
  const contextualized = args.has("contextualize") && flag(folder, args, "contextualize");
  const arm = `${steelMan ? "steel-man" : "none"}${contextualized ? "+contextualized" : ""}`;
  const source: Moore2025ResponsesSource = args.has("contextualize")
    ? "model"
    : model === "human_therapist"
      ? "human"
      : "live-bot";
  return { model: model.replaceAll("__", "/"), arm, source };
}

/**
 * The files that are imported, in path order: every dated jsonl of a model run folder and
 * every dated CSV of a folder without transcripts (live bots, human therapists). The CSV
 * beside the gpt-4o jsonl is an export of that jsonl without human labels: not imported.
 */
export function moore2025ResponsesRunFiles(): Moore2025ResponsesRunFile[] {
  const files: Moore2025ResponsesRunFile[] = [];
  for (const file of MOORE2025_FILES) {
    const match = RUN_FILE.exec(file.path);
    if (!match) continue;
    const [, folder = "", date = "", extension] = match;
    const parsed = parseResponsesFolder(folder);
    if ((extension === "jsonl") !== (parsed.source === "model")) continue;
    files.push({
      path: file.path,
      ...parsed,
      date,
      judge: parsed.source === "model" ? MOORE2025_MODEL_JUDGE : MOORE2025_HUMAN_JUDGE,
    });
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The label of an imported run's target; not a target kind careprobe can send to. */
export function moore2025ResponsesTarget(model: string): string {
  return `moore2025:${model}`;
}

/** The key of an imported answer (`judge` absent) or of an imported verdict on it. */
export function importedResponsesKey(
  target: string,
  arm: string,
  itemId: string,
  sample: number,
  judge?: string,
): string {
  return sha256({ target, arm, item: itemId, sample, judge: judge ?? null, source: IMPORT_TAG });
}

/** One published answer with its verdict, whatever the file format. */
interface PublishedRow {
  where: string;
  line: number;
  stimulus: string;
  transcript: string | null;
  position: number;
  response: string;
  verdict: string | null;
  question: string;
  appropriate: string;
  order: [YesNo, YesNo];
  extra: Record<string, string>;
}

function invalid(message: string): CareprobeError {
  return new CareprobeError("DATA_INVALID", message, {
    hint: "The file is not a result file of Moore et al. (2025) as published: fetch the published files again with `careprobe fetch moore2025`.",
  });
}

function yesNoOrder(value: unknown, where: string): [YesNo, YesNo] {
  const list =
    typeof value === "string" ? value.split(",").map((part) => part.trim()) : (value as unknown);
  if (
    Array.isArray(list) &&
    list.length === 2 &&
    ((list[0] === "yes" && list[1] === "no") || (list[0] === "no" && list[1] === "yes"))
  ) {
    return [list[0], list[1]] as [YesNo, YesNo];
  }
  throw invalid(`${where}: field \`verification_options\`: expected "yes" and "no"`);
}

function field(line: Record<string, unknown>, name: string, where: string): string {
  const value = line[name];
  if (typeof value !== "string" || value === "") {
    throw invalid(`${where}: field \`${name}\`: expected a non-empty string`);
  }
  return value;
}

function optionalText(value: unknown, name: string, where: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== "string") throw invalid(`${where}: field \`${name}\`: expected a string`);
  return value;
}

function parseJsonlRows(text: string, file: string): PublishedRow[] {
  const rows: PublishedRow[] = [];
  text.split("\n").forEach((raw, index) => {
    if (raw.trim() === "") return;
    const where = `${file}:${index + 1}`;
    const line = parseJsonObjectLine(raw, where);
    const key = field(line, "key", where);
    const [, transcript = "", , stimulus = "", keyNumber] = INTERJECTION_KEY.exec(key) ?? [];
    const position = line.message_number;
    if (typeof position !== "number" || !Number.isInteger(position) || position < 0) {
      throw invalid(`${where}: field \`message_number\`: expected a whole number, 0 or more`);
    }
    if (
      stimulus === "" ||
      Number(keyNumber) !== position ||
      String(line.transcript_index) !== transcript
    ) {
      throw invalid(
        `${where}: field \`key\`: "${key}" is not <transcript_index>_<condition>_<stimulus>_<message_number> of this row`,
      );
    }
    rows.push({
      where,
      line: index + 1,
      stimulus,
      transcript: position === 0 ? null : transcript,
      position,
      response: optionalText(line.model_response, "model_response", where) ?? "",
      verdict: optionalText(line[VERDICT_COLUMN], VERDICT_COLUMN, where),
      question: field(line, "verification_prompt", where),
      appropriate: field(line, "verification_correct", where),
      order: yesNoOrder(line.verification_options, where),
      extra: { key },
    });
  });
  return rows;
}

const CSV_COLUMNS = [
  "id",
  "verification_prompt",
  "verification_options",
  "verification_correct",
  "model_response",
  "human_classification",
] as const;

function parseCsvRows(text: string, file: string): PublishedRow[] {
  const table = parseCsv(text, file, PUBLISHED_CSV);
  const column = new Map(table.header.map((name, index) => [name, index]));
  for (const name of CSV_COLUMNS) {
    if (!column.has(name)) throw invalid(`${file}:1: no column \`${name}\``);
  }
  const participant = column.get("participant_id");
  return table.rows.map((cells, index): PublishedRow => {
    const line = table.rowLines[index] ?? 0;
    const where = `${file}:${line}`;
    const cell = (name: (typeof CSV_COLUMNS)[number]): string => cells[column.get(name) ?? 0] ?? "";
    const record: Record<string, unknown> = Object.fromEntries(
      CSV_COLUMNS.map((name) => [name, cell(name)]),
    );
    const verdict = cell("human_classification").trim().toLowerCase();
    return {
      where,
      line,
      stimulus: field(record, "id", where),
      transcript: null,
      position: 0,
      response: cell("model_response"),
      verdict: verdict === "" ? null : verdict,
      question: field(record, "verification_prompt", where),
      appropriate: field(record, "verification_correct", where),
      order: yesNoOrder(cell("verification_options"), where),
      extra: participant === undefined ? {} : { participant: cells[participant] ?? "" },
    };
  });
}

function toChat(item: ResponseItem): ChatMessage[] {
  return item.turns.map((t) => ({
    role: t.role === "client" ? "user" : "assistant",
    content: t.content,
  }));
}

/**
 * Stores one run per published result file (18 model runs, 5 live chatbots, the human
 * therapists). `dir` is a copy of the authors' repository (`requireMoore2025(home)`, or a
 * clone); every file is checked against its published sha256.
 */
export function importMoore2025Responses(
  store: Store,
  dir: string,
  toolVersion: string,
): ImportResponsesResult {
  const suite = loadMoore2025ResponsesSuite(dir);
  store.saveSuite(suite);
  const result: ImportResponsesResult = { runs: 0, answers: 0, judgements: 0 };
  for (const runFile of moore2025ResponsesRunFiles()) {
    const text = readPublishedFile(dir, runFile.path);
    const rows =
      runFile.source === "model"
        ? parseJsonlRows(text, runFile.path)
        : parseCsvRows(text, runFile.path);
    const counts = importRun(store, suite, runFile, rows, toolVersion);
    result.runs++;
    result.answers += counts.answers;
    result.judgements += counts.judgements;
  }
  return result;
}

/** What a published answer does not say: token counts, latency, retries. */
const NO_USAGE = {
  promptTokens: null,
  completionTokens: null,
  finishReason: null,
  latencyMs: null,
  attempts: 1,
} as const;

function importRun(
  store: Store,
  suite: ResponsesSuite,
  runFile: Moore2025ResponsesRunFile,
  rows: PublishedRow[],
  toolVersion: string,
): { answers: number; judgements: number } {
  const target = moore2025ResponsesTarget(runFile.model);
  const arm = runFile.arm;
  const byId = new Map(suite.items.map((item) => [item.id, item]));
  const runItems: ItemWrite[] = [];
  const steps: StepRow[] = [];
  const results: RequestResult[] = [];
  const samplesOf = new Map<string, number>();
  const base = NO_USAGE;
  for (const row of rows) {
    const item = byId.get(row.stimulus);
    const check = item?.checks[0];
    if (!item || !check) {
      throw invalid(`${row.where}: stimulus \`${row.stimulus}\` is not an item of ${suite.id}`);
    }
    // The same prompt answered again (message 0 once per sampled transcript, or several
    // human therapists) is another sample of the same item.
    const itemId =
      row.transcript === null ? item.id : `${item.id}@${row.transcript}:${row.position}`;
    const sample = samplesOf.get(itemId) ?? 0;
    if (row.transcript !== null && sample > 0) {
      throw invalid(`${row.where}: a second answer for ${itemId}`);
    }
    samplesOf.set(itemId, sample + 1);
    const requestKey = importedResponsesKey(target, arm, itemId, sample);
    const where = { stimulus: item.id, transcript: row.transcript, position: row.position };
    runItems.push({ itemId, sample, requestKey, where });
    const imported = { imported: "moore2025", file: runFile.path, line: row.line, ...row.extra };
    results.push({
      ...base,
      key: requestKey,
      target,
      sample,
      body: JSON.stringify({
        ...imported,
        // What the published files hold of the conversation: the stimulus. The transcript
        // context, bridges and system prompts are not published.
        messages: toChat(item),
      }),
      status: "ok",
      text: row.response,
      model: runFile.model,
      errorCode: null,
      errorMessage: null,
    });
    // careprobe judges no blank answer; the paper's judge did not label them either.
    if (row.response.slice(0, suite.charLimit).trim() === "") continue;
    const judged = judgeRecords(row, runFile, check.appropriate, { itemId, sample, target, arm });
    steps.push(judged.step);
    results.push({
      ...base,
      ...judged.result,
      body: JSON.stringify({ ...imported, question: row.question, order: row.order }),
    });
  }
  const records = { runItems, steps, results };
  storeRun(store, suite, runFile, records, Math.max(1, ...samplesOf.values()), toolVersion);
  return { answers: runItems.length, judgements: steps.length };
}

/** The paper's verdict on one answer: the judge step of the item and the stored result. */
function judgeRecords(
  row: PublishedRow,
  runFile: Moore2025ResponsesRunFile,
  appropriate: string,
  at: { itemId: string; sample: number; target: string; arm: string },
): { step: StepRow; result: Omit<RequestResult, keyof typeof NO_USAGE | "body"> } {
  const judgeKey = importedResponsesKey(at.target, at.arm, at.itemId, at.sample, runFile.judge);
  const step: StepRow = {
    itemId: at.itemId,
    sample: at.sample,
    step: { role: "judge", check: 0, judge: 0 },
    requestKey: judgeKey,
    // A verdict on a question with another appropriate answer answers that question, not
    // this item's check: the meta says so, and only the paper's recipe counts it.
    meta: {
      judge: runFile.judge,
      check: 0,
      order: row.order,
      ...(row.appropriate === appropriate
        ? {}
        : { answers: { question: row.question, appropriate: row.appropriate } }),
    },
  };
  const failure =
    row.verdict === null
      ? { code: "NO_VERDICT", message: "the published row has no verdict for this answer" }
      : null;
  return {
    step,
    result: {
      key: judgeKey,
      target: runFile.judge,
      sample: 0,
      status: failure ? "error" : "ok",
      text: failure ? null : row.verdict,
      model: runFile.judge,
      errorCode: failure?.code ?? null,
      errorMessage: failure?.message ?? null,
    },
  };
}

/** Writes one imported run through the run writer, then the results not stored yet. */
function storeRun(
  store: Store,
  suite: ResponsesSuite,
  runFile: Moore2025ResponsesRunFile,
  records: { runItems: ItemWrite[]; steps: StepRow[]; results: RequestResult[] },
  samples: number,
  toolVersion: string,
): void {
  const target = moore2025ResponsesTarget(runFile.model);
  const judges = [{ spec: runFile.judge, identity: "" }];
  const writer = new RunWriter(store);
  const id = writer.begin({
    suite,
    roles: { target: { spec: target, identity: "" }, judges },
    arm: runFile.arm,
    armPrompt: null,
    samples,
    identity: { source: IMPORT_TAG },
    config: {
      kind: "responses",
      imported: "moore2025",
      file: runFile.path,
      source: runFile.source,
      judges,
      defaultJudge: false,
    },
    toolVersion,
    createdAt: `${runFile.date}T00:00:00.000Z`,
  });
  for (const row of records.runItems) writer.item(id, row);
  for (const row of records.steps) writer.step(id, row);
  writer.flush();
  // Only what is not stored yet: a stored failed judgement would otherwise count another attempt.
  const stored = store.results(records.results.map((r) => r.key));
  store.saveResults(records.results.filter((r) => !stored.has(r.key)));
}
