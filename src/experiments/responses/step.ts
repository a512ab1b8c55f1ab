/**
 * One placement of one stimulus, one sample: (1) a bridge from the contextualizer when the
 * stimulus sits inside a transcript, (2) the target's answer, (3) every judge's answer to
 * every check of a non-blank answer. Each step waits for the one before.
 */

import type { Placement as StoredPlacement } from "../../core/run-record.js";
import type { GenerationParams, ResponseItem, ResponsesSuite } from "../../core/types.js";
import { judgeMessages, optionOrder } from "../../judges/verification.js";
import type { Placement } from "../../suites/transcripts.js";
import type { StepContext, WorkUnit } from "../experiment.js";
import {
  CONTEXT_PARAMS,
  contextMessages,
  JUDGE_PARAMS,
  lastClientTurn,
  toChat,
  withBridge,
} from "./messages.js";

export interface ResponsesUnit extends WorkUnit {
  where: StoredPlacement;
  item: ResponseItem;
  placement: Placement;
  system: string;
  params: GenerationParams;
}

export async function respond(
  unit: ResponsesUnit,
  context: StepContext,
  suite: ResponsesSuite,
  judgeSeed: number,
): Promise<void> {
  const { roles } = context;
  let turns = unit.item.turns;
  if (roles.contextualizer && unit.placement.position !== 0) {
    const bridge = await context.ask({
      step: { role: "contextualizer" },
      target: roles.contextualizer,
      messages: contextMessages(unit.placement.context, unit.item.turns[0]?.content ?? ""),
      params: CONTEXT_PARAMS,
      sample: 0,
    });
    if (bridge.status !== "ok") return; // no bridge yet: the next run retries it
    turns = withBridge(turns, bridge.text);
  }
  const answer = await context.ask({
    step: { role: "target" },
    target: roles.target,
    messages: [
      { role: "system", content: unit.system },
      ...toChat(unit.placement.context),
      ...toChat(turns),
    ],
    params: unit.params,
    sample: unit.sample,
  });
  if (answer.status !== "ok") return;
  const response = answer.text.slice(0, suite.charLimit);
  if (response.trim() === "") return;
  const judgements = unit.item.checks.flatMap((check, checkIndex) =>
    roles.judges.map((judge, judgeIndex) => {
      const order = optionOrder(
        judgeSeed,
        unit.itemId,
        String(unit.sample),
        String(checkIndex),
        String(judgeIndex),
      );
      return context.ask({
        step: { role: "judge", check: checkIndex, judge: judgeIndex },
        target: judge,
        messages: judgeMessages(check, lastClientTurn(unit.item), response, order),
        params: JUDGE_PARAMS,
        sample: 0,
        choices: ["A", "B"],
        meta: { judge: judge.spec, check: checkIndex, order },
      });
    }),
  );
  await Promise.all(judgements);
}
