import { describe, expect, it } from "vitest";
import { oneLine, stripControls } from "./terminal-text.js";

const ESC = "\u001b";

describe("stripControls", () => {
  it("removes CSI, OSC and other escape sequences, and control characters", () => {
    const hostile = `ok${ESC}[2J${ESC}[H${ESC}]0;title\u0007\r0 errors${ESC}[31m!${ESC}P1;2|x${ESC}\\ end`;
    expect(stripControls(hostile)).toBe("ok0 errors! end");
  });

  it("removes 8-bit introducers, cut-off sequences and direction overrides", () => {
    expect(stripControls("a\u009b2Jb\u202ec\u2066d")).toBe("abcd");
    expect(stripControls(`tail${ESC}[3`)).toBe("tail");
    expect(stripControls(`title${ESC}]0;never closed`)).toBe("title");
  });

  it("keeps tabs, newlines and ordinary text, accents and emoji included", () => {
    expect(stripControls("Line 1\n\tLine 2 — café 👩‍⚕️")).toBe("Line 1\n\tLine 2 — café 👩‍⚕️");
  });
});

describe("oneLine", () => {
  it("also folds newlines into spaces", () => {
    expect(oneLine(`  a\n\nb\r\n${ESC}[2Kc  `)).toBe("a b c");
  });
});
