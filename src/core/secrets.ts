/**
 * Secrets careprobe was configured with (API keys, header values taken from the
 * environment) are never shown or stored, whatever a server sends back: targets register
 * them when they are created, and every error, progress line, stored request and report
 * passes through `redactSecrets`. One registry per process, so one mechanism covers every
 * target kind and every place text leaves careprobe.
 */

/** Shorter values would blank out ordinary words; no real key is this short. */
const MIN_LENGTH = 6;
const MASK = "***";

const registered = new Set<string>();
/** Longest first, so a secret that contains another is masked whole. */
let ordered: string[] = [];

/** Remembers a secret (and its URL-encoded form) for redaction; short or empty values are ignored. */
export function registerSecret(value: string | undefined): void {
  if (value === undefined) return;
  for (const form of new Set([value, value.trim(), encodeURIComponent(value.trim())])) {
    if (form.length >= MIN_LENGTH && !registered.has(form)) registered.add(form);
  }
  ordered = [...registered].sort((a, b) => b.length - a.length);
}

/** The text with every registered secret replaced by `***`. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const secret of ordered) if (out.includes(secret)) out = out.split(secret).join(MASK);
  return out;
}

/** Whether the text contains a registered secret (for tests and checks). */
export function containsSecret(text: string): boolean {
  return ordered.some((secret) => text.includes(secret));
}

/** Forgets every secret (tests only). */
export function forgetSecrets(): void {
  registered.clear();
  ordered = [];
}
