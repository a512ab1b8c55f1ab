/**
 * Loads multiple-choice suite files (YAML or JSON). Files of any kind are loaded by the
 * catalog (catalog/load-suite.ts), which asks the experiment of the file's `kind`.
 */
import type { ChoiceSuite } from "../core/types.js";
import { expandChoiceSuite } from "./expand.js";
import { type ParsedFile, parseYamlFile, readSuiteText, validateParsed } from "./parse-file.js";
import { choiceSuiteSchema } from "./schema.js";

const CHOICE_DOCS = "See docs/design/stigma-suite.md for the multiple-choice suite format.";

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
