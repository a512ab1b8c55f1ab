/**
 * The names a run's rows are keyed by. A step's name is derived from its typed columns
 * (role, turn, check, judge) in this one place; placement ids of stimuli inside
 * transcripts read `stimulus@transcript:position`. Version 1 databases stored only these
 * names; the upgrade parses them back into columns.
 */
import type { Placement, StepRef } from "../core/run-record.js";

/** The unique name of a step within an item and sample. */
export function stepName(step: StepRef): string {
  const turn = step.turn === undefined ? "" : `:t${step.turn}`;
  if (step.role === "judge") return `judge:${step.check ?? 0}:${step.judge ?? 0}${turn}`;
  if (step.role === "contextualizer") return `context${turn}`;
  return `${step.role}${turn}`;
}

export function parseStepName(name: string): StepRef {
  const [head = "", ...rest] = name.split(":");
  const turnPart = rest.at(-1)?.startsWith("t") ? rest.pop() : undefined;
  const turn = turnPart === undefined ? {} : { turn: Number(turnPart.slice(1)) };
  if (head === "judge")
    return { role: "judge", check: Number(rest[0]), judge: Number(rest[1]), ...turn };
  if (head === "context") return { role: "contextualizer", ...turn };
  if (head === "client" || head === "target" || head === "capture") return { role: head, ...turn };
  return { role: "target", ...turn };
}

/** The id of an item in a run: the stimulus id, with its place when inside a transcript. */
export function placementId(where: Placement): string {
  return where.transcript === null
    ? where.stimulus
    : `${where.stimulus}@${where.transcript}:${where.position}`;
}

export function parsePlacementId(id: string): Placement {
  const at = id.indexOf("@");
  if (at === -1) return { stimulus: id, transcript: null, position: 0 };
  const rest = id.slice(at + 1);
  const colon = rest.lastIndexOf(":");
  return {
    stimulus: id.slice(0, at),
    transcript: rest.slice(0, colon),
    position: Number(rest.slice(colon + 1)),
  };
}
