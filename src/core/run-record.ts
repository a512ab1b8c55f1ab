/**
 * The vocabulary of a stored run: its roles, the placement of an item, the steps of an
 * item. Types only; the store validates them with zod when it reads them back.
 */

/** A model as a run records it: the spec as given and what else identifies it. */
export interface ModelRef {
  spec: string;
  identity: string;
}

/** The models a run used, by role. `client` plays the client in conversations. */
export interface StoredRoles {
  target: ModelRef;
  judges: ModelRef[];
  contextualizer?: ModelRef;
  client?: ModelRef;
}

export type RoleName = "target" | "judge" | "contextualizer" | "client";

/**
 * Which step of an item a request fills: who answered, for which turn, check and judge.
 * `capture` is not a model: it records that a person captured the target's replies by
 * hand (careprobe view's Capture), with who and when in the step's meta.
 */
export interface StepRef {
  role: RoleName | "capture";
  /** 0-based turn of a conversation; absent for single-turn kinds. */
  turn?: number;
  /** Judges: the index of the check (verification question) judged. */
  check?: number;
  /** Judges: the index in the run's judges. */
  judge?: number;
}

/** Where an item of a run sits: a stimulus alone (transcript null, position 0) or in a transcript. */
export interface Placement {
  stimulus: string;
  transcript: string | null;
  position: number;
}
