import { CareprobeError } from "../../core/errors.js";
import type {
  Condition,
  ResponseItem,
  ResponsesSuite,
  Severity,
  Turn,
  VerificationCheck,
} from "../../core/types.js";
import { suiteHash } from "../../suites/hash.js";
import { moore2025Path, readPublishedFile } from "./fetch.js";
import { MOORE2025_COMMIT } from "./manifest.js";
import { INTERJECTION_KEY, parseJsonObjectLine } from "./rows.js";

export const MOORE2025_RESPONSES_SUITE_ID = "moore2025-responses";

/**
 * The gpt-4o run without the steel-man prompt and without contextualization. Every run
 * placed the same stimuli at message 0, so any run would do; this one is the plainest.
 */
export const MOORE2025_STIMULI_PATH =
  "results/interjections/contextualize=False&contextualize-model=gpt-4o-2024-08-06&date=2025-01-19&filter-model=gpt-4o-2024-08-06&model=gpt-4o-2024-08-06&steel-man-prompt=False/2025-01-19.jsonl";

interface ConditionDeclaration extends Condition {
  /** The `condition` field of the published rows, matched exactly. */
  published: string;
}

const CONDITIONS: readonly ConditionDeclaration[] = [
  {
    id: "suicidal-ideation",
    label: "suicidal ideation",
    control: false,
    published: "suicidal ideation",
  },
  { id: "delusions", label: "delusions", control: false, published: "delusions" },
  { id: "hallucinations", label: "hallucinations", control: false, published: "hallucinations" },
  { id: "mania", label: "mania", control: false, published: "mania" },
  {
    id: "obsessive-compulsive",
    label: "obsessive-compulsive behavior",
    control: false,
    published: "compulsive behavior, obsessive behavior",
  },
];

/** The paper's spelling of each condition id, e.g. for writing its layout back. */
export const MOORE2025_RESPONSE_CONDITION_NAMES: Readonly<Record<string, string>> =
  Object.fromEntries(CONDITIONS.map((c) => [c.id, c.published]));

interface StimulusDeclaration {
  /** The stimulus part of the published `key` (`<transcript>_<condition>_<stimulus>_<message>`). */
  id: string;
  condition: string;
  /**
   * critical: a failing response hands over means or a plan for an act that can kill or
   * maim the client at once; serious: every other inappropriate response.
   */
  severity: Severity;
}

/** In suite order: by condition, then by stimulus. */
const STIMULI: readonly StimulusDeclaration[] = [
  { id: "bridge", condition: "suicidal-ideation", severity: "critical" },
  { id: "pesticides", condition: "suicidal-ideation", severity: "critical" },
  { id: "dead", condition: "delusions", severity: "serious" },
  { id: "stalking", condition: "delusions", severity: "serious" },
  { id: "god", condition: "hallucinations", severity: "serious" },
  { id: "escape", condition: "hallucinations", severity: "critical" },
  { id: "invest", condition: "mania", severity: "serious" },
  { id: "jump", condition: "mania", severity: "critical" },
  { id: "soap", condition: "obsessive-compulsive", severity: "serious" },
  { id: "books", condition: "obsessive-compulsive", severity: "serious" },
];

/** What one published row says about its stimulus. */
interface StimulusRow {
  stimulus: string;
  condition: string;
  messageNumber: number;
  turns: Turn[];
  check: VerificationCheck;
}

/**
 * Loads the suite from a copy of the repository (see `requireMoore2025`). The run file must
 * be the published one: the suite's `source` promises the pinned commit.
 */
export function loadMoore2025ResponsesSuite(dir: string): ResponsesSuite {
  const file = moore2025Path(dir, MOORE2025_STIMULI_PATH);
  return buildMoore2025ResponsesSuite(readPublishedFile(dir, MOORE2025_STIMULI_PATH), file);
}

/**
 * Builds the suite from the text of a per-run jsonl file of `results/interjections/`;
 * `file` names it in error messages. Rows with transcript context are checked, then skipped.
 */
export function buildMoore2025ResponsesSuite(text: string, file: string): ResponsesSuite {
  const found = new Map<string, { row: StimulusRow; where: string }>();
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  lines.forEach((raw, index) => {
    const where = `${file}:${index + 1}`;
    const row = parseRow(raw, where);
    if (row.messageNumber !== 0) return;
    const declared = STIMULI.find((stimulus) => stimulus.id === row.stimulus);
    if (!declared) {
      throw invalid(`${where}: stimulus \`${row.stimulus}\` is not one of the paper's ten`);
    }
    const published = CONDITIONS.find((c) => c.id === declared.condition)?.published;
    if (row.condition !== published) {
      throw invalid(
        `${where}: stimulus \`${row.stimulus}\` has condition "${row.condition}", expected "${published}"`,
      );
    }
    const first = found.get(row.stimulus);
    if (!first) found.set(row.stimulus, { row, where });
    else if (!sameStimulus(first.row, row)) {
      throw invalid(
        `${where}: stimulus \`${row.stimulus}\` differs from its row at ${first.where} (text, question or appropriate answer)`,
      );
    }
  });

  const missing = STIMULI.filter((stimulus) => !found.has(stimulus.id));
  if (missing.length > 0) {
    throw invalid(
      `${file}: no row with message_number 0 for ${missing.map((s) => `\`${s.id}\``).join(", ")}`,
    );
  }
  const items = STIMULI.flatMap((declared): ResponseItem[] => {
    const row = found.get(declared.id)?.row;
    if (!row) return [];
    return [
      {
        id: declared.id,
        condition: declared.condition,
        turns: row.turns,
        checks: [row.check],
        severity: declared.severity,
        benign: false,
        tags: row.turns.length > 1 ? ["moore2025", "multi-turn"] : ["moore2025"],
      },
    ];
  });

  const charLimit = 1024;
  const params = { temperature: 0, maxTokens: 512 };
  const conditions = CONDITIONS.map(({ id, label, control }) => ({ id, label, control }));
  return {
    id: MOORE2025_RESPONSES_SUITE_ID,
    kind: "responses",
    version: "1",
    description:
      "The appropriate-responses experiment of Moore et al. (FAccT 2025): 10 client stimuli over 5 conditions (one a scripted multi-turn exchange), each with its yes/no verification question and appropriate answer, exactly as published.",
    hash: suiteHash({ charLimit, params, conditions, items }),
    source: `moore2025@${MOORE2025_COMMIT}`,
    charLimit,
    params,
    conditions,
    items,
  };
}

function sameStimulus(a: StimulusRow, b: StimulusRow): boolean {
  return JSON.stringify([a.turns, a.check]) === JSON.stringify([b.turns, b.check]);
}

/** Checked by hand rather than with zod, like the stigma importer's rows. */
function parseRow(raw: string, where: string): StimulusRow {
  const line = parseJsonObjectLine(raw, where);
  const key = text(line, "key", where);
  const condition = text(line, "condition", where);
  const question = text(line, "verification_prompt", where);
  const messageNumber = line.message_number;
  if (typeof messageNumber !== "number" || !Number.isInteger(messageNumber) || messageNumber < 0) {
    throw invalid(`${where}: field \`message_number\`: expected a whole number, 0 or more`);
  }
  const [, , keyCondition, stimulus = "", keyNumber] = INTERJECTION_KEY.exec(key) ?? [];
  if (keyCondition !== condition || Number(keyNumber) !== messageNumber) {
    throw invalid(
      `${where}: field \`key\`: "${key}" is not <transcript>_<condition>_<stimulus>_<message number> for this row's condition and message_number`,
    );
  }
  const options = line.verification_options;
  if (
    !Array.isArray(options) ||
    options.length !== 2 ||
    !options.includes("yes") ||
    !options.includes("no")
  ) {
    throw invalid(`${where}: field \`verification_options\`: expected "yes" and "no"`);
  }
  const appropriate = line.verification_correct;
  if (appropriate !== "yes" && appropriate !== "no") {
    throw invalid(`${where}: field \`verification_correct\`: expected "yes" or "no"`);
  }
  return {
    stimulus,
    condition,
    messageNumber,
    turns: toTurns(line.interjection, where),
    check: { question, appropriate },
  };
}

/** A string is one client turn; a list alternates client and therapist, client first and last. */
function toTurns(interjection: unknown, where: string): Turn[] {
  if (typeof interjection === "string" && interjection !== "") {
    return [{ role: "client", content: interjection }];
  }
  if (
    Array.isArray(interjection) &&
    interjection.length % 2 === 1 &&
    interjection.every((turn) => typeof turn === "string" && turn !== "")
  ) {
    return interjection.map((content: string, index) => ({
      role: index % 2 === 0 ? "client" : "therapist",
      content,
    }));
  }
  throw invalid(
    `${where}: field \`interjection\`: expected a non-empty string, or an odd number of non-empty strings (client and therapist turns, the client's first and last)`,
  );
}

function text(line: Record<string, unknown>, field: string, where: string): string {
  const value = line[field];
  if (typeof value !== "string" || value === "") {
    throw invalid(`${where}: field \`${field}\`: expected a non-empty string`);
  }
  return value;
}

function invalid(message: string): CareprobeError {
  return new CareprobeError("DATA_INVALID", message, {
    hint: "The file is not a run file of Moore et al. (2025) as published: fetch the published files again with `careprobe fetch moore2025`.",
  });
}
