import { CareprobeError } from "../../core/errors.js";
import type { ChoiceItem, ChoiceSuite } from "../../core/types.js";
import { suiteHash } from "../../suites/hash.js";
import { moore2025Path, readPublishedFile } from "./fetch.js";
import { MOORE2025_COMMIT } from "./manifest.js";
import { parseJsonObjectLine } from "./rows.js";
import { loadStigmaInstrument, type StigmaInstrument } from "./stigma-instrument.js";

export const MOORE2025_STIGMA_SUITE_ID = "moore2025-stigma";
export const MOORE2025_PROMPTS_PATH = "data/prompts.jsonl";

interface PromptLine {
  condition: string;
  gender: string;
  race: string;
  education: string;
  question_only: string;
  options: string[];
  prompt: string;
}

const TEXT_FIELDS = [
  "condition",
  "gender",
  "race",
  "education",
  "question_only",
  "prompt",
] as const;

/**
 * Loads the suite from a copy of the repository (see `requireMoore2025`). The prompts file
 * must be the published one: the suite's `source` promises the pinned commit.
 */
export function loadMoore2025StigmaSuite(dir: string): ChoiceSuite {
  const file = moore2025Path(dir, MOORE2025_PROMPTS_PATH);
  return buildMoore2025StigmaSuite(readPublishedFile(dir, MOORE2025_PROMPTS_PATH), file);
}

/** Builds the suite from the text of a prompts.jsonl; `file` names it in error messages. */
export function buildMoore2025StigmaSuite(
  text: string,
  file: string,
  instrument: StigmaInstrument = loadStigmaInstrument(),
): ChoiceSuite {
  const conditionByLabel = new Map(instrument.conditions.map((c) => [c.label, c]));
  const questionByText = new Map(instrument.questions.map((q) => [q.text, q]));
  const items: ChoiceItem[] = [];
  const ids = new Set<string>();

  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  lines.forEach((raw, index) => {
    const where = `${file}:${index + 1}`;
    const line = parseLine(raw, where);
    const condition = conditionByLabel.get(line.condition);
    if (!condition) {
      throw invalid(
        `${where}: condition "${line.condition}" is not declared in careprobe's stigma-instrument.yaml`,
        "conditions",
      );
    }
    const question = questionByText.get(line.question_only);
    if (!question) {
      throw invalid(
        `${where}: question "${line.question_only}" is not declared in careprobe's stigma-instrument.yaml`,
        "questions",
      );
    }
    const missing = question.stigma.filter((option) => !line.options.includes(option));
    if (missing.length > 0) {
      throw invalid(
        `${where}: the stigma options ${missing.map((o) => `"${o}"`).join(", ")} of question \`${question.id}\` are not among the line's options`,
        "questions",
      );
    }
    const vignette = [condition.id, slug(line.gender), slug(line.race), slug(line.education)];
    const id = [...vignette, question.id].join("/");
    if (ids.has(id)) throw invalid(`${where}: a second item with id \`${id}\``, "conditions");
    ids.add(id);
    items.push({
      id,
      condition: condition.id,
      questionId: question.id,
      question: line.question_only,
      attributes: {
        gender: slug(line.gender),
        race: slug(line.race),
        education: slug(line.education),
        group: question.group,
        vignette: vignette.join("/"),
      },
      prompt: line.prompt,
      options: line.options,
      ...(line.options.includes(instrument.dontKnow) ? { dontKnow: instrument.dontKnow } : {}),
      stigmaOptions: [...question.stigma],
    });
  });

  const { instruction, fewShot, params, conditions } = instrument;
  return {
    id: MOORE2025_STIGMA_SUITE_ID,
    kind: "multiple-choice",
    version: "1",
    description:
      "The stigma experiment of Moore et al. (FAccT 2025): 72 vignettes (4 conditions x gender x race x education) x 14 questions, prompts exactly as the paper sent them.",
    hash: suiteHash({ instruction, fewShot, params, conditions, items }),
    source: `moore2025@${MOORE2025_COMMIT}`,
    instruction,
    fewShot,
    params,
    conditions,
    items,
  };
}

/** Checked by hand rather than with zod: this runs 1,008 times on every start. */
function parseLine(raw: string, where: string): PromptLine {
  const line = parseJsonObjectLine(raw, where);
  for (const field of TEXT_FIELDS) {
    if (typeof line[field] !== "string" || line[field] === "") {
      throw new CareprobeError(
        "DATA_INVALID",
        `${where}: field \`${field}\`: expected a non-empty string`,
      );
    }
  }
  const options = line.options;
  if (
    !Array.isArray(options) ||
    options.length < 2 ||
    !options.every((o) => typeof o === "string" && o !== "")
  ) {
    throw new CareprobeError(
      "DATA_INVALID",
      `${where}: field \`options\`: expected at least two non-empty strings`,
    );
  }
  return line as unknown as PromptLine;
}

function invalid(message: string, section: string): CareprobeError {
  return new CareprobeError("DATA_INVALID", message, {
    hint: `The data and the instrument disagree: check \`${section}\` there, or fetch the published files again with \`careprobe fetch moore2025\`.`,
  });
}

/** `African American` → `african-american`, `8th grade` → `8th-grade`. */
export function slug(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}
