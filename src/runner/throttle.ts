/**
 * Keeping under a provider's rate limits, per target:
 * - `--rpm` and `--tpm` caps, as sliding one-minute windows of requests sent and tokens
 *   used (a request counts its estimate until the answer says how many it used);
 * - the provider's own rate-limit headers: when fewer requests or tokens remain than the
 *   next request needs, sending pauses until the provider's reset time;
 * - on a 429, the number of requests in flight is halved, and it grows again by about one
 *   per window of successes (additive increase, multiplicative decrease), up to
 *   `--concurrency`, instead of retrying at full width.
 */
import type { RateLimitInfo } from "../core/types.js";

export interface RateCaps {
  /** Requests per minute, per target. */
  rpm?: number;
  /** Tokens (prompt + completion) per minute, per target. */
  tpm?: number;
}

export interface Outcome {
  ok: boolean;
  /** The server answered 429. */
  rateLimited: boolean;
  /** Tokens the request used, when the server said. */
  tokens?: number;
  rateLimit?: RateLimitInfo;
}

export interface Ticket {
  readonly startedAt: number;
  readonly estimate: number;
}

const WINDOW_MS = 60_000;

/** One target's throttle. `now` is injectable for tests. */
export class Throttle {
  private window: number;
  private inFlight = 0;
  private lastDecrease = Number.NEGATIVE_INFINITY;
  private readonly sent: number[] = [];
  private readonly used: Array<{ at: number; tokens: number }> = [];
  private pausedUntil = 0;
  private readonly wakers = new Set<() => void>();

  constructor(
    private readonly max: number,
    private readonly caps: RateCaps = {},
    private readonly now: () => number = Date.now,
    private readonly onDecrease?: (window: number) => void,
  ) {
    this.window = max;
  }

  /** Requests allowed in flight now (for progress and tests). */
  get concurrency(): number {
    return Math.max(1, Math.floor(this.window));
  }

  /** Waits until a request of about `estimate` tokens may be sent. */
  async acquire(estimate: number, signal?: AbortSignal): Promise<Ticket> {
    for (;;) {
      signal?.throwIfAborted();
      const wait = this.waitMs(estimate);
      if (wait === 0) break;
      await this.sleep(wait, signal);
    }
    const startedAt = this.now();
    this.inFlight++;
    // Windows are kept only for the caps that are set (no cost otherwise).
    if (this.caps.rpm !== undefined) this.sent.push(startedAt);
    if (this.caps.tpm !== undefined) this.used.push({ at: startedAt, tokens: estimate });
    return { startedAt, estimate };
  }

  release(ticket: Ticket, outcome: Outcome): void {
    this.inFlight--;
    if (outcome.tokens !== undefined) this.correctTokens(ticket, outcome.tokens);
    if (outcome.rateLimited) {
      // One decrease per congestion event: requests already in flight when the window was
      // halved do not halve it again.
      if (ticket.startedAt >= this.lastDecrease) {
        this.window = Math.max(1, this.window / 2);
        this.lastDecrease = this.now();
        this.onDecrease?.(this.concurrency);
      }
    } else if (outcome.ok) {
      this.window = Math.min(this.max, this.window + 1 / this.window);
    }
    if (outcome.rateLimit) this.observe(outcome.rateLimit, ticket.estimate);
    for (const wake of [...this.wakers]) wake();
  }

  /** 0 when a request may go now; otherwise how long to wait at most before looking again. */
  private waitMs(estimate: number): number {
    const now = this.now();
    this.forget(now);
    if (now < this.pausedUntil) return this.pausedUntil - now;
    // Waiting on a slot: a release wakes us; the timeout is only a safety net.
    if (this.inFlight >= this.concurrency) return 1000;
    if (this.caps.rpm !== undefined && this.sent.length >= this.caps.rpm) {
      return Math.max(1, (this.sent[0] ?? now) + WINDOW_MS - now);
    }
    if (this.caps.tpm !== undefined) {
      let total = this.used.reduce((sum, entry) => sum + entry.tokens, 0);
      // A request larger than the whole cap still goes, alone.
      if (total > 0 && total + estimate > this.caps.tpm) {
        for (const entry of this.used) {
          total -= entry.tokens;
          if (total + estimate <= this.caps.tpm) return Math.max(1, entry.at + WINDOW_MS - now);
        }
      }
    }
    return 0;
  }

  private forget(now: number): void {
    while ((this.sent[0] ?? now) <= now - WINDOW_MS) this.sent.shift();
    while ((this.used[0]?.at ?? now) <= now - WINDOW_MS) this.used.shift();
  }

  private correctTokens(ticket: Ticket, tokens: number): void {
    const entry = this.used.find((e) => e.at === ticket.startedAt && e.tokens === ticket.estimate);
    if (entry) entry.tokens = tokens;
  }

  /** The provider's headers: pause until its reset when what remains will not cover us. */
  private observe(info: RateLimitInfo, estimate: number): void {
    const now = this.now();
    const until = (resetMs: number | undefined) => now + (resetMs ?? 1000);
    if (info.requestsRemaining !== undefined && info.requestsRemaining <= this.inFlight) {
      this.pausedUntil = Math.max(this.pausedUntil, until(info.requestsResetMs));
    }
    if (
      info.tokensRemaining !== undefined &&
      info.tokensRemaining < estimate * (this.inFlight + 1)
    ) {
      this.pausedUntil = Math.max(this.pausedUntil, until(info.tokensResetMs));
    }
  }

  private sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        signal?.removeEventListener("abort", onAbort);
      };
      const done = () => {
        cleanup();
        resolve();
      };
      const onAbort = () => {
        cleanup();
        reject(signal?.reason);
      };
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }
}

/** Throttles by target spec, kept across the sending phases of a run (answers, judging). */
export class Throttles {
  private readonly byTarget = new Map<string, Throttle>();

  constructor(
    private readonly caps: RateCaps = {},
    private readonly now: () => number = Date.now,
  ) {}

  for(spec: string, max: number, onDecrease?: (window: number) => void): Throttle {
    let throttle = this.byTarget.get(spec);
    if (!throttle) {
      throttle = new Throttle(max, this.caps, this.now, onDecrease);
      this.byTarget.set(spec, throttle);
    }
    return throttle;
  }
}

/** About how many tokens a request uses: its text at four characters a token, plus the answer's limit. */
export function estimateTokens(messages: Array<{ content: string }>, maxTokens: number): number {
  const characters = messages.reduce((sum, message) => sum + message.content.length, 0);
  return Math.ceil(characters / 4) + maxTokens;
}
