/**
 * Reading providers' rate-limit headers into one shape. OpenAI (and vLLM, OpenRouter and
 * others that copy it): `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`, resets as
 * durations such as `1s`, `6m0s`, `250ms`. Anthropic: `anthropic-ratelimit-{requests,tokens}-
 * {limit,remaining,reset}`, resets as RFC 3339 times.
 */
import type { RateLimitInfo } from "../core/types.js";

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `6m0s`, `1.5s`, `250ms`, a bare number of seconds, or an RFC 3339 time → milliseconds from now. */
export function resetMs(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length > 0 && parts.map((part) => part[0]).join("") === text) {
    return parts.reduce((sum, part) => sum + Number(part[1]) * (UNITS[part[2] ?? "s"] ?? 0), 0);
  }
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function count(value: string | null): number | undefined {
  if (value === null) return undefined;
  const number = Number(value);
  return Number.isFinite(number) && value.trim() !== "" ? number : undefined;
}

export function readRateLimitHeaders(headers: Headers, now?: number): RateLimitInfo | undefined {
  // Most servers send none: four lookups decide that, before the twelve that read them.
  const any =
    headers.has("x-ratelimit-remaining-requests") ||
    headers.has("x-ratelimit-remaining-tokens") ||
    headers.has("anthropic-ratelimit-requests-remaining") ||
    headers.has("anthropic-ratelimit-tokens-remaining");
  if (!any) return undefined;
  const get = (openai: string, anthropic: string) =>
    headers.get(`x-ratelimit-${openai}`) ?? headers.get(`anthropic-ratelimit-${anthropic}`);
  const info: RateLimitInfo = {};
  const set = (key: keyof RateLimitInfo, value: number | undefined) => {
    if (value !== undefined) info[key] = value;
  };
  set("requestsLimit", count(get("limit-requests", "requests-limit")));
  set("requestsRemaining", count(get("remaining-requests", "requests-remaining")));
  set("requestsResetMs", resetMs(get("reset-requests", "requests-reset"), now));
  set("tokensLimit", count(get("limit-tokens", "tokens-limit")));
  set("tokensRemaining", count(get("remaining-tokens", "tokens-remaining")));
  set("tokensResetMs", resetMs(get("reset-tokens", "tokens-reset"), now));
  return Object.keys(info).length > 0 ? info : undefined;
}
