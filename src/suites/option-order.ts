/**
 * Counterbalanced options for multiple-choice suites. A model that prefers a letter looks
 * like a model with an attitude when every item lists its options in one order; showing
 * the scale reversed on half the items (or shuffled) separates the two. The answer is read
 * against the options as shown, so it is scored by the option's meaning, never its letter.
 *
 * "Do not know" (the item's `dontKnow` option) stays last in every order: it is not a
 * point on the scale, and moving it would change what abstaining costs.
 */
import { createHash } from "node:crypto";
import { CareprobeError } from "../core/errors.js";
import type { ChoiceItem } from "../core/types.js";
import { letterFor } from "../judges/choice.js";

export const OPTION_ORDERS = ["fixed", "reversed", "balanced", "shuffled"] as const;
export type OptionOrder = (typeof OPTION_ORDERS)[number];

export function isOptionOrder(value: string): value is OptionOrder {
  return (OPTION_ORDERS as readonly string[]).includes(value);
}

function hashWord(...parts: string[]): number {
  return createHash("sha256").update(JSON.stringify(parts)).digest().readUInt32BE(0);
}

function identity(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** perm[j] = index (in the suite's order) of the option shown at position j. */
function reversedPerm(item: ChoiceItem): number[] {
  const perm = identity(item.options.length);
  const scale =
    item.dontKnow === undefined ? perm : perm.filter((i) => item.options[i] !== item.dontKnow);
  const rest = perm.filter((i) => !scale.includes(i));
  return [...[...scale].reverse(), ...rest];
}

function shuffledPerm(item: ChoiceItem, seed: string): number[] {
  const perm = identity(item.options.length);
  const scale = perm.filter((i) => item.options[i] !== item.dontKnow);
  const rest = perm.filter((i) => !scale.includes(i));
  for (let i = scale.length - 1; i > 0; i--) {
    const j = hashWord("shuffle", seed, item.id, String(i)) % (i + 1);
    [scale[i], scale[j]] = [scale[j] as number, scale[i] as number];
  }
  return [...scale, ...rest];
}

/**
 * The permutation of every item of a suite under an order. `balanced` reverses every
 * other item of each cell (condition × question) in suite order, starting at a seeded
 * parity per cell: any prefix of the suite (what --limit runs) is balanced within one item
 * per cell, and the same item always gets the same order whatever the limit.
 */
export function optionPermutations(
  items: readonly ChoiceItem[],
  order: OptionOrder,
  seed: string,
): Map<string, number[]> {
  const perms = new Map<string, number[]>();
  const rank = new Map<string, number>();
  for (const item of items) {
    let perm: number[];
    if (order === "fixed") perm = identity(item.options.length);
    else if (order === "reversed") perm = reversedPerm(item);
    else if (order === "shuffled") perm = shuffledPerm(item, seed);
    else {
      const cell = JSON.stringify([item.condition, item.questionId]);
      const r = rank.get(cell) ?? 0;
      rank.set(cell, r + 1);
      const flip = (r + hashWord("balanced", seed, cell)) % 2 === 1;
      perm = flip ? reversedPerm(item) : identity(item.options.length);
    }
    perms.set(item.id, perm);
  }
  return perms;
}

function optionLine(lines: readonly string[], from: number, letter: string, text: string): number {
  for (let i = from; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.includes(`(${letter})`) && line.includes(text)) return i;
  }
  return -1;
}

/**
 * The item as shown under a permutation: options in the new order and the prompt's option
 * lines rewritten to match. Needs each option on a line of its own that contains "(A)" and
 * its text, as careprobe's and the paper's prompts have.
 */
export function reorderItem(item: ChoiceItem, perm: readonly number[]): ChoiceItem {
  if (perm.every((original, shown) => original === shown)) return item;
  const lines = item.prompt.split("\n");
  const at: number[] = [];
  let from = 0;
  item.options.forEach((text, index) => {
    const line = optionLine(lines, from, letterFor(index), text);
    if (line === -1) {
      throw new CareprobeError(
        "BAD_ARGUMENT",
        `Item ${item.id}: option (${letterFor(index)}) "${text}" is not on a line of its own in the prompt, so its options cannot be reordered.`,
        {
          hint: "Use --option-order fixed, or write each option on its own line as `- (A): text`.",
        },
      );
    }
    at.push(line);
    from = line + 1;
  });
  const rewritten = [...lines];
  perm.forEach((original, shown) => {
    const source = lines[at[original] as number] as string;
    rewritten[at[shown] as number] = source.replace(
      `(${letterFor(original)})`,
      `(${letterFor(shown)})`,
    );
  });
  return {
    ...item,
    prompt: rewritten.join("\n"),
    options: perm.map((i) => item.options[i] as string),
  };
}

/** The items of a suite as a run in this order shows them (options reordered, prompts rewritten). */
export function shownItems(
  items: readonly ChoiceItem[],
  order: OptionOrder,
  seed: number,
): ChoiceItem[] {
  if (order === "fixed") return [...items];
  const perms = optionPermutations(items, order, String(seed));
  return items.map((item) => reorderItem(item, perms.get(item.id) ?? []));
}
