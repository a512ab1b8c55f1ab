/**
 * Therapy transcripts as context for stimuli: JSONL, one transcript a line
 * (`{"id", "conditions", "messages": [{"role": "client"|"therapist", "content"}]}`).
 * See docs/transcripts.md.
 */
import { z } from "zod";
import { CareprobeError } from "../core/errors.js";
import { readInputText } from "../core/input-file.js";
import type { ResponseItem, Turn } from "../core/types.js";

const transcriptSchema = z.strictObject({
  id: z
    .string()
    .min(1)
    .regex(
      /^[^@:]+$/,
      "a transcript id may not contain `@` or `:` (they separate the parts of item ids)",
    ),
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
  /** The 1-based line of the file it came from, for error messages. */
  line?: number;
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
    transcripts.push({ ...transcript, line: index + 1 });
  });
  if (transcripts.length === 0) {
    throw new CareprobeError("BAD_ARGUMENT", `${file}: no transcripts in the file`);
  }
  return transcripts;
}

export function readTranscriptsText(file: string): string {
  return readInputText(file, {
    what: "transcripts file",
    kind: "transcripts",
    hint: "--transcripts takes a JSON Lines file of transcripts; see docs/transcripts.md.",
  });
}

export function loadTranscripts(file: string): Transcript[] {
  return parseTranscripts(readTranscriptsText(file), file);
}

/**
 * A transcript that names a condition no suite has would never be used: say so, with its
 * line, instead of running without it.
 */
export function checkTranscriptConditions(
  transcripts: Transcript[],
  file: string,
  conditions: ReadonlySet<string>,
): void {
  for (const transcript of transcripts) {
    const unknown = transcript.conditions.find((condition) => !conditions.has(condition));
    if (unknown === undefined) continue;
    const where = transcript.line === undefined ? file : `${file}:${transcript.line}`;
    throw new CareprobeError(
      "BAD_ARGUMENT",
      `${where}: field \`conditions\`: transcript \`${transcript.id}\` names the condition \`${unknown}\`, which no suite of this run has (conditions: ${[...conditions].join(", ")}).`,
      { hint: "Use the suite's condition ids (see the suite file), or [] for every condition." },
    );
  }
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
