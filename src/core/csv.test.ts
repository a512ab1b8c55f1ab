import { describe, expect, it } from "vitest";
import { parseCsv } from "./csv.js";

describe("parseCsv", () => {
  it("reads a plain table with or without a final line break", () => {
    const expected = {
      header: ["a", "b"],
      rows: [
        ["1", "2"],
        ["3", "4"],
      ],
      rowLines: [2, 3],
    };
    expect(parseCsv("a,b\n1,2\n3,4\n")).toEqual(expected);
    expect(parseCsv("a,b\n1,2\n3,4")).toEqual(expected);
    expect(parseCsv("a,b\r\n1,2\r\n3,4\r\n")).toEqual(expected);
    expect(parseCsv("a,b\r1,2\r3,4\r")).toEqual(expected);
  });

  it("handles quotes, doubled quotes, separators and line breaks inside quotes", () => {
    const text = 'id,text\r\n1,"say ""hi"", then, go"\r\n2,"two\r\nlines\nhere"\r\n3,""\r\n';
    const table = parseCsv(text);
    expect(table.rows).toEqual([
      ["1", 'say "hi", then, go'],
      ["2", "two\r\nlines\nhere"],
      ["3", ""],
    ]);
    // The quoted field of row 2 spans lines 3 to 5, so row 3 starts on line 6.
    expect(table.rowLines).toEqual([2, 3, 6]);
  });

  it("keeps empty fields and surrounding spaces of unquoted fields", () => {
    expect(parseCsv("a,b,c\n, x ,\n").rows).toEqual([["", " x ", ""]]);
  });

  it("drops a byte-order mark and trailing blank lines", () => {
    expect(parseCsv("\uFEFFkey,value\n1,2\n\n\n")).toEqual({
      header: ["key", "value"],
      rows: [["1", "2"]],
      rowLines: [2],
    });
  });

  it("treats a blank line inside the file as a record", () => {
    expect(parseCsv("only\nx\n\ny\n").rows).toEqual([["x"], [""], ["y"]]);
    expect(() => parseCsv("a,b\n1,2\n\n3,4\n", "t.csv")).toThrow(
      "t.csv:3: 1 field(s), but the header has 2.",
    );
  });

  it("reads a header-only file", () => {
    expect(parseCsv("a,b\r\n")).toEqual({ header: ["a", "b"], rows: [], rowLines: [] });
  });

  it("names the file and line in every error", () => {
    expect(() => parseCsv("", "empty.csv")).toThrow("empty.csv:1: the file is empty");
    expect(() => parseCsv("a,b\n1,2,3\n", "wide.csv")).toThrow(
      "wide.csv:2: 3 field(s), but the header has 2.",
    );
    expect(() => parseCsv('a,b\n1,"open\n\n', "open.csv")).toThrow(
      "open.csv:2: a quoted field is never closed",
    );
    expect(() => parseCsv('a,b\n1,2\nx"y,3\n', "stray.csv")).toThrow(
      "stray.csv:3: a quote inside an unquoted field",
    );
    expect(() => parseCsv('a,b\n"1"x,2\n', "after.csv")).toThrow(
      "after.csv:2: text after a closing quote",
    );
    // Line numbers count the breaks inside quoted fields.
    expect(() => parseCsv('a,b\n"x\r\ny",1\n1\n', "count.csv")).toThrow("count.csv:4:");
  });

  it("throws a user error (exit code 2)", () => {
    try {
      parseCsv('a\n"', "x.csv");
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: "BAD_ARGUMENT", isUserError: true });
    }
  });
});
