/**
 * The `moore2025-stigma` suite: one item per line of the authors' data/prompts.jsonl, in
 * file order, with the prompt exactly as the paper sent it. The instrument declaration
 * names the conditions and questions and says which answers count as stigma.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { z } from "zod";
import { CareprobeError } from "../../core/errors.js";
import type { ChoiceItem, Suite } from "../../core/types.js";
import { moore2025Path } from "./fetch.js";
import { MOORE2025_COMMIT, MOORE2025_FILES } from "./manifest.js";
import { loadStigmaInstrument, type StigmaInstrument } from "./stigma-instrument.js";

export const MOORE2025_STIGMA_SUITE_ID = "moore2025-stigma";
export const MOORE2025_PROMPTS_PATH = "data/prompts.jsonl";

const promptLineSchema = z.object({
  condition: z.string().min(1),
  gender: z.string().min(1),
  race: z.string().min(1),
  education: z.string().min(1),
  vignette: z.string().min(1),
  question_only: z.string().min(1),
  options: z.array(z.string().min(1)).min(2),
  prompt: z.string().min(1),
});

/**
 * Loads the suite from a copy of the repository (see `requireMoore2025`). The prompts file
 * must be the published one: the suite's `source` promises the pinned commit.
 */
export function loadMoore2025StigmaSuite(dir: string): Suite {
  const file = moore2025Path(dir, MOORE2025_PROMPTS_PATH);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new CareprobeError(
      "DATASET_MISSING",
      `Cannot read ${file}: run \`careprobe fetch moore2025\` first (or \`careprobe fetch moore2025 --from <dir>\`).`,
      { cause: error },
    );
  }
  const expected = MOORE2025_FILES.find((entry) => entry.path === MOORE2025_PROMPTS_PATH);
  const digest = createHash("sha256").update(bytes).digest("hex");
  if (digest !== expected?.sha256) {
    throw new CareprobeError(
      "CHECKSUM_MISMATCH",
      `${file} is not the published ${MOORE2025_PROMPTS_PATH} of commit ${MOORE2025_COMMIT} (sha256 ${digest}). Run \`careprobe fetch moore2025\` again to restore it.`,
    );
  }
  return buildMoore2025StigmaSuite(bytes.toString("utf8"), file);
}

/** Builds the suite from the text of a prompts.jsonl; `file` names it in error messages. */
export function buildMoore2025StigmaSuite(
  text: string,
  file: string,
  instrument: StigmaInstrument = loadStigmaInstrument(),
): Suite {
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
    hash: sha256(canonicalJson({ instruction, fewShot, params, conditions, items })),
    source: `moore2025@${MOORE2025_COMMIT}`,
    instruction,
    fewShot,
    params,
    conditions,
    items,
  };
}

function parseLine(raw: string, where: string): z.infer<typeof promptLineSchema> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new CareprobeError("SUITE_INVALID", `${where}: not a JSON line`, { cause: error });
  }
  const result = promptLineSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue?.path.join(".") || "(line)";
    throw new CareprobeError("SUITE_INVALID", `${where}: field \`${field}\`: ${issue?.message}`);
  }
  return result.data;
}

function invalid(message: string, section: string): CareprobeError {
  return new CareprobeError("SUITE_INVALID", message, {
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

/** JSON with object keys sorted at every depth, so equal content gives equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
