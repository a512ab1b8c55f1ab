/** Label: reviewers' labels of responses, live agreement with the judges, and the export. */
import type { Hono } from "hono";
import { liveAgreement } from "../review/agreement.js";
import { assignResponses } from "../review/assign.js";
import { exportValidationCsv } from "../review/export.js";
import { storeLabel } from "../review/label.js";
import { blindTask, labelTasks, responsesSuites } from "../review/tasks.js";
import type { ViewContext } from "./context.js";
import { LabelBody, SuiteQuery, TasksQuery } from "./inputs.js";
import { notFound } from "./respond.js";

export const LABEL_SOURCE = "careprobe-view";

export function labelRoutes(app: Hono, context: ViewContext): void {
  const { store, cache } = context;
  const tasksOf = (suite: string) =>
    labelTasks(store, cache.suiteRuns(suite), (item) => cache.keyOf(item));

  app.get("/api/label/suites", (c) => c.json({ suites: responsesSuites(store) }));

  app.get("/api/label/tasks", (c) => {
    const q = TasksQuery.parse(c.req.query());
    const blind = q.blind !== "0";
    const assigned = assignResponses(tasksOf(q.suite), {
      reviewers: q.reviewers,
      slot: q.slot,
      overlap: q.overlap,
      seed: q.suite,
    });
    const tasks = assigned.map((task) => (blind ? blindTask(task, q.reviewer) : task));
    const done = assigned.filter((task) =>
      task.checks.every((check) =>
        task.labels.some((l) => l.rater === q.reviewer && l.check === check.index),
      ),
    ).length;
    return c.json({ blind, total: tasks.length, done, tasks });
  });

  app.post("/api/label", async (c) => {
    const body = LabelBody.parse(await c.req.json());
    const stored = storeLabel(store, { ...body, source: LABEL_SOURCE });
    if (!stored) return notFound(c, "No stored response has that key.");
    cache.labelled(body.key, body.check, body.reviewer, body.label);
    return c.json({ stored: true, key: body.key, check: body.check, label: body.label });
  });

  app.get("/api/agreement", (c) => {
    const q = SuiteQuery.parse(c.req.query());
    return c.json(
      liveAgreement(q.suite, cache.suiteRuns(q.suite), {
        seed: context.seed,
        resamples: context.resamples,
      }),
    );
  });

  app.get("/api/export.csv", (c) => {
    const q = SuiteQuery.parse(c.req.query());
    const file = `classification_validation-${q.suite.replace(/[^A-Za-z0-9._-]/g, "_")}.csv`;
    return c.body(exportValidationCsv(cache.suiteRuns(q.suite)), 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${file}"`,
    });
  });
}
