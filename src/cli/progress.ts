/**
 * Renders library progress events on stderr: a live line on a terminal, plain lines
 * (at most every few seconds) otherwise, so logs of CI jobs stay readable.
 */
import type { ProgressEvent } from "../core/types.js";
import { sanitizeForTerminal } from "../report/format.js";

export interface ProgressRenderer {
  onEvent(event: ProgressEvent): void;
  finish(): void;
  /** What each target's requests sent by this command came to (quiet or not). */
  sent(): ReadonlyMap<string, SentTally>;
}

/** Requests sent to one target by this command: answered, and failed by error code. */
export interface SentTally {
  ok: number;
  failed: number;
  codes: Record<string, number>;
}

function seconds(ms: number): string {
  if (!Number.isFinite(ms)) return "?";
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}

/** Counts each target's results by outcome and error code (what `sent()` returns). */
function tallyInto(
  tallies: Map<string, SentTally>,
): (event: Extract<ProgressEvent, { type: "result" }>) => void {
  return (event) => {
    if (event.cached) return;
    const tally = tallies.get(event.target) ?? { ok: 0, failed: 0, codes: {} };
    tallies.set(event.target, tally);
    if (event.ok) tally.ok++;
    else {
      tally.failed++;
      const code = event.errorCode ?? "ERROR";
      tally.codes[code] = (tally.codes[code] ?? 0) + 1;
    }
  };
}

/** The progress line: a bar on a terminal, done/total, errors, rates and the time left. */
function resultLine(
  event: Extract<ProgressEvent, { type: "result" }>,
  elapsedMs: number,
  tokens: number,
  tty: boolean,
): string {
  const rate = event.done / Math.max(elapsedMs / 1000, 0.001);
  // Local models on a CPU are measured in tokens a second more than requests.
  const tokenRate =
    tokens > 0 ? ` · ${(tokens / Math.max(elapsedMs / 1000, 0.001)).toFixed(1)} tok/s` : "";
  const eta = ((event.total - event.done) / Math.max(rate, 1e-9)) * 1000;
  const width = 24;
  const filled = Math.round((event.done / Math.max(event.total, 1)) * width);
  const bar = tty ? `[${"#".repeat(filled)}${".".repeat(width - filled)}] ` : "";
  return `${bar}${event.done}/${event.total} done · ${event.errors} errors · ${rate.toFixed(1)} req/s${tokenRate} · ETA ${seconds(eta)}`;
}

export function createProgress(stream: NodeJS.WriteStream, quiet = false): ProgressRenderer {
  const tty = stream.isTTY === true;
  // Rates count from the plan, not from process start (model loading is not sending).
  let started = Date.now();
  let lastPlain = 0;
  let tokens = 0;
  let liveLine = false;
  const write = (text: string) => {
    if (quiet) return;
    if (tty) {
      stream.write(`\r\u001b[2K${text}`);
      liveLine = true;
    } else {
      stream.write(`${text}\n`);
    }
  };
  const line = (text: string) => {
    if (quiet) return;
    if (liveLine) stream.write("\r\u001b[2K");
    liveLine = false;
    stream.write(`${text}\n`);
  };
  // A terminal line is redrawn at most ten times a second; logs get a line every 5 s.
  const throttled = (text: string, force: boolean) => {
    const now = Date.now();
    if (force || now - lastPlain >= (tty ? 100 : 5000)) {
      lastPlain = now;
      write(text);
    }
  };
  const tallies = new Map<string, SentTally>();
  const count = tallyInto(tallies);
  return {
    sent: () => tallies,
    onEvent(event) {
      if (event.type === "result") count(event);
      if (quiet) return;
      switch (event.type) {
        case "plan":
          started = Date.now();
          tokens = 0;
          line(
            `${event.runs} run(s), ${event.total} request(s): ${event.cached} already stored, ${event.toSend} to send`,
          );
          break;
        case "result":
          tokens += event.completionTokens ?? 0;
          throttled(
            resultLine(event, Date.now() - started, tokens, tty),
            event.done === event.total,
          );
          break;
        case "retry":
          if (!tty)
            throttled(
              `retrying ${event.target} in ${seconds(event.delayMs)}: ${sanitizeForTerminal(event.reason)}`,
              false,
            );
          break;
        case "download": {
          const total = event.totalBytes;
          const share = total ? ` (${((event.receivedBytes / total) * 100).toFixed(0)}%)` : "";
          throttled(
            `downloading ${event.label}: ${megabytes(event.receivedBytes)}${total ? ` of ${megabytes(total)}` : ""}${share}`,
            total !== undefined && event.receivedBytes >= total,
          );
          break;
        }
        case "info":
          line(sanitizeForTerminal(event.message));
          break;
        case "warning":
          line(`warning: ${sanitizeForTerminal(event.message)}`);
          break;
      }
    },
    finish() {
      if (liveLine && !quiet) stream.write("\n");
      liveLine = false;
    },
  };
}
