/** Loads suite files (YAML or JSON) of either kind into expanded, validated suites. */
import { CareprobeError } from "../core/errors.js";
import type { ChoiceSuite, Suite } from "../core/types.js";
import { loadConversationsSuiteText } from "../experiments/conversations/suite.js";
import { expandChoiceSuite } from "./expand.js";
import { parseAndValidate, readSuiteText } from "./parse-file.js";
import { expandResponsesSuite } from "./responses.js";
import { responsesSuiteSchema } from "./responses-schema.js";
import { choiceSuiteSchema } from "./schema.js";

/** Loads and expands a suite file; errors name the file and line. */
export function loadSuiteFile(file: string): Suite {
  return loadSuiteText(readSuiteText(file), file);
}

/** The `kind` decides the schema; a file without a known kind gets one clear message. */
export function loadSuiteText(text: string, file: string): Suite {
  const kind =
    /^kind:\s*["']?([a-z-]+)/m.exec(text)?.[1] ?? /"kind"\s*:\s*"([a-z-]+)"/.exec(text)?.[1];
  if (kind === "responses") {
    return expandResponsesSuite(parseAndValidate(text, file, responsesSuiteSchema), file);
  }
  if (kind === "conversations") return loadConversationsSuiteText(text, file);
  if (kind === "multiple-choice" || kind === undefined) return loadChoiceSuiteText(text, file);
  throw new CareprobeError(
    "SUITE_INVALID",
    `${file}: unknown suite kind \`${kind}\`; expected multiple-choice, responses or conversations`,
  );
}

export function loadChoiceSuiteText(text: string, file: string): ChoiceSuite {
  return expandChoiceSuite(parseAndValidate(text, file, choiceSuiteSchema), file);
}

/** Loads a file that must be a multiple-choice suite. */
export function loadChoiceSuiteFile(file: string): ChoiceSuite {
  return loadChoiceSuiteText(readSuiteText(file), file);
}
