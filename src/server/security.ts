/**
 * What keeps clinical transcripts on the reviewer's machine: a token when the server is
 * reachable from the network, a Host check against DNS rebinding, refusal of writes from
 * other origins (CSRF), and headers that forbid inline and remote scripts.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";

export const TOKEN_COOKIE = "careprobe_token";
/** Every write must carry this header: a cross-origin form cannot set it. */
export const WRITE_HEADER = "x-careprobe-write";

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join("; ");

export function newToken(): string {
  return randomBytes(24).toString("base64url");
}

export function isLoopback(host: string): boolean {
  return host === "127.0.0.1" || host === "::1" || host === "localhost" || /^127\./.test(host);
}

function sameSecret(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function problem(status: 401 | 403 | 421, error: string): Response {
  return new Response(JSON.stringify({ error }), {
    status,
    headers: { "content-type": "application/json; charset=utf-8" },
  });
}

export const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  c.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
  c.header("X-Content-Type-Options", "nosniff");
  c.header("X-Frame-Options", "DENY");
  c.header("Referrer-Policy", "no-referrer");
  c.header("Cache-Control", "no-store");
  c.header("Cross-Origin-Opener-Policy", "same-origin");
  c.header("Cross-Origin-Resource-Policy", "same-origin");
};

/**
 * Requests addressed to another host name are refused: a web page cannot point its own
 * domain at 127.0.0.1 (DNS rebinding) and read the store. `allowed` holds host:port values.
 */
export function hostCheck(allowed: () => string[]): MiddlewareHandler {
  return async (c, next) => {
    const host = c.req.header("host") ?? "";
    if (!allowed().includes(host.toLowerCase())) {
      return problem(421, `This server answers only to ${allowed().join(" or ")}.`);
    }
    await next();
  };
}

/**
 * With a token, every route needs it: once in the URL (`?token=`), which sets an
 * HttpOnly, SameSite=Strict cookie and redirects to the same address without it.
 */
export function tokenCheck(token: string): MiddlewareHandler {
  return async (c, next) => {
    const url = new URL(c.req.url);
    const fromUrl = url.searchParams.get("token") ?? undefined;
    if (fromUrl !== undefined && sameSecret(fromUrl, token)) {
      setCookie(c, TOKEN_COOKIE, token, { httpOnly: true, sameSite: "Strict", path: "/" });
      url.searchParams.delete("token");
      return c.redirect(`${url.pathname}${url.search}`, 303);
    }
    if (!sameSecret(getCookie(c, TOKEN_COOKIE), token)) {
      return problem(401, "This server needs the token printed when it started (open that URL).");
    }
    await next();
  };
}

/**
 * Writes come only from this app's own pages: a JSON body, the app's header (which a
 * form or a simple cross-origin request cannot carry), no Origin but the server's own
 * (the address the request was sent to) and no cross-site fetch metadata.
 */
export const csrfCheck: MiddlewareHandler = async (c, next) => {
  const method = c.req.method;
  if (method === "GET" || method === "HEAD" || method === "OPTIONS") return next();
  const origin = c.req.header("origin");
  if (origin !== undefined && origin !== `http://${c.req.header("host") ?? ""}`) {
    return problem(403, "Cross-origin writes are refused.");
  }
  const site = c.req.header("sec-fetch-site");
  if (site !== undefined && site !== "same-origin" && site !== "none") {
    return problem(403, "Cross-site writes are refused.");
  }
  if (c.req.header(WRITE_HEADER) !== "1") {
    return problem(403, `Writes need the ${WRITE_HEADER} header that the app's pages send.`);
  }
  if (!(c.req.header("content-type") ?? "").startsWith("application/json")) {
    return problem(403, "Writes must be JSON.");
  }
  await next();
};
