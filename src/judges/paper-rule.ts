/**
 * The answer rule of Moore et al. (2025), for reproducing their numbers: an option letter
 * at the very start of the output (after spaces and an optional "("), not followed by
 * another letter; anything else is unread. Derived from their published data: it gives
 * their parsed answer on all 13,104 published stigma rows.
 */
import type { ChoiceParse } from "../core/types.js";
import { letterFor } from "./choice.js";

const LEADING_LETTER = /^\s*\(?([A-Z])(?![A-Za-z])/;

export function parsePaperChoice(text: string, options: string[]): ChoiceParse {
  const match = LEADING_LETTER.exec(text);
  const letter = match?.[1];
  if (!letter)
    return { status: "unparsed", reason: "no option letter at the start (the paper's rule)" };
  const index = letter.charCodeAt(0) - 65;
  const option = options[index];
  if (option === undefined)
    return { status: "unparsed", reason: `letter ${letter} is not an option` };
  return { status: "parsed", index, letter: letterFor(index), option, how: "paper-leading-letter" };
}
