/**
 * A small streaming CSV reader and writer (RFC 4180), so a million tickets load chunk by
 * chunk instead of through one giant string or a SheetJS workbook.
 *
 * Reading accepts what real files contain: CRLF, LF or lone CR line ends, quoted fields
 * with commas, doubled quotes and line breaks, a UTF-8 byte order mark, and no final line
 * break. A stray quote inside an unquoted field is kept as text (as spreadsheet programs
 * do); a quoted field that never closes is an error.
 */

export interface CsvRecord {
  fields: string[];
  /** 1-based line where the record starts (records may span lines). */
  line: number;
}

export class CsvSyntaxError extends Error {
  override readonly name = "CsvSyntaxError";
  constructor(
    readonly line: number,
    detail: string,
  ) {
    super(`line ${line}: ${detail}`);
  }
}

const COMMA = 0x2c;
const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

type State = "fieldStart" | "unquoted" | "quoted" | "quoteInQuoted";

/** Push text chunks in, get complete records out; call end() after the last chunk. */
export class CsvParser {
  private state: State = "fieldStart";
  private field = "";
  private fields: string[] = [];
  private line = 1;
  private recordLine = 1;
  private quoteLine = 1;
  private recordStarted = false;
  private skipNextLf = false;
  private atStart = true;

  push(chunk: string): CsvRecord[] {
    const records: CsvRecord[] = [];
    let i = 0;
    if (this.atStart && chunk.length > 0) {
      this.atStart = false;
      if (chunk.charCodeAt(0) === 0xfeff) i = 1;
    }
    const n = chunk.length;
    while (i < n) {
      if (this.skipNextLf) {
        // The LF of a CRLF that was split across chunks or just seen.
        this.skipNextLf = false;
        if (chunk.charCodeAt(i) === LF) {
          i++;
          continue;
        }
      }
      if (this.state === "quoted") {
        const close = chunk.indexOf('"', i);
        const end = close === -1 ? n : close;
        const text = chunk.slice(i, end);
        this.field += text;
        this.line += countLineFeeds(text);
        if (close === -1) return records;
        this.state = "quoteInQuoted";
        i = close + 1;
        continue;
      }
      const code = chunk.charCodeAt(i);
      if (this.state === "quoteInQuoted") {
        if (code === QUOTE) {
          this.field += '"';
          this.state = "quoted";
          i++;
          continue;
        }
        // Closing quote: what follows is a delimiter, or (leniently) more text.
        this.state = "unquoted";
      }
      if (this.state === "fieldStart") {
        this.recordStarted = true;
        if (code === QUOTE) {
          this.state = "quoted";
          this.quoteLine = this.line;
          i++;
          continue;
        }
        this.state = "unquoted";
      }
      // Unquoted: take the run up to the next delimiter in one slice.
      let end = i;
      while (end < n) {
        const c = chunk.charCodeAt(end);
        if (c === COMMA || c === CR || c === LF) break;
        end++;
      }
      this.field += chunk.slice(i, end);
      if (end === n) return records;
      const delimiter = chunk.charCodeAt(end);
      i = end + 1;
      this.fields.push(this.field);
      this.field = "";
      this.state = "fieldStart";
      if (delimiter === COMMA) continue;
      records.push(this.finishRecord());
      this.skipNextLf = delimiter === CR;
    }
    return records;
  }

  /** Flushes a last record without a line break; throws on an unclosed quote. */
  end(): CsvRecord[] {
    if (this.state === "quoted") {
      throw new CsvSyntaxError(this.quoteLine, "a quoted field is never closed (missing '\"')");
    }
    if (!this.recordStarted && this.fields.length === 0) return [];
    this.fields.push(this.field);
    this.field = "";
    return [this.finishRecord()];
  }

  private finishRecord(): CsvRecord {
    const record = { fields: this.fields, line: this.recordLine };
    this.fields = [];
    this.recordStarted = false;
    this.line++;
    this.recordLine = this.line;
    return record;
  }
}

function countLineFeeds(text: string): number {
  let count = 0;
  for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) count++;
  return count;
}

const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV record with its CRLF line end; quotes only the fields that need it. */
export function formatCsvRecord(fields: readonly string[]): string {
  let out = "";
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    if (i > 0) out += ",";
    out += NEEDS_QUOTES.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
  }
  return out + "\r\n";
}
