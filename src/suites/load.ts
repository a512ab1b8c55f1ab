/** Loads suite files (YAML or JSON) of either kind into expanded, validated suites. */
import { CareprobeError } from "../core/errors.js";
import type { ChoiceSuite, Suite } from "../core/types.js";
import { expandChoiceSuite } from "./expand.js";
import {
  lineOfPath,
  type ParsedFile,
  parseYamlFile,
  readSuiteText,
  validateParsed,
} from "./parse-file.js";
import { expandResponsesSuite } from "./responses.js";
import { responsesSuiteSchema } from "./responses-schema.js";
import { choiceSuiteSchema } from "./schema.js";

const CHOICE_DOCS = "See docs/design/stigma-suite.md for the multiple-choice suite format.";
const RESPONSES_DOCS = "See docs/design/responses-suite.md for the responses suite format.";

/** Loads and expands a suite file; errors name the file and line. */
export function loadSuiteFile(file: string): Suite {
  return loadSuiteText(readSuiteText(file), file);
}

/** The `kind` decides the schema; a file without a known kind gets one clear message. */
export function loadSuiteText(text: string, file: string): Suite {
  const parsed = parseYamlFile(text, file);
  const kind = kindOf(parsed);
  if (kind === "responses") {
    const valid = validateParsed(parsed, file, responsesSuiteSchema, { hint: RESPONSES_DOCS });
    return expandResponsesSuite(valid, file);
  }
  if (kind === "multiple-choice" || kind === undefined) return choiceSuite(parsed, file);
  const line = lineOfPath(parsed, ["kind"]);
  throw new CareprobeError(
    "SUITE_INVALID",
    `${line === undefined ? file : `${file}:${line}`}: field \`kind\`: unknown suite kind \`${String(kind)}\`; expected multiple-choice or responses`,
    { hint: `${CHOICE_DOCS}\n${RESPONSES_DOCS}` },
  );
}

function kindOf(parsed: ParsedFile): unknown {
  const value = parsed.value;
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  return (value as Record<string, unknown>).kind;
}

function choiceSuite(parsed: ParsedFile, file: string): ChoiceSuite {
  return expandChoiceSuite(
    validateParsed(parsed, file, choiceSuiteSchema, { hint: CHOICE_DOCS }),
    file,
  );
}

export function loadChoiceSuiteText(text: string, file: string): ChoiceSuite {
  return choiceSuite(parseYamlFile(text, file), file);
}

/** Loads a file that must be a multiple-choice suite. */
export function loadChoiceSuiteFile(file: string): ChoiceSuite {
  return loadChoiceSuiteText(readSuiteText(file), file);
}
