/** Error answers: a status and a message a person can act on, never a stack trace. */
import type { Context } from "hono";
import { ZodError } from "zod";
import { CareprobeError } from "../core/errors.js";

export function notFound(c: Context, message: string): Response {
  return c.json({ error: message }, 404);
}

export function errorResponse(error: unknown, c: Context): Response {
  if (error instanceof ZodError) {
    const issues = error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`);
    return c.json({ error: `Bad request: ${issues.join("; ")}` }, 400);
  }
  if (error instanceof SyntaxError)
    return c.json({ error: "Bad request: the body is not JSON." }, 400);
  if (error instanceof CareprobeError) {
    const status = error.code === "BAD_ARGUMENT" || error.code === "SUITE_INVALID" ? 400 : 502;
    return c.json({ error: error.message, ...(error.hint ? { hint: error.hint } : {}) }, status);
  }
  const status = (error as { status?: unknown }).status;
  if (typeof status === "number" && status >= 400 && status < 500) {
    return c.json({ error: (error as Error).message }, status as 413);
  }
  return c.json({ error: "Internal error; the server keeps running. See its terminal." }, 500);
}
