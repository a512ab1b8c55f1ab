/** One persona, one sample: the conversation walked through the runner's `ask`. */

import { CareprobeError } from "../../core/errors.js";
import type { ConversationsSuite, GenerationParams, Persona } from "../../core/types.js";
import type { RunSettings, StepContext } from "../experiment.js";
import { walkConversation } from "./walk.js";

export interface ConversationUnit {
  itemId: string;
  sample: number;
  persona: Persona;
  params: GenerationParams;
  armPrompt: string | undefined;
}

/** The system prompt a persona's target sees: the arm's, or for a replayed log its marker. */
export function armPromptFor(persona: Persona, armPrompt: string | undefined): string | undefined {
  return persona.tags.includes("logged") ? persona.profile : armPrompt;
}

export async function converse(
  unit: ConversationUnit,
  context: StepContext,
  suite: ConversationsSuite,
  settings: RunSettings,
): Promise<void> {
  const { client, target, judges } = context.roles;
  if (!client) {
    throw new CareprobeError(
      "BAD_ARGUMENT",
      "A conversations run needs a simulated client (--client).",
    );
  }
  await walkConversation(
    context.ask,
    { client, target, judges },
    {
      suite,
      persona: unit.persona,
      sample: unit.sample,
      armPrompt: unit.armPrompt,
      params: unit.params,
      ...(settings.maxTurns === undefined ? {} : { maxTurns: settings.maxTurns }),
      stopOnCritical: settings.stopOnCritical ?? false,
      seed: settings.judgeSeed,
    },
  );
}
