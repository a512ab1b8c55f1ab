/**
 * Assignments: which responses a reviewer labels. A share of the responses (the
 * overlap) goes to every reviewer, so people's agreement with each other can be
 * measured; the rest is split evenly between the reviewers. The order is a seeded hash
 * of each response's key: the same on every reload, unrelated to target or condition.
 */
import { createHash } from "node:crypto";
import { CareprobeError } from "../core/errors.js";

export interface AssignmentSpec {
  /** How many reviewers share the work (1: one reviewer labels everything). */
  reviewers: number;
  /** This reviewer's place among them, from 1. */
  slot: number;
  /** Share of responses every reviewer labels, from 0 to 1. */
  overlap: number;
  seed: string;
}

export const WHOLE_SET: AssignmentSpec = { reviewers: 1, slot: 1, overlap: 1, seed: "0" };

function order(seed: string, key: string): string {
  return createHash("sha256").update(`${seed}\u0000${key}`).digest("hex");
}

export function assignResponses<T extends { key: string }>(items: T[], spec: AssignmentSpec): T[] {
  if (spec.slot < 1 || spec.slot > spec.reviewers) {
    throw new CareprobeError(
      "BAD_ARGUMENT",
      `Reviewer slot ${spec.slot} is not between 1 and ${spec.reviewers}.`,
    );
  }
  const sorted = [...items].sort((a, b) =>
    order(spec.seed, a.key).localeCompare(order(spec.seed, b.key)),
  );
  const shared = Math.ceil(spec.overlap * sorted.length);
  return sorted.filter(
    (_, index) => index < shared || (index - shared) % spec.reviewers === spec.slot - 1,
  );
}
