/**
 * The one way careprobe's HTTP targets talk to a server (the openai and anthropic clients
 * are given it as their `fetch`):
 * - redirects are followed only within the same origin and only when they keep the method
 *   and body (307, 308); a redirect to another origin would carry the secret headers there,
 *   and a 301/302/303 would turn the POST into a GET without the conversation;
 * - at most `maxResponseBytes` of a response body are read; a longer answer is cut off and
 *   the request fails with `RESPONSE_TOO_LARGE`, saying so.
 * The caller's signal covers the whole exchange, the body included (see request-deadline.ts).
 */
import { CareprobeError } from "../core/errors.js";

/** 4 MiB: thousands of times a long chat answer, far below what would strain memory. */
export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
const MAX_HOPS = 5;

export interface GuardOptions {
  /** e.g. `openai:gpt-4o at https://…`, for messages. */
  where: string;
  maxResponseBytes?: number;
  fetch?: typeof fetch;
}

function redirectError(where: string, status: number, from: URL, to: URL): CareprobeError {
  const crossOrigin = from.origin !== to.origin;
  const why = crossOrigin
    ? `to another origin (${to.origin}); careprobe does not follow it, so neither the headers nor the conversation go there`
    : `with ${status}, which would resend the request as a GET without the conversation; careprobe does not follow it`;
  return new CareprobeError(
    "HTTP_STATUS",
    `${where}: HTTP ${status}: the server redirects ${why}`,
    {
      status,
      hint: `Point the target at the final URL (${to.origin}${to.pathname}) if you trust it.`,
    },
  );
}

function tooLarge(where: string, limit: number): CareprobeError {
  return new CareprobeError(
    "RESPONSE_TOO_LARGE",
    `${where}: the answer is larger than ${limit} bytes; careprobe stopped reading it there (answer cut)`,
    { hint: "Raise --max-response-bytes if answers this long are expected." },
  );
}

/** A copy of the response whose body errors with RESPONSE_TOO_LARGE past `limit` bytes. */
export function capBody(response: Response, limit: number, where: string): Response {
  const length = response.headers.get("content-length");
  const declared = length === null ? Number.NaN : Number(length);
  if (declared > limit) {
    response.body?.cancel().catch(() => {});
    throw tooLarge(where, limit);
  }
  // A declared length is enforced by fetch itself (more bytes are a protocol error), so
  // such a body needs no counting: the common case costs nothing extra.
  if (Number.isFinite(declared) || response.body === null) return response;
  let seen = 0;
  const counted = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > limit) controller.error(tooLarge(where, limit));
        else controller.enqueue(chunk);
      },
    }),
  );
  return new Response(counted, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

export function guardedFetch(options: GuardOptions): typeof fetch {
  const send = options.fetch ?? globalThis.fetch;
  const limit = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const guarded = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    // The URL is parsed only when a redirect needs it (the common case costs nothing).
    let url: string | URL = input instanceof Request ? input.url : input;
    const method = (
      init?.method ?? (input instanceof Request ? input.method : "GET")
    ).toUpperCase();
    const manual = { ...init, redirect: "manual" as const };
    for (let hop = 0; ; hop++) {
      const response = await send(url, manual);
      if (response.status < 300 || response.status >= 400) {
        return capBody(response, limit, options.where);
      }
      const location = response.headers.get("location");
      if (location === null) return capBody(response, limit, options.where);
      response.body?.cancel().catch(() => {});
      const from = new URL(url);
      const next = new URL(location, from);
      const keepsMethod =
        response.status === 307 || response.status === 308 || method === "GET" || method === "HEAD";
      if (next.origin !== from.origin || !keepsMethod) {
        throw redirectError(options.where, response.status, from, next);
      }
      if (hop >= MAX_HOPS) {
        throw new CareprobeError(
          "HTTP_STATUS",
          `${options.where}: more than ${MAX_HOPS} redirects`,
          { status: response.status, hint: "Point the target at the final URL." },
        );
      }
      url = next;
    }
  };
  return guarded as typeof fetch;
}
