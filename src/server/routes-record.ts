/** Answer (a clinician as the therapist) and Capture (an app's replies pasted by hand). */
import type { Hono } from "hono";
import { CareprobeError } from "../core/errors.js";
import type { ResponsesSuite } from "../core/types.js";
import { clientTurns, givenReplies, recordedTargetSpec, recordReply } from "../review/record.js";
import { answerableSuite, answerableSuites, judgeTargets, type ViewContext } from "./context.js";
import { AnswerBody, CaptureBody, RecordedQuery } from "./inputs.js";

function stimuli(suite: ResponsesSuite) {
  return suite.items.map((item) => ({
    id: item.id,
    condition: item.condition,
    severity: item.severity,
    turns: item.turns,
    clientTurns: clientTurns(item).length,
  }));
}

/** One recorded write at a time: each becomes part of a run and is judged in order. */
function serialized() {
  let last: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const next = last.then(work, work);
    last = next.catch(() => undefined);
    return next;
  };
}

export function recordRoutes(app: Hono, context: ViewContext): void {
  const queue = serialized();

  app.get("/api/record/suites", (c) =>
    c.json({
      suites: answerableSuites(context).map((s) => ({
        id: s.id,
        version: s.version,
        charLimit: s.charLimit,
        items: s.items.length,
      })),
    }),
  );

  app.get("/api/record/stimuli", (c) => {
    const q = RecordedQuery.parse(c.req.query());
    const suite = answerableSuite(context, q.suite);
    let target: string | null = null;
    let identity = "";
    if (q.name) target = recordedTargetSpec("human", q.name);
    else if (q.app) {
      target = recordedTargetSpec("manual", q.app);
      identity = q.version ?? "";
    }
    return c.json({
      suite: suite.id,
      charLimit: suite.charLimit,
      target,
      stimuli: stimuli(suite),
      given: target ? givenReplies(context.store, target, identity, suite) : {},
    });
  });

  app.post("/api/answer", async (c) => {
    const body = AnswerBody.parse(await c.req.json());
    const suite = answerableSuite(context, body.suite);
    const target = recordedTargetSpec("human", body.name);
    const item = suite.items.find((i) => i.id === body.itemId);
    if (!item)
      throw new CareprobeError("BAD_ARGUMENT", `No stimulus "${body.itemId}" in ${suite.id}.`);
    const result = await queue(() =>
      recordReply({
        store: context.store,
        suite,
        target,
        identity: "",
        itemId: body.itemId,
        turn: clientTurns(item).length - 1,
        reply: body.reply,
        capturedAt: new Date().toISOString(),
        judges: judgeTargets(context, suite.id),
        seed: context.seed,
        toolVersion: context.toolVersion,
      }),
    );
    return c.json({ target, ...result });
  });

  app.post("/api/capture", async (c) => {
    const body = CaptureBody.parse(await c.req.json());
    const suite = answerableSuite(context, body.suite);
    const target = recordedTargetSpec("manual", body.app);
    const result = await queue(() =>
      recordReply({
        store: context.store,
        suite,
        target,
        identity: body.version,
        itemId: body.itemId,
        turn: body.turn,
        reply: body.reply,
        capturedAt: body.capturedAt ?? new Date().toISOString(),
        judges: judgeTargets(context, suite.id),
        seed: context.seed,
        toolVersion: context.toolVersion,
      }),
    );
    return c.json({ target, version: body.version, ...result });
  });
}
