/**
 * Reads a multiple-choice answer out of what a model actually wrote. The rule is to
 * never guess: a reading needs an answer statement (a letter in a recognised form, or
 * an option text standing as the answer) and nothing in the text may point at a second
 * option. Everything else is `unparsed` with a reason a person can check.
 * See docs/design/answer-extraction.md.
 */
import { internalError } from "../core/errors.js";
import type { ChoiceParse } from "../core/types.js";

/** Changes whenever a parse of some text could change; stored with every judgement. */
export const CHOICE_PARSER_VERSION = "1";

/** Letters for option indexes: 0 → A. */
export function letterFor(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index > 25) {
    throw internalError(`option index ${index} has no letter (0–25 do)`);
  }
  return String.fromCharCode(65 + index);
}

/** An answer statement found in the text. */
interface Statement {
  at: number;
  index: number;
  how: string;
}

/** What stands right after a letter: a whole option text, or a cut-off start of one. */
type Beside = { kind: "full"; index: number; text: string } | { kind: "prefix"; indexes: number[] };

// "A" and "I" are English words, so they need stricter evidence than other letters.
const WORD_LETTERS = new Set(["A", "I"]);
const BRACKETED = /[([][ \t]*([A-Z])[ \t]*[)\]]/g;
const LEADING = /^[\s"'“‘>#-]*([A-Z])(?![A-Za-z0-9'’])/;
const CUE =
  /(?<![A-Za-z])(?:[Aa]nswer|[Oo]ption|[Cc]hoice|[Cc]hoose|[Cc]hose|[Ss]elect(?:ed)?|[Pp]ick(?:ed)?|[Gg]o with)(?:\s+(?:is|would be|will be))?\s*[:=-]?[ \t]*/g;
const LOOSE = /(?<![A-Za-z0-9'’.-])([A-Z])(?![A-Za-z0-9'’])/g;
const SEPARATORS = /^[ \t:.)\]=–—-]*/;
// After an option text given as the answer: the end, punctuation or a line break.
const TEXT_END = /^(?:\s*$|[\n.,;:!?)"'’”–—-]|[ \t]+[–—-])/;

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && /[A-Za-z0-9]/.test(ch);
}

/** The option whose text `rest` starts with (longest wins), or the options it is a cut-off start of. */
function besideText(rest: string, options: string[]): Beside | null {
  const lower = rest.toLowerCase();
  let best: Beside | null = null;
  for (const [index, option] of options.entries()) {
    const o = option.toLowerCase();
    if (o === "" || !lower.startsWith(o) || isWordChar(rest[o.length])) continue;
    if (best?.kind !== "full" || o.length > best.text.length)
      best = { kind: "full", index, text: option };
  }
  if (best !== null) return best;
  // Only the very end of the text can be a cut-off option ("(C) Probably").
  const tail = lower.trim();
  if (tail === "" || tail.includes("\n")) return null;
  const indexes = options.flatMap((o, i) => (o.toLowerCase().startsWith(tail) ? [i] : []));
  return indexes.length > 0 ? { kind: "prefix", indexes } : null;
}

/** The option whose text ends `before` (longest wins): "Very likely (C)" puts D before C. */
function textBefore(before: string, options: string[]): { index: number; text: string } | null {
  const lower = before.replace(/[ \t:=–—-]*$/, "").toLowerCase();
  let best: { index: number; text: string } | null = null;
  for (const [index, option] of options.entries()) {
    const o = option.toLowerCase();
    if (o === "" || !lower.endsWith(o) || isWordChar(lower[lower.length - o.length - 1])) continue;
    if (best === null || o.length > best.text.length) best = { index, text: option };
  }
  return best;
}

/** Whether what follows a capital letter makes it an answer letter rather than a word. */
function letterFollows(after: string, letter: string): boolean {
  if (/^\.[A-Za-z]/.test(after)) return false; // "E.g.", "U.S."
  if (/^(?:\s*$|[.,;:!?)\]\n–—-])/.test(after)) return true;
  const space = /^[ \t]+/.exec(after);
  if (space === null) return false;
  if (/^(?:$|[\n(–—-])/.test(after.slice(space[0].length))) return true;
  // "C is my answer" is a letter; "A person" and "I do not know" are words.
  return !WORD_LETTERS.has(letter);
}

/** Letters standing alone, e.g. "A or B", "maybe D."; used only to detect a second option. */
function looseLetters(text: string, count: number): number[] {
  const found: number[] = [];
  for (const m of text.matchAll(LOOSE)) {
    const after = text.slice((m.index ?? 0) + 1);
    if (/^\.[A-Za-z]/.test(after)) continue;
    if (/^(?:$|[.,;:!?)\]/]|\s*$|\s+(?:or|and|to|nor)\b)/.test(after)) {
      const index = (m[1] ?? "").charCodeAt(0) - 65;
      if (index < count) found.push(index);
    }
  }
  return found;
}

/** Every place an option's text occurs as whole words; shorter ones inside longer ones drop out. */
function proseOptions(text: string, options: string[]): number[] {
  const lower = text.toLowerCase();
  const spans: Array<{ start: number; end: number; index: number }> = [];
  options.forEach((option, index) => {
    const o = option.toLowerCase();
    if (o === "") return;
    for (let at = lower.indexOf(o); at >= 0; at = lower.indexOf(o, at + 1)) {
      const end = at + o.length;
      if (!isWordChar(lower[at - 1]) && !isWordChar(lower[end]))
        spans.push({ start: at, end, index });
    }
  });
  return spans
    .filter(
      (s) =>
        !spans.some(
          (t) =>
            t !== s && t.start <= s.start && t.end >= s.end && t.end - t.start > s.end - s.start,
        ),
    )
    .map((s) => s.index);
}

function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

export function parseChoice(text: string, options: string[]): ChoiceParse {
  if (options.length === 0) return { status: "unparsed", reason: "the question has no options" };
  const count = Math.min(options.length, 26);
  // Markdown emphasis carries no meaning here: "**C**" is "C".
  const clean = (text ?? "").replace(/\r\n?/g, "\n").replace(/[*`]/g, "");
  if (clean.trim() === "") return { status: "unparsed", reason: "empty response" };

  const statements: Statement[] = [];
  const problems: string[] = [];
  const letterAt = (at: number, letter: string, after: string, form: string): void => {
    const index = letter.charCodeAt(0) - 65;
    if (index >= count) {
      // An "I" outside the options is the pronoun unless it stands in brackets.
      if (WORD_LETTERS.has(letter) && form !== "bracketed-letter") return;
      problems.push(`names letter ${letter}, but the options run A–${letterFor(count - 1)}`);
      return;
    }
    const rest = after.slice((SEPARATORS.exec(after)?.[0] ?? "").length);
    const beside = rest === "" ? null : besideText(rest, options);
    let how = form;
    const ahead = textBefore(clean.slice(0, at), options);
    if (ahead !== null && ahead.index !== index) {
      problems.push(
        `letter ${letter} is ${quote(options[index] ?? "")} but the text before it reads ${quote(ahead.text)}`,
      );
      return;
    }
    if (beside?.kind === "full" && beside.index !== index) {
      problems.push(
        `letter ${letter} is ${quote(options[index] ?? "")} but the text beside it reads ${quote(beside.text)}`,
      );
      return;
    }
    if (beside?.kind === "prefix" && !beside.indexes.includes(index)) {
      problems.push(
        `letter ${letter} is ${quote(options[index] ?? "")} but the text beside it reads ${quote(rest.trim())}`,
      );
      return;
    }
    if (beside?.kind === "full") how += "+text";
    if (beside?.kind === "prefix") how += "+cut-text";
    statements.push({ at, index, how });
  };

  for (const m of clean.matchAll(BRACKETED)) {
    const end = (m.index ?? 0) + m[0].length;
    letterAt(m.index ?? 0, m[1] ?? "", clean.slice(end), "bracketed-letter");
  }
  const lead = LEADING.exec(clean);
  if (lead !== null) {
    const letter = lead[1] ?? "";
    const after = clean.slice(lead[0].length);
    if (letterFollows(after, letter)) {
      letterAt(
        lead[0].length - 1,
        letter,
        after,
        after.trim() === "" ? "letter" : "leading-letter",
      );
    }
  }
  for (const m of clean.matchAll(CUE)) {
    const start = (m.index ?? 0) + m[0].length;
    const letter = clean[start];
    if (
      letter === undefined ||
      !/[A-Z]/.test(letter) ||
      /[A-Za-z0-9'’]/.test(clean[start + 1] ?? "")
    ) {
      continue;
    }
    const after = clean.slice(start + 1);
    if (letterFollows(after, letter)) letterAt(start, letter, after, "cue-letter");
  }
  const hasLetter = statements.length > 0 || problems.length > 0;

  // An option text counts as an answer only where it stands as one: first in the
  // text, or right after "answer is"/"I choose", and ended by punctuation or the end.
  const textStatement = (at: number, rest: string): void => {
    const beside = besideText(rest, options);
    if (beside?.kind !== "full" || !TEXT_END.test(rest.slice(beside.text.length))) return;
    statements.push({ at, index: beside.index, how: "option-text" });
  };
  const leadingSpace = /^[\s"'“‘>#-]*/.exec(clean)?.[0].length ?? 0;
  textStatement(leadingSpace, clean.slice(leadingSpace));
  for (const m of clean.matchAll(CUE)) {
    const start = (m.index ?? 0) + m[0].length;
    textStatement(start, clean.slice(start));
  }

  if (problems.length > 0) return { status: "unparsed", reason: problems[0] ?? "" };
  const named = new Set(statements.map((s) => s.index));
  for (const index of looseLetters(clean, count)) named.add(index);
  // Without any letter, prose that names another option makes a bare text answer unsafe.
  if (!hasLetter) for (const index of proseOptions(clean, options)) named.add(index);
  if (named.size > 1) {
    const letters = [...named].sort((a, b) => a - b).map(letterFor);
    return { status: "unparsed", reason: `names more than one option (${letters.join(", ")})` };
  }
  const first = [...statements].sort((a, b) => a.at - b.at)[0];
  if (first === undefined) {
    const cut = !/[.!?)"'’”]\s*$/.test(clean);
    const reason =
      named.size === 1 ? "an option is mentioned but never given as the answer" : "no option named";
    return { status: "unparsed", reason: cut ? `${reason}; the text stops mid-sentence` : reason };
  }
  return {
    status: "parsed",
    index: first.index,
    letter: letterFor(first.index),
    option: options[first.index] ?? "",
    how: first.how,
  };
}
