import { afterEach, describe, expect, it } from "vitest";
import { containsSecret, forgetSecrets, redactSecrets, registerSecret } from "./secrets.js";

afterEach(() => forgetSecrets());

describe("redactSecrets", () => {
  it("masks every registered secret wherever it appears, and its URL-encoded form", () => {
    registerSecret("sk-live-abc123");
    registerSecret("token with/slash");
    const text =
      "key sk-live-abc123, again sk-live-abc123; token%20with%2Fslash and token with/slash";
    expect(redactSecrets(text)).toBe("key ***, again ***; *** and ***");
    expect(containsSecret(text)).toBe(true);
    expect(containsSecret(redactSecrets(text))).toBe(false);
  });

  it("masks a longer secret whole when a shorter one is inside it", () => {
    registerSecret("abcdef");
    registerSecret("abcdefghij");
    expect(redactSecrets("x abcdefghij y abcdef")).toBe("x *** y ***");
  });

  it("ignores values too short to be a key", () => {
    registerSecret("abc");
    registerSecret(undefined);
    registerSecret("");
    expect(redactSecrets("abc abc")).toBe("abc abc");
  });
});
