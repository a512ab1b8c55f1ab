/**
 * The careprobe view web app: a thin HTTP layer over the library. Pages are static
 * files bundled at build time (dist/web); everything else is a JSON route that calls
 * the same functions a program would. See docs/design/view.md.
 */
import { readFileSync } from "node:fs";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { assetPath } from "../assets.js";
import type { ViewContext } from "./context.js";
import { errorResponse } from "./respond.js";
import { labelRoutes } from "./routes-label.js";
import { readRoutes } from "./routes-read.js";
import { recordRoutes } from "./routes-record.js";
import { csrfCheck, hostCheck, securityHeaders, tokenCheck } from "./security.js";

export interface AppSecurity {
  /**
   * host:port values the server answers to (a Host check against DNS rebinding), for a
   * loopback server; a server on the network is guarded by its token instead.
   */
  hosts?: () => string[];
  /** When set, every request needs this token (URL once, then a cookie). */
  token?: string;
}

/** The only files served: a fixed list, never a path taken from the request. */
const STATIC: Record<string, { file: string; type: string }> = {
  "/": { file: "web/index.html", type: "text/html; charset=utf-8" },
  "/app.js": { file: "web/app.js", type: "text/javascript; charset=utf-8" },
  "/app.css": { file: "web/app.css", type: "text/css; charset=utf-8" },
};

export function createViewApp(context: ViewContext, security: AppSecurity): Hono {
  const app = new Hono();
  app.use("*", securityHeaders);
  if (security.hosts) app.use("*", hostCheck(security.hosts));
  if (security.token !== undefined) app.use("*", tokenCheck(security.token));
  app.use("*", csrfCheck);
  app.use("/api/*", bodyLimit({ maxSize: 1024 * 1024 }));
  const files = new Map<string, string>();
  for (const [path, { file, type }] of Object.entries(STATIC)) {
    app.get(path, (c) => {
      let body = files.get(file);
      if (body === undefined) {
        body = readFileSync(assetPath(file), "utf8");
        files.set(file, body);
      }
      return c.body(body, 200, { "content-type": type });
    });
  }
  readRoutes(app, context);
  labelRoutes(app, context);
  recordRoutes(app, context);
  app.notFound((c) =>
    c.json({ error: `Nothing at ${c.req.method} ${new URL(c.req.url).pathname}.` }, 404),
  );
  app.onError((error, c) => errorResponse(error, c));
  return app;
}
