/**
 * A small CSV reader following RFC 4180: fields separated by commas, records by CRLF
 * (a bare LF or CR is accepted too), fields optionally in double quotes, a doubled quote
 * inside quotes for a literal quote. Quoted fields may hold commas and line breaks, which
 * are kept exactly as written. A leading byte-order mark is dropped. Every record must
 * have as many fields as the header; errors name the file and the line.
 */
import { CareprobeError, type ErrorCode } from "./errors.js";

export interface CsvTable {
  header: string[];
  rows: string[][];
  /** The 1-based line on which each row starts (rows can span lines), for error messages. */
  rowLines: number[];
}

function csvError(file: string, line: number, message: string): CareprobeError {
  return new CareprobeError("BAD_ARGUMENT", `${file}:${line}: ${message}`, {
    hint: "Check the file is comma-separated CSV with one header line (RFC 4180).",
  });
}

interface RawRecord {
  fields: string[];
  line: number;
}

/** Splits the text into records of raw fields; knows nothing about the header. */
function splitRecords(text: string, file: string): RawRecord[] {
  const records: RawRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let recordLine = 1;
  let quoteLine = 0;
  // "start": at the start of a field; "plain": in an unquoted field; "quoted": inside
  // quotes; "closed": just after a closing quote (only a separator may follow).
  let state: "start" | "plain" | "quoted" | "closed" = "start";
  const endRecord = () => {
    fields.push(field);
    records.push({ fields, line: recordLine });
    fields = [];
    field = "";
    state = "start";
  };
  let i = 0;
  while (i < text.length) {
    const char = text[i] as string;
    if (state === "quoted") {
      if (char === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        state = "closed";
      } else {
        if (char === "\n" || (char === "\r" && text[i + 1] !== "\n")) line++;
        field += char;
      }
      i++;
      continue;
    }
    if (char === ",") {
      fields.push(field);
      field = "";
      state = "start";
      i++;
    } else if (char === "\r" || char === "\n") {
      endRecord();
      i += char === "\r" && text[i + 1] === "\n" ? 2 : 1;
      line++;
      recordLine = line;
    } else if (char === '"') {
      if (state !== "start") {
        throw csvError(file, line, "a quote inside an unquoted field; quote the whole field.");
      }
      state = "quoted";
      quoteLine = line;
      i++;
    } else {
      if (state === "closed") {
        throw csvError(file, line, "text after a closing quote; a field ends at its quote.");
      }
      state = "plain";
      field += char;
      i++;
    }
  }
  if (state === "quoted") {
    throw csvError(file, quoteLine, "a quoted field is never closed (missing '\"').");
  }
  // The last record needs no line break; a break after it does not start another record.
  if (state !== "start" || field !== "" || fields.length > 0) endRecord();
  return records;
}

/** True for a record that is one empty field: a blank line. */
function isBlank(record: RawRecord): boolean {
  return record.fields.length === 1 && record.fields[0] === "";
}

/** What a malformed file is: a user's file (BAD_ARGUMENT, the default) or published data. */
export interface CsvErrors {
  code: ErrorCode;
  hint: string;
}

/**
 * Parses CSV text whose first record is the header. `file` names the source in errors.
 * Blank lines at the end of the file are ignored; a blank line elsewhere is a record
 * and must match the header like any other (so in a one-column file it is an empty value).
 */
export function parseCsv(text: string, file = "<csv>", errors?: CsvErrors): CsvTable {
  if (!errors) return parseTable(text, file);
  try {
    return parseTable(text, file);
  } catch (error) {
    if (!(error instanceof CareprobeError)) throw error;
    throw new CareprobeError(errors.code, error.message, { hint: errors.hint, cause: error });
  }
}

function parseTable(text: string, file: string): CsvTable {
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const records = splitRecords(body, file);
  while (records.length > 0 && isBlank(records[records.length - 1] as RawRecord)) records.pop();
  const first = records.shift();
  if (first === undefined) throw csvError(file, 1, "the file is empty; expected a header line.");
  const header = first.fields;
  const rows: string[][] = [];
  const rowLines: number[] = [];
  for (const record of records) {
    if (record.fields.length !== header.length) {
      throw csvError(
        file,
        record.line,
        `${record.fields.length} field(s), but the header has ${header.length}.`,
      );
    }
    rows.push(record.fields);
    rowLines.push(record.line);
  }
  return { header, rows, rowLines };
}

// Writing: every cell a spreadsheet opens as text, never as a formula.

/**
 * A text cell that a spreadsheet would read as a formula (it starts with `=`, `+`, `-`,
 * `@`, a tab or a carriage return) gets a leading apostrophe: Excel, LibreOffice and
 * Google Sheets then show it as text. Numbers are written as numbers.
 */
export function defuseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = typeof value === "string" ? defuseFormula(value) : String(value);
  return /[",\n\r]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: unknown[]): string {
  return values.map(csvCell).join(",");
}
