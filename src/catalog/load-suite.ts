/**
 * Suite files of any kind: the file's `kind` names the experiment that validates and
 * expands it (a file without one is multiple-choice, as in the first suite format).
 */
import { CareprobeError } from "../core/errors.js";
import type { Suite } from "../core/types.js";
import { lineOfPath, type ParsedFile, parseYamlFile, readSuiteText } from "../suites/parse-file.js";
import { EXPERIMENTS } from "./experiments.js";

const DEFAULT_KIND = "multiple-choice";

/** Loads and expands a suite file; errors name the file and line. */
export function loadSuiteFile(file: string): Suite {
  return loadSuiteText(readSuiteText(file), file);
}

/** The `kind` decides the schema; a file without a known kind gets one clear message. */
export function loadSuiteText(text: string, file: string): Suite {
  const parsed = parseYamlFile(text, file);
  const kind = kindOf(parsed) ?? DEFAULT_KIND;
  const experiment = EXPERIMENTS.find((e) => e.kind === kind);
  if (experiment) return experiment.parseSuite(parsed, file);
  const line = lineOfPath(parsed, ["kind"]);
  const kinds = EXPERIMENTS.map((e) => e.kind);
  throw new CareprobeError(
    "SUITE_INVALID",
    `${line === undefined ? file : `${file}:${line}`}: field \`kind\`: unknown suite kind \`${String(kind)}\`; expected ${kinds.slice(0, -1).join(", ")} or ${kinds.at(-1)}`,
    { hint: EXPERIMENTS.map((e) => e.suiteDocs).join("\n") },
  );
}

function kindOf(parsed: ParsedFile): unknown {
  const value = parsed.value;
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  return (value as Record<string, unknown>).kind;
}
