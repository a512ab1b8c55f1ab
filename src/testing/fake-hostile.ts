/**
 * The fake server's hostile behaviours, for tests of what careprobe does with servers it
 * cannot trust: an error body that echoes the caller's API key, escape sequences in an
 * error body, a body trickled a byte at a time, a huge answer, and redirects.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

export type HostileKind = "echoKey" | "escapes" | "trickle" | "huge" | "redirect";

export interface HostileSettings {
  /** Milliseconds between the bytes of a trickled body (default 100). */
  trickleMs?: number;
  /** Characters of a huge answer (default 8 MiB), sent without a content-length. */
  hugeChars?: number;
}

/** What a redirect rule says: the status (301, 302, 303, 307, 308) and where to. */
export interface RedirectFault {
  kind: "redirect";
  status: number;
  location: string;
}

/** Terminal escapes a hostile server could send: clear the screen, home, fake a line. */
export const ESCAPE_PAYLOAD = "\u001b[2J\u001b[H\u001b]0;pwned\u0007\r0 errors\u001b[31m";

function errorJson(message: string): string {
  return JSON.stringify({
    error: { message, type: "invalid_request_error", param: null, code: null },
  });
}

/** Writes the hostile reply. `completionJson` makes a regular answer's body for a content. */
export function sendHostile(
  kind: HostileKind,
  request: IncomingMessage,
  response: ServerResponse,
  settings: HostileSettings & { redirect?: RedirectFault },
  completionJson: (content: string) => string,
  closing: AbortSignal,
): void {
  if (kind === "echoKey") {
    const key = request.headers.authorization ?? String(request.headers["x-api-key"] ?? "");
    const body = errorJson(`Invalid request (fake). You sent: ${key}`);
    response.writeHead(400, { "content-type": "application/json" });
    response.end(body);
  } else if (kind === "escapes") {
    response.writeHead(400, { "content-type": "application/json" });
    response.end(errorJson(`Bad request (fake).${ESCAPE_PAYLOAD}`));
  } else if (kind === "redirect") {
    const target = settings.redirect;
    response.writeHead(target?.status ?? 302, { location: target?.location ?? "/" });
    response.end();
  } else if (kind === "huge") {
    const size = settings.hugeChars ?? 8 * 1024 * 1024;
    const body = completionJson("A".repeat(size));
    response.writeHead(200, { "content-type": "application/json" });
    // Chunks without a content-length, so the client only learns the size by reading.
    const chunk = 64 * 1024;
    let at = 0;
    const pump = () => {
      while (at < body.length && !response.destroyed && !closing.aborted) {
        const ok = response.write(body.slice(at, at + chunk));
        at += chunk;
        if (!ok) return void response.once("drain", pump);
      }
      if (!response.destroyed) response.end();
    };
    pump();
  } else {
    const body = completionJson("A");
    response.writeHead(200, { "content-type": "application/json" });
    let at = 0;
    const timer = setInterval(() => {
      if (response.destroyed || closing.aborted || at >= body.length) {
        clearInterval(timer);
        if (!response.destroyed) response.end();
        return;
      }
      response.write(body[at++] ?? "");
    }, settings.trickleMs ?? 100);
  }
}
