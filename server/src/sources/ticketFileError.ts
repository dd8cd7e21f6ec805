import { TicketError } from "../tickets/errors.js";

/** What went wrong with a ticket file; lets callers react without parsing messages. */
export type TicketFileProblem =
  | "not_found"
  | "unreadable"
  | "unwritable"
  | "unsupported_format"
  | "empty"
  | "missing_column"
  | "duplicate_column"
  | "invalid_value"
  | "duplicate_id"
  | "invalid_json"
  | "invalid_csv"
  | "too_many_rows"
  | "text_too_long";

/** Where in a file: spreadsheets and CSV count data rows, JSON lines count lines. */
export interface FilePosition {
  /**
   * 1-based data row for .xls/.xlsx/.csv (the header is not counted, so row 1 is the
   * first ticket: spreadsheet row 2); for .jsonl the line number.
   */
  row?: number;
  /** 1-based line in text files (.csv: where the record starts; .jsonl: same as row). */
  line?: number;
}

export interface TicketFileErrorDetails extends FilePosition {
  /** The column / JSON key at fault, when there is one. */
  field?: string;
  /** The offending value as read (after trimming), when there is one. */
  value?: unknown;
}

/**
 * A ticket file cannot be read or written. The message names the file, the position,
 * the field, the bad value and what is allowed, e.g.
 * `data/requests.xls, row 7, field "status": "opne" is not allowed (must be one of ...)`.
 */
export class TicketFileError extends TicketError {
  override readonly name = "TicketFileError";
  readonly row: number | undefined;
  readonly line: number | undefined;
  readonly field: string | undefined;
  readonly value: unknown;

  constructor(
    readonly problem: TicketFileProblem,
    /** The path as the caller gave it. */
    readonly file: string,
    message: string,
    details: TicketFileErrorDetails = {},
  ) {
    super(message);
    this.row = details.row;
    this.line = details.line;
    this.field = details.field;
    this.value = details.value;
  }
}

/** "data/x.csv, row 7 (line 9)", "data/x.jsonl, line 3", "data/x.xls, row 7". */
export function describePosition(file: string, position: FilePosition): string {
  if (position.row === undefined) {
    return position.line === undefined ? file : `${file}, line ${position.line}`;
  }
  if (position.line === undefined) return `${file}, row ${position.row}`;
  if (position.line === position.row) return `${file}, line ${position.line}`;
  return `${file}, row ${position.row} (line ${position.line})`;
}
