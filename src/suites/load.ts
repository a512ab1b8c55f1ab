/** Loads suite files (YAML or JSON) into expanded, validated suites. */

import type { Suite } from "../core/types.js";
import { expandChoiceSuite } from "./expand.js";
import { parseAndValidate, readSuiteText } from "./parse-file.js";
import { choiceSuiteSchema } from "./schema.js";

/** Loads and expands a suite file; errors name the file and line. */
export function loadSuiteFile(file: string): Suite {
  return loadSuiteText(readSuiteText(file), file);
}

export function loadSuiteText(text: string, file: string): Suite {
  const parsed = parseAndValidate(text, file, choiceSuiteSchema);
  return expandChoiceSuite(parsed, file);
}
