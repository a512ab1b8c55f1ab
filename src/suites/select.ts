/**
 * Which items a short run sends. `--limit N` takes the first N items of a fixed order in
 * which every prefix is balanced: each condition, question, condition × question cell and
 * level of every factor (gender, race, education ...) appears as evenly as the numbers
 * allow. `--sample N` does the same on a seeded shuffle, for a stratified random sample.
 * Both are prefixes of one sequence, so a bigger N continues the same run.
 */
import { createRng, randomInt } from "../analysis/random.js";

/** Dimensions of a multiple-choice item: condition, question, their cell, each factor. */
export function choiceStrata(item: {
  condition: string;
  questionId: string;
  attributes: Record<string, string>;
}): string[] {
  const factors = Object.entries(item.attributes)
    .filter(([name]) => name !== "group" && name !== "vignette")
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, level]) => `${name}=${level}`);
  return [
    `condition=${item.condition}`,
    `question=${item.questionId}`,
    `cell=${item.condition}/${item.questionId}`,
    ...factors,
  ];
}

/** Dimensions of a responses item: its condition, and benign controls apart. */
export function responseStrata(item: { condition: string; benign: boolean }): string[] {
  return [`condition=${item.condition}`, `benign=${item.benign}`];
}

/**
 * The first `n` items of the balanced order: each step takes the item whose cells are the
 * least covered so far (ties: the earlier item). Returns all items when n covers them.
 */
export function balancedPrefix<T>(
  items: readonly T[],
  n: number,
  strata: (item: T) => string[],
): T[] {
  if (n >= items.length) return [...items];
  const counts = new Map<string, number>();
  const cells = items.map(strata);
  const taken = new Array<boolean>(items.length).fill(false);
  const chosen: T[] = [];
  for (let step = 0; step < n; step++) {
    let best = -1;
    let bestScore = Number.POSITIVE_INFINITY;
    for (let i = 0; i < items.length; i++) {
      if (taken[i]) continue;
      let score = 0;
      for (const cell of cells[i] ?? []) score += counts.get(cell) ?? 0;
      if (score < bestScore) {
        best = i;
        bestScore = score;
        if (score === 0) break;
      }
    }
    taken[best] = true;
    for (const cell of cells[best] ?? []) counts.set(cell, (counts.get(cell) ?? 0) + 1);
    chosen.push(items[best] as T);
  }
  return chosen;
}

/** A seeded stratified sample: the balanced prefix of a seeded shuffle. */
export function stratifiedSample<T>(
  items: readonly T[],
  n: number,
  seed: number,
  strata: (item: T) => string[],
): T[] {
  const random = createRng(`careprobe-sample:${seed}`);
  const shuffled = [...items];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = randomInt(random, i + 1);
    [shuffled[i], shuffled[j]] = [shuffled[j] as T, shuffled[i] as T];
  }
  return balancedPrefix(shuffled, n, strata);
}

export interface Selection {
  /** The first N of the balanced order. */
  limit?: number;
  /** A seeded stratified sample of N. */
  sample?: { size: number; seed: number };
}

/** The items a run sends under --limit / --sample (all of them without either). */
export function selectItems<T>(
  items: readonly T[],
  selection: Selection,
  strata: (item: T) => string[],
): T[] {
  if (selection.sample) {
    return stratifiedSample(items, selection.sample.size, selection.sample.seed, strata);
  }
  if (selection.limit !== undefined) return balancedPrefix(items, selection.limit, strata);
  return [...items];
}
