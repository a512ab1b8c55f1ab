/**
 * Reads a YAML or JSON file and validates it against a zod schema, turning every
 * problem into one message that names the file, the line and the field.
 */
import { LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import { CareprobeError, type ErrorCode } from "../core/errors.js";
import { readInputText } from "../core/input-file.js";

type PathKey = string | number;
type Document = ReturnType<typeof parseDocument>;

/** More aliases than any hand-written file needs; a "billion laughs" file has thousands. */
export const MAX_ALIASES = 100;

export interface ParseOptions {
  /** The code of every error (default SUITE_INVALID). */
  code?: ErrorCode;
  /** Where the format is documented, shown under schema errors. */
  hint?: string;
}

function lineOf(lineCounter: LineCounter, offset: number | undefined): number | undefined {
  if (offset === undefined) return undefined;
  return lineCounter.linePos(offset).line;
}

/** A parsed YAML/JSON document with its line index; syntax errors and alias bombs throw. */
export interface ParsedFile {
  doc: Document;
  lineCounter: LineCounter;
  value: unknown;
}

export function parseYamlFile(text: string, file: string, options: ParseOptions = {}): ParsedFile {
  const code = options.code ?? "SUITE_INVALID";
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const syntaxError = doc.errors[0];
  if (syntaxError) {
    const line = lineOf(lineCounter, syntaxError.pos[0]);
    const where = line === undefined ? file : `${file}:${line}`;
    throw new CareprobeError(
      code,
      `${where}: not valid YAML/JSON: ${syntaxError.message.split("\n")[0]}`,
      { hint: "Fix the syntax at that line (indentation, quotes, colons)." },
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    // The yaml library refuses documents whose aliases would expand without bound.
    throw new CareprobeError(
      code,
      `${file}: too many YAML aliases (${(error as Error).message.split("\n")[0]}); at most ${MAX_ALIASES} are expanded.`,
      { hint: "Write the repeated parts out, or use fewer `*alias` references." },
    );
  }
  return { doc, lineCounter, value };
}

/** The line of a path in a parsed file (the deepest node on it that exists). */
export function lineOfPath(parsed: ParsedFile, path: PathKey[]): number | undefined {
  return locate(parsed.doc, parsed.lineCounter, path);
}

/** Parses `text` (from `file`) and validates it; throws SUITE_INVALID with file:line. */
export function parseAndValidate<S extends z.ZodType>(
  text: string,
  file: string,
  schema: S,
  options: ParseOptions = {},
): z.infer<S> {
  const parsed = parseYamlFile(text, file, options);
  return validateParsed(parsed, file, schema, options);
}

export function validateParsed<S extends z.ZodType>(
  parsed: ParsedFile,
  file: string,
  schema: S,
  options: ParseOptions = {},
): z.infer<S> {
  const result = schema.safeParse(parsed.value);
  if (result.success) return result.data;
  const messages = result.error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.filter((key): key is PathKey => typeof key !== "symbol");
    // An unknown key is reported on its object; point at the key itself.
    const keys = issue.code === "unrecognized_keys" ? issue.keys : [];
    const at = keys.length > 0 ? [...path, keys[0] as string] : path;
    const line = lineOfKey(parsed, at) ?? locate(parsed.doc, parsed.lineCounter, path);
    const where = line === undefined ? file : `${file}:${line}`;
    const field = at.length > 0 ? at.join(".") : "(top level)";
    const message =
      keys.length > 0
        ? `unknown field${keys.length > 1 ? "s" : ""} ${keys.map((k) => `\`${k}\``).join(", ")} (misspelt?)`
        : issue.message;
    return `${where}: field \`${field}\`: ${message}`;
  });
  const more =
    result.error.issues.length > 5 ? `\n(and ${result.error.issues.length - 5} more)` : "";
  throw new CareprobeError(options.code ?? "SUITE_INVALID", `${messages.join("\n")}${more}`, {
    hint: options.hint ?? "See docs/design/stigma-suite.md for the suite format.",
  });
}

/** The line of a mapping key (not its value), when the key exists. */
function lineOfKey(parsed: ParsedFile, path: PathKey[]): number | undefined {
  if (path.length === 0) return undefined;
  const parent = parsed.doc.getIn(path.slice(0, -1), true) as {
    items?: { key?: { value?: unknown; range?: [number, number, number] } }[];
  };
  const name = path[path.length - 1];
  const pair = parent?.items?.find((item) => item.key?.value === name);
  return pair?.key?.range ? lineOf(parsed.lineCounter, pair.key.range[0]) : undefined;
}

/** The line of the deepest node on `path` that exists in the document. */
function locate(doc: Document, lineCounter: LineCounter, path: PathKey[]): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true) as { range?: [number, number, number] };
    if (node && typeof node === "object" && node.range) return lineOf(lineCounter, node.range[0]);
  }
  return undefined;
}

export function readSuiteText(file: string): string {
  return readInputText(file, {
    what: "suite file",
    kind: "suite",
    code: "SUITE_NOT_FOUND",
    hint: "Pass a built-in suite name (see `careprobe suites`) or a path to a .yaml/.json file.",
  });
}
