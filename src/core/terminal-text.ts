/**
 * Text that a server or a model sent is untrusted: before it reaches a terminal, escape
 * sequences (which can clear the screen, move the cursor over "0 errors", set the window
 * title) and other control characters are removed. Pure; the CLI renderers use it.
 */

const ESC = String.fromCharCode(0x1b);
const BEL = String.fromCharCode(0x07);
const CSI8 = String.fromCharCode(0x9b);
const OSC8 = String.fromCharCode(0x9d);
const ST8 = String.fromCharCode(0x9c);

/**
 * ESC [ … final (CSI); ESC ] … BEL or ESC \ (OSC, e.g. window titles, hyperlinks);
 * ESC P/X/^/_ … ESC \ (DCS, SOS, PM, APC); ESC and one more character; and the 8-bit
 * CSI and OSC introducers. A sequence cut off by the end of the text goes too.
 */
const SEQUENCES = new RegExp(
  [
    `${ESC}\\[[0-?]*[ -/]*[@-~]?`,
    `${ESC}[\\]PX^_][\\s\\S]*?(?:${BEL}|${ESC}\\\\|$)`,
    `${ESC}[ -~]?`,
    `${CSI8}[0-?]*[ -/]*[@-~]?`,
    `${OSC8}[\\s\\S]*?(?:${BEL}|${ST8}|$)`,
  ].join("|"),
  "g",
);

/** C0 controls but tab and newline, DEL, C1 controls, and the invisible direction overrides. */
function isControl(code: number): boolean {
  if (code < 32) return code !== 9 && code !== 10;
  if (code >= 127 && code <= 159) return true;
  return (
    code === 0x200e ||
    code === 0x200f ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/** Removes escape sequences and control characters; keeps tab and newline. */
export function stripControls(text: string): string {
  const stripped = text.replace(SEQUENCES, "");
  let out = "";
  for (const ch of stripped) if (!isControl(ch.codePointAt(0) ?? 0)) out += ch;
  return out;
}

/** `stripControls`, with every run of whitespace (newlines included) one space: for one line. */
export function oneLine(text: string): string {
  return stripControls(text).replace(/\s+/g, " ").trim();
}
