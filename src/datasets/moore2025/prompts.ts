/**
 * The therapist prompts of Moore et al. (2025), read from the authors' own `utils.py` in
 * the verified copy of the pinned commit: the steel-man prompt the paper ran, and the
 * other papers' prompts it collected in OTHER_PAPER_PROMPTS. Reading them from the file
 * (rather than retyping them) keeps every character as the paper sent it.
 */
import { CareprobeError } from "../../core/errors.js";
import { readPublishedFile } from "./fetch.js";

export const UTILS_PY = "utils.py";

/** The value of a Python string literal body in triple quotes, escapes applied. */
export function pythonStringBody(body: string): string {
  return body.replace(/\\(\r?\n|\\|'|"|n|t)/g, (_match, escaped: string) => {
    if (escaped === "n") return "\n";
    if (escaped === "t") return "\t";
    if (escaped === "\\" || escaped === "'" || escaped === '"') return escaped;
    return ""; // a backslash at the end of a line joins it with the next
  });
}

function missing(what: string, file: string): CareprobeError {
  return new CareprobeError(
    "DATA_INVALID",
    `${file} of Moore et al. (2025) has no ${what}; run \`careprobe fetch moore2025\` again to restore the published file.`,
  );
}

/** `NAME = """..."""` or `NAME = f"""..."""` at the top level of a Python file. */
export function pythonConstant(source: string, name: string, file: string): string {
  const match = new RegExp(`^${name} = f?"""([\\s\\S]*?)"""`, "m").exec(source);
  if (!match) throw missing(name, file);
  return pythonStringBody(match[1] ?? "");
}

/** The entries of `OTHER_PAPER_PROMPTS = { "key": """...""", ... }`, in file order. */
export function otherPaperPrompts(source: string, file: string): Map<string, string> {
  const start = source.indexOf("OTHER_PAPER_PROMPTS = {");
  const end = source.indexOf("\n}", start);
  if (start === -1 || end === -1) throw missing("OTHER_PAPER_PROMPTS", file);
  const prompts = new Map<string, string>();
  for (const match of source
    .slice(start, end)
    .matchAll(/"([A-Za-z0-9_]+)":\s*f?"""([\s\S]*?)"""/g)) {
    prompts.set(match[1] ?? "", pythonStringBody(match[2] ?? ""));
  }
  if (prompts.size === 0) throw missing("OTHER_PAPER_PROMPTS", file);
  return prompts;
}

export interface Moore2025Prompts {
  steelMan: string;
  otherPapers: Map<string, string>;
}

/** The prompts from the verified copy in `dir` (see requireMoore2025). */
export function loadMoore2025Prompts(dir: string): Moore2025Prompts {
  const source = readPublishedFile(dir, UTILS_PY);
  return {
    steelMan: pythonConstant(source, "STEEL_MAN_PROMPT", UTILS_PY),
    otherPapers: otherPaperPrompts(source, UTILS_PY),
  };
}
