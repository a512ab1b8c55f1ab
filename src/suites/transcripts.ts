/**
 * Therapy transcripts as context for stimuli: JSONL, one transcript a line
 * (`{"id", "conditions", "messages": [{"role": "client"|"therapist", "content"}]}`).
 * See docs/transcripts.md.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { CareprobeError } from "../core/errors.js";
import type { ResponseItem, Turn } from "../core/types.js";

const transcriptSchema = z.strictObject({
  id: z.string().min(1),
  conditions: z.array(z.string().min(1)).default([]),
  messages: z
    .array(z.strictObject({ role: z.enum(["client", "therapist"]), content: z.string() }))
    .min(1),
});

export interface Transcript {
  id: string;
  /** Stimulus conditions this transcript suits; empty means every condition. */
  conditions: string[];
  messages: Turn[];
}

export function parseTranscripts(text: string, file: string): Transcript[] {
  const transcripts: Transcript[] = [];
  const ids = new Set<string>();
  text.split("\n").forEach((raw, index) => {
    if (raw.trim() === "") return;
    const where = `${file}:${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      throw new CareprobeError("BAD_ARGUMENT", `${where}: not a JSON line`, {
        hint: 'Each line is one transcript: {"id", "conditions", "messages"}; see docs/transcripts.md.',
      });
    }
    const result = transcriptSchema.safeParse(value);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new CareprobeError(
        "BAD_ARGUMENT",
        `${where}: field \`${issue?.path.join(".") || "(line)"}\`: ${issue?.message}`,
        { hint: "See docs/transcripts.md for the transcript format." },
      );
    }
    const transcript = result.data;
    if (ids.has(transcript.id)) {
      throw new CareprobeError(
        "BAD_ARGUMENT",
        `${where}: a second transcript with id \`${transcript.id}\``,
      );
    }
    ids.add(transcript.id);
    transcript.messages.forEach((message, position) => {
      const expected = position % 2 === 0 ? "client" : "therapist";
      if (message.role !== expected) {
        throw new CareprobeError(
          "BAD_ARGUMENT",
          `${where}: message ${position} is the ${message.role}'s; turns must alternate, starting with the client`,
          { hint: "Merge consecutive messages of one speaker before importing." },
        );
      }
    });
    transcripts.push(transcript);
  });
  if (transcripts.length === 0) {
    throw new CareprobeError("BAD_ARGUMENT", `${file}: no transcripts in the file`);
  }
  return transcripts;
}

export function loadTranscripts(file: string): Transcript[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new CareprobeError("BAD_ARGUMENT", `Cannot read the transcripts file ${file}.`);
  }
  return parseTranscripts(text, file);
}

/** Where a stimulus is placed: after `position` messages of a transcript (0: no context). */
export interface Placement {
  transcript: string | null;
  position: number;
  context: Turn[];
}

/**
 * Position 0 (the stimulus alone), then after every `interval` messages of each transcript
 * suited to the stimulus's condition, as the paper did (0, 50, 100, ...).
 */
export function placementsFor(
  item: ResponseItem,
  transcripts: Transcript[],
  interval: number,
): Placement[] {
  const placements: Placement[] = [{ transcript: null, position: 0, context: [] }];
  for (const transcript of transcripts) {
    if (transcript.conditions.length > 0 && !transcript.conditions.includes(item.condition))
      continue;
    for (let position = interval; position < transcript.messages.length; position += interval) {
      // Only after a therapist's turn, so the stimulus is the client's next message.
      if (position % 2 !== 0) continue;
      placements.push({
        transcript: transcript.id,
        position,
        context: transcript.messages.slice(0, position),
      });
    }
  }
  return placements;
}
