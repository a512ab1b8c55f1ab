/**
 * XML text for untrusted strings: characters XML 1.0 cannot carry at all (most control
 * characters, lone surrogates, U+FFFE/U+FFFF) are replaced by a visible marker, and the
 * five special characters are escaped. No CDATA, so `]]>` in a reply is harmless.
 */

function allowed(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    code >= 0x10000
  );
}

/** Drops what XML cannot represent; a removed character becomes `\u{…}` so it stays visible. */
export function xmlSafe(text: string): string {
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    // A lone surrogate iterates as one unit in the 0xd800–0xdfff range.
    out += allowed(code) ? ch : `\\u{${code.toString(16)}}`;
  }
  return out;
}

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

/** Escapes text for an XML (or HTML) text node or a quoted attribute value. */
export function xmlEscape(value: unknown): string {
  const text = value === null || value === undefined ? "" : String(value);
  return xmlSafe(text).replace(/[&<>"']/g, (ch) => ENTITIES[ch] ?? ch);
}

/** For attributes: also keeps line breaks and tabs, which parsers would fold to spaces. */
export function xmlAttribute(value: unknown): string {
  return xmlEscape(value).replace(/\r/g, "&#13;").replace(/\n/g, "&#10;").replace(/\t/g, "&#9;");
}
