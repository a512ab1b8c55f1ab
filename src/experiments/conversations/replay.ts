/**
 * Logged conversations as a run of the conversations experiment: each log becomes a
 * persona whose client and therapist are replayed from the file by one local target, so
 * that judging, storing, resuming and reporting are exactly those of a simulated run.
 */
import { createHash } from "node:crypto";
import { basename } from "node:path";
import { CareprobeError } from "../../core/errors.js";
import type { ConversationsSuite, Persona, Target } from "../../core/types.js";
import type { LoggedConversation } from "./logs.js";
import { STOP_MARKER } from "./simulator.js";
import { conversationsHash } from "./suite.js";

const LOG_ID = /Logged conversation ([^\s]+) \(replayed\)/;

/** What stands in for a log's profile and the target's system prompt: its id. */
export const logMarker = (id: string) => `Logged conversation ${id} (replayed)`;

/** The suite a set of logs is judged as: one persona per log, nothing cut. */
export function logSuite(
  suite: ConversationsSuite,
  logs: LoggedConversation[],
  file: string,
): ConversationsSuite {
  const items: Persona[] = logs.map((log) => {
    const { opening: _opening, ...persona } = log.persona;
    return {
      ...persona,
      id: log.id,
      profile: logMarker(log.id),
      maxTurns: log.turns.filter((t) => t.role === "therapist").length,
      tags: [...persona.tags.filter((t) => t !== "logged"), "logged"],
    };
  });
  const charLimit = Math.max(
    suite.charLimit,
    ...logs.flatMap((l) =>
      l.turns.filter((t) => t.role === "therapist").map((t) => t.content.length),
    ),
  );
  const content = { ...suite, source: file, charLimit, items };
  return { ...content, hash: conversationsHash(content) };
}

/** One target that plays both sides of the logs: the client's next message, or the reply. */
export function logReplayTarget(file: string, text: string, logs: LoggedConversation[]): Target {
  const byId = new Map(logs.map((l) => [l.id, l]));
  return {
    spec: `log:${basename(file)}`,
    kind: "log",
    identity: createHash("sha256").update(text).digest("hex"),
    maxConcurrency: 64,
    async chat(request) {
      const system = request.messages.find((m) => m.role === "system")?.content ?? "";
      const log = byId.get(LOG_ID.exec(system)?.[1] ?? "");
      if (!log)
        throw new CareprobeError("BAD_ARGUMENT", "a replayed request names no logged conversation");
      // The simulator's requests mirror roles: its own (client) messages are `assistant`.
      const isClient =
        request.messages[1]?.role === "user" && system.includes("The person you play:");
      const said = request.messages.filter(
        (m) => m.role === (isClient ? "assistant" : "user"),
      ).length;
      const side = log.turns.filter((t) => t.role === (isClient ? "client" : "therapist"));
      const index = isClient ? said : said - 1;
      return { text: side[index]?.content ?? (isClient ? STOP_MARKER : "") };
    },
  };
}
