/** Read: runs and their metrics, the item browser and the item reader. */
import type { Hono } from "hono";
import { reportFigures } from "../report/html/figures.js";
import { svgFile } from "../report/html/svg.js";
import { browseItems, readItem } from "../review/browse.js";
import type { ViewContext } from "./context.js";
import { FigureQuery, ItemQuery, ItemsQuery } from "./inputs.js";
import { notFound } from "./respond.js";

export function readRoutes(app: Hono, context: ViewContext): void {
  const report = () => context.cache.built();

  app.get("/api/runs", (c) => {
    const { data } = report();
    return c.json({ runs: data.runs, metrics: data.metrics });
  });

  /** The report's own figures (issue 9), listed; each is served as an SVG image below. */
  app.get("/api/figures", (c) => {
    const figures = reportFigures(report().data).map(({ id, title, description, rows }) => ({
      id,
      title,
      description,
      rows,
    }));
    return c.json({ figures });
  });

  // An SVG shown through <img> runs no script whatever it holds; its text is escaped anyway.
  app.get("/api/figure.svg", (c) => {
    const { id } = FigureQuery.parse(c.req.query());
    const figure = reportFigures(report().data).find((f) => f.id === id);
    if (!figure) return notFound(c, `No figure "${id}" in the current report.`);
    return c.body(svgFile(figure), 200, { "content-type": "image/svg+xml; charset=utf-8" });
  });

  app.get("/api/items", (c) => {
    const q = ItemsQuery.parse(c.req.query());
    const page = browseItems(
      report(),
      {
        ...(q.suite ? { suite: q.suite } : {}),
        ...(q.target ? { target: q.target } : {}),
        ...(q.arm ? { arm: q.arm } : {}),
        ...(q.condition ? { condition: q.condition } : {}),
        ...(q.severity ? { severity: q.severity } : {}),
        ...(q.verdict ? { verdict: q.verdict } : {}),
        disagree: q.disagree === "1",
        unscored: q.unscored === "1",
      },
      { offset: q.offset, limit: q.limit },
    );
    return c.json(page);
  });

  app.get("/api/item", (c) => {
    const q = ItemQuery.parse(c.req.query());
    const item = readItem(context.store, report(), q.run, q.item, q.sample);
    return item
      ? c.json(item)
      : notFound(c, `No item ${q.item} (sample ${q.sample}) in run ${q.run}.`);
  });
}
