/**
 * Reads a YAML or JSON file and validates it against a zod schema, turning every
 * problem into one message that names the file, the line and the field.
 */
import { readFileSync } from "node:fs";
import { LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import { CareprobeError } from "../core/errors.js";

type PathKey = string | number;

function lineOf(lineCounter: LineCounter, offset: number | undefined): number | undefined {
  if (offset === undefined) return undefined;
  return lineCounter.linePos(offset).line;
}

/** Parses `text` (from `file`) and validates it; throws SUITE_INVALID with file:line. */
export function parseAndValidate<S extends z.ZodType>(
  text: string,
  file: string,
  schema: S,
): z.infer<S> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const syntaxError = doc.errors[0];
  if (syntaxError) {
    const line = lineOf(lineCounter, syntaxError.pos[0]);
    const where = line === undefined ? file : `${file}:${line}`;
    throw new CareprobeError(
      "SUITE_INVALID",
      `${where}: not valid YAML/JSON: ${syntaxError.message.split("\n")[0]}`,
      { hint: "Fix the syntax at that line (indentation, quotes, colons)." },
    );
  }
  const result = schema.safeParse(doc.toJS());
  if (result.success) return result.data;
  const messages = result.error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.filter((key): key is PathKey => typeof key !== "symbol");
    const line = locate(doc, lineCounter, path);
    const where = line === undefined ? file : `${file}:${line}`;
    const field = path.length > 0 ? path.join(".") : "(top level)";
    return `${where}: field \`${field}\`: ${issue.message}`;
  });
  const more =
    result.error.issues.length > 5 ? `\n(and ${result.error.issues.length - 5} more)` : "";
  throw new CareprobeError("SUITE_INVALID", `${messages.join("\n")}${more}`, {
    hint: "See docs/design/stigma-suite.md for the suite format.",
  });
}

/** The line of the deepest node on `path` that exists in the document. */
function locate(
  doc: ReturnType<typeof parseDocument>,
  lineCounter: LineCounter,
  path: PathKey[],
): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true) as { range?: [number, number, number] };
    if (node && typeof node === "object" && node.range) return lineOf(lineCounter, node.range[0]);
  }
  return undefined;
}

export function readSuiteText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CareprobeError(
      "SUITE_NOT_FOUND",
      code === "ENOENT"
        ? `Suite file not found: ${file}`
        : `Cannot read suite file ${file} (${code ?? "unknown error"})`,
      {
        hint: "Pass a built-in suite name (see `careprobe suites`) or a path to a .yaml/.json file.",
      },
    );
  }
}
