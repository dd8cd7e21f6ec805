import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as XLSX from "xlsx";
import { DEFAULT_SEED, generateTickets } from "../../data/generator.js";
import { CsvParser, formatCsvRecord } from "../src/sources/csv.js";
import {
  TicketFileError,
  readTicketsFile,
  writeTicketsFile,
  type TicketFileFormat,
} from "../src/sources/spreadsheet.js";
import { TICKET_FIELDS, type Ticket } from "../src/tickets/ticket.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const FORMATS: readonly TicketFileFormat[] = ["xls", "xlsx", "csv", "jsonl"];
const STATUS_RULE = "must be one of open, in_progress, pending, closed, rejected";
const dir = await mkdtemp(join(tmpdir(), "tickets-test-"));
after(() => rm(dir, { recursive: true, force: true }));
let fileCounter = 0;
const tmp = (extension: string) => join(dir, `t${++fileCounter}.${extension}`);

const sample = (count = 5, seed = DEFAULT_SEED) => [...generateTickets({ count, seed })];
const base = sample(1)[0]!;
const edgeCases: Ticket[] = [
  {
    ...base,
    ticket_id: "EDGE-1",
    title: 'Quotes "inside", commas, and a formula-like =SUM(A1)',
    description: 'Line one,\r\nline "two"\nline three, with ""double"" quotes,,',
  },
  {
    ...base,
    ticket_id: "EDGE-2",
    title: "Не могу войти в систему 🔐",
    description: "São Paulo — ünïcödé",
  },
  // Longer than a BIFF record's 255-character inline label; 4,110 is the .xls maximum.
  { ...base, ticket_id: "EDGE-3", title: "Long text", description: "x".repeat(4105) + " end." },
  {
    ...base,
    ticket_id: "EDGE-4",
    title: "Empty optional fields",
    description: "",
    assigned_to: "",
  },
  { ...base, ticket_id: "EDGE-5", title: "Line break only", description: "first line\nsecond" },
];

async function fileError(promise: Promise<unknown>): Promise<TicketFileError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof TicketFileError, `expected a TicketFileError, got ${String(error)}`);
    return error;
  }
  return assert.fail("expected a TicketFileError");
}

/** Rows as a file of the given format, written without our writer so anything can go in. */
async function rawFile(format: TicketFileFormat, rows: unknown[][], bookOptions: object = {}) {
  const path = tmp(format);
  if (format === "csv") {
    await writeFile(path, rows.map((row) => formatCsvRecord(row.map(String))).join(""));
  } else if (format === "jsonl") {
    const [header, ...data] = rows as string[][];
    const lines = data.map((row) =>
      JSON.stringify(Object.fromEntries(header!.map((h, i) => [h, row[i]]))),
    );
    await writeFile(path, lines.join("\n") + "\n");
  } else {
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(rows), "tickets");
    Object.assign(book, bookOptions);
    const bookType = format === "xls" ? "biff8" : "xlsx";
    await writeFile(path, XLSX.write(book, { bookType, type: "buffer", bookSST: true }) as Buffer);
  }
  return path;
}

const asRow = (t: Ticket): string[] => TICKET_FIELDS.map((f) => t[f]);
const table = (tickets: Ticket[]): string[][] => [[...TICKET_FIELDS], ...tickets.map(asRow)];
/** The third data row (row 3; line 4 in CSV, line 3 in JSON lines) with one field changed. */
function withBadThirdRow(field: (typeof TICKET_FIELDS)[number], value: string): string[][] {
  const rows = table(sample());
  rows[3]![TICKET_FIELDS.indexOf(field)] = value;
  return rows;
}
const where = (format: TicketFileFormat, path: string) =>
  format === "csv"
    ? `${path}, row 3 (line 4)`
    : format === "jsonl"
      ? `${path}, line 3`
      : `${path}, row 3`;

for (const format of FORMATS) {
  test(`${format}: writing then reading gives the same tickets, byte-identical on rewrite`, async () => {
    const tickets = [...sample(50), ...edgeCases];
    const [first, second] = [tmp(format), tmp(format)];
    const result = await writeTicketsFile(first, tickets);
    assert.equal(result.count, tickets.length);
    // SheetJS reads a CRLF inside an .xlsx cell as LF, Excel's own in-cell line break.
    const crlfToLf = (t: Ticket) => ({ ...t, description: t.description.replaceAll("\r\n", "\n") });
    assert.deepEqual(
      await readTicketsFile(first),
      format === "xlsx" ? tickets.map(crlfToLf) : tickets,
    );
    await writeTicketsFile(
      second,
      (async function* () {
        yield* tickets;
      })(),
    );
    const [a, b] = [await readFile(first), await readFile(second)];
    assert.equal(result.bytes, a.length);
    assert.ok(a.equals(b), "two writes of the same tickets differ");
    assert.deepEqual(
      await readdir(dir).then((names) => names.filter((n) => n.endsWith(".tmp"))),
      [],
    );
  });

  test(`${format}: a bad status names the file, the row, the field, the value and what is allowed`, async () => {
    const path = await rawFile(format, withBadThirdRow("status", "opne"));
    const error = await fileError(readTicketsFile(path));
    assert.equal(
      error.message,
      `${where(format, path)}, field "status": "opne" is not allowed (${STATUS_RULE})`,
    );
    assert.equal(error.problem, "invalid_value");
    assert.equal(error.file, path);
    assert.equal(error.row, 3);
    assert.equal(error.line, format === "csv" ? 4 : format === "jsonl" ? 3 : undefined);
    assert.equal(error.field, "status");
    assert.equal(error.value, "opne");
  });

  test(`${format}: a repeated ticket_id names both places`, async () => {
    const rows = table(sample());
    rows[4]![0] = rows[2]![0]!;
    const error = await fileError(readTicketsFile(await rawFile(format, rows)));
    const first = format === "jsonl" ? "line 2" : "row 2";
    assert.equal(error.problem, "duplicate_id");
    assert.match(
      error.message,
      new RegExp(`(row 4|line 4).*"TKT-0002" is already used at ${first}`),
    );
  });
}

test("other invalid values explain themselves", async () => {
  const cases: [(typeof TICKET_FIELDS)[number], string, string][] = [
    [
      "created_date",
      "14/03/2025",
      '"14/03/2025" is not an ISO 8601 date (use e.g. 2025-03-01 or 2025-03-01T10:00:00Z)',
    ],
    ["updated_date", "2024-12-31", '"2024-12-31" is earlier than created_date'],
    ["title", "   ", "is empty (a value is required)"],
    ["priority", "", `is empty (must be one of critical, high, medium, low)`],
    ["title", "t".repeat(501), "is too long (501 characters; at most 500)"],
  ];
  for (const [field, value, explanation] of cases) {
    const path = await rawFile("csv", withBadThirdRow(field, value));
    const error = await fileError(readTicketsFile(path));
    assert.ok(
      error.message.startsWith(`${path}, row 3 (line 4), field "${field}": ${explanation}`),
      error.message,
    );
  }
});

test("jsonl: invalid JSON, non-objects, missing keys and non-text values name the line", async () => {
  const good = JSON.stringify(sample(1)[0]);
  const { status: _status, ...withoutStatus } = sample(2)[1]!;
  const cases: [string, string, string][] = [
    ["{not json", "invalid_json", ", line 2: invalid JSON ("],
    ["[1,2]", "invalid_json", ", line 2: expected a JSON object with the keys ticket_id, "],
    [
      JSON.stringify(withoutStatus),
      "invalid_value",
      `, line 2, field "status": is missing (${STATUS_RULE})`,
    ],
    [
      JSON.stringify({ ...sample(2)[1], title: ["a"] }),
      "invalid_value",
      ', line 2, field "title": "[\\"a\\"]" is an array (must be text)',
    ],
  ];
  for (const [line, problem, message] of cases) {
    const path = tmp("jsonl");
    await writeFile(path, `${good}\n${line}\n`);
    const error = await fileError(readTicketsFile(path));
    assert.equal(error.problem, problem);
    assert.equal(error.line, 2);
    assert.ok(error.message.startsWith(path + message), error.message);
  }
});

test("text files: numbers become text; blank lines, CRLF and a missing last line end are fine", async () => {
  const [first, second] = sample(2);
  const jsonl = tmp("jsonl");
  await writeFile(
    jsonl,
    `\n${JSON.stringify({ ...first, user_id: 123 })}\r\n\n${JSON.stringify(second)}`,
  );
  assert.deepEqual(await readTicketsFile(jsonl), [{ ...first, user_id: "123" }, second]);
  const csv = tmp("csv");
  await writeFile(
    csv,
    [TICKET_FIELDS, asRow(first!), asRow(second!)].map(formatCsvRecord).join("").trimEnd(),
  );
  assert.deepEqual(await readTicketsFile(csv), [first, second]);
});

test("a missing column names the file and the column", async () => {
  for (const format of ["csv", "xlsx", "xls", "jsonl"] as const) {
    const rows = table(sample()).map((row) =>
      row.filter((_, i) => i !== TICKET_FIELDS.indexOf("priority")),
    );
    const path = await rawFile(format, rows);
    const error = await fileError(readTicketsFile(path));
    if (format === "jsonl") {
      assert.match(error.message, /line 1, field "priority": is missing/);
      continue;
    }
    assert.equal(error.problem, "missing_column");
    assert.equal(error.field, "priority");
    assert.ok(
      error.message.startsWith(
        `${path}: missing column "priority" (the header row must name every field: ticket_id,`,
      ),
    );
  }
});

test("a column named twice is refused; header names are matched loosely", async () => {
  const doubled = table(sample()).map((row) => [...row, row[4]!]);
  const error = await fileError(readTicketsFile(await rawFile("csv", doubled)));
  assert.equal(error.problem, "duplicate_column");
  assert.match(error.message, /column "status" appears twice in the header \(columns 5 and 11\)/);

  const loose = table(sample());
  loose[0] = ["Ticket ID", "User-ID", " TITLE ", ...TICKET_FIELDS.slice(3), "extra column"];
  assert.deepEqual(await readTicketsFile(await rawFile("xlsx", loose)), sample());
});

test("empty files, header-only files and blank rows", async () => {
  for (const format of FORMATS) {
    const path = tmp(format);
    await writeFile(path, "");
    const error = await fileError(readTicketsFile(path));
    assert.equal(error.problem, "empty");
    assert.ok(error.message.startsWith(`${path}: the file is empty (expected `), error.message);
  }
  for (const format of ["csv", "xlsx", "xls"] as const) {
    const error = await fileError(readTicketsFile(await rawFile(format, [[...TICKET_FIELDS]])));
    assert.equal(error.problem, "empty");
    assert.match(error.message, /no tickets/);
  }
  const blankLines = tmp("jsonl");
  await writeFile(blankLines, "\n  \n");
  assert.equal((await fileError(readTicketsFile(blankLines))).problem, "empty");
  // Blank rows are skipped but still counted, so row numbers match the file.
  const rows = withBadThirdRow("status", "opne");
  rows.splice(
    1,
    0,
    TICKET_FIELDS.map(() => ""),
  );
  const error = await fileError(readTicketsFile(await rawFile("xlsx", rows)));
  assert.equal(error.row, 4);
});

test("a missing file says how to create it; unknown extensions list the supported ones", async () => {
  const missing = join(dir, "nope", "requests.xls");
  const error = await fileError(readTicketsFile(missing));
  assert.equal(error.problem, "not_found");
  assert.equal(
    error.message,
    `${missing}: file not found. Create sample tickets with "npm run data:generate" (writes data/requests.xls) or "npm run data:generate -- --out ${missing}"`,
  );
  for (const name of ["tickets.txt", "tickets", "tickets.json"]) {
    const unsupported = await fileError(readTicketsFile(join(dir, name)));
    assert.equal(unsupported.problem, "unsupported_format");
    assert.match(
      unsupported.message,
      /unsupported file type .* \(supported: \.xls, \.xlsx, \.csv, \.jsonl\)$/,
    );
  }
  assert.equal(
    (await fileError(writeTicketsFile(join(dir, "x.ods"), []))).problem,
    "unsupported_format",
  );
  const unwritable = await fileError(writeTicketsFile(join(dir, "no-dir", "x.csv"), sample()));
  assert.equal(unwritable.problem, "unwritable");
});

test("extensions are matched in any case", async () => {
  for (const extension of ["XLS", "Xlsx", "CSV", "JsonL"]) {
    const path = tmp(extension);
    await writeTicketsFile(path, sample());
    assert.deepEqual(await readTicketsFile(path), sample());
  }
});

test("spreadsheet cells: Excel dates, numbers in id columns, padded text", async () => {
  const [t] = sample(1);
  const serial = (iso: string) => Date.parse(iso) / 86_400_000 + 25569;
  for (const [format, date1904] of [
    ["xlsx", false],
    ["xls", false],
    ["xlsx", true],
  ] as const) {
    const rows: unknown[][] = [[...TICKET_FIELDS], asRow(t!)];
    const offset = date1904 ? 1462 : 0;
    rows[1]![1] = 123;
    rows[1]![2] = `  ${t!.title}  `;
    rows[1]![4] = " OPEN ";
    // A formatted date cell, and a bare serial number in a date column.
    rows[1]![7] = { t: "n", v: serial("2025-03-14T09:12:00Z") - offset, z: "yyyy-mm-dd hh:mm" };
    rows[1]![8] = serial("2025-03-15T18:30:45Z") - offset;
    const options = date1904 ? { Workbook: { WBProps: { date1904: true } } } : {};
    const [read] = await readTicketsFile(await rawFile(format, rows, options));
    assert.deepEqual(
      read,
      {
        ...t,
        user_id: "123",
        status: "open",
        created_date: "2025-03-14T09:12:00Z",
        updated_date: "2025-03-15T18:30:45Z",
      },
      `${format}${date1904 ? " (1904 dates)" : ""}`,
    );
  }
});

test("csv parser: quotes, commas, line breaks, BOM and chunk boundaries", () => {
  const text = '\ufeffa,"b,1","say ""hi"""\r\n"multi\r\nline",,x"y\r\n\n"last"';
  const expected = [
    { fields: ["a", "b,1", 'say "hi"'], line: 1 },
    { fields: ["multi\r\nline", "", 'x"y'], line: 2 },
    { fields: [""], line: 4 },
    { fields: ["last"], line: 5 },
  ];
  const whole = new CsvParser();
  assert.deepEqual([...whole.push(text), ...whole.end()], expected);
  const byChar = new CsvParser();
  const records = [...text].flatMap((ch) => byChar.push(ch));
  assert.deepEqual([...records, ...byChar.end()], expected);
  const crOnly = new CsvParser();
  assert.deepEqual(
    [...crOnly.push("a\rb\r"), ...crOnly.end()].map((r) => r.fields),
    [["a"], ["b"]],
  );
  const trailingComma = new CsvParser();
  assert.deepEqual(
    [...trailingComma.push("a,"), ...trailingComma.end()].map((r) => r.fields),
    [["a", ""]],
  );
});

test("csv: an unclosed quote is an error naming the line where it opened", async () => {
  const path = tmp("csv");
  const header = TICKET_FIELDS.join(",");
  await writeFile(path, `${header}\n${formatCsvRecord(asRow(base))}TKT-9,u,"never closed\nmore\n`);
  const error = await fileError(readTicketsFile(path));
  assert.equal(error.problem, "invalid_csv");
  assert.equal(error.line, 3);
  assert.equal(error.message, `${path}, line 3: a quoted field is never closed (missing '"')`);
});

test("writes are all or nothing; workbooks refuse more rows than the format holds", async () => {
  const path = tmp("csv");
  await writeTicketsFile(path, sample());
  const failing = function* () {
    yield* sample(3);
    throw new Error("source failed");
  };
  await assert.rejects(writeTicketsFile(path, failing()), /source failed/);
  assert.deepEqual(await readTicketsFile(path), sample());
  // A source that fails before the file is even open: the open must not land after the
  // temporary file was removed (a race that left empty .tmp files behind now and then).
  const failsAtOnce: Iterable<Ticket> = {
    [Symbol.iterator]: () => ({
      next: () => {
        throw new Error("source failed");
      },
    }),
  };
  for (let i = 0; i < 200; i++) {
    await assert.rejects(writeTicketsFile(tmp(i % 2 ? "csv" : "jsonl"), failsAtOnce));
  }

  const tooMany = function* () {
    for (let i = 0; i <= 65_535; i++) yield { ...base, ticket_id: `T${i}` };
  };
  const target = tmp("xls");
  const error = await fileError(writeTicketsFile(target, tooMany()));
  assert.equal(error.problem, "too_many_rows");
  assert.match(
    error.message,
    /more than 65,535 tickets do not fit in a \.xls file .*use \.jsonl or \.csv/,
  );
  await assert.rejects(readFile(target), { code: "ENOENT" });
  assert.deepEqual(
    (await readdir(dir)).filter((n) => n.endsWith(".tmp")),
    [],
  );
});

test("xls refuses text longer than its cells take; the other formats keep 20,000 characters", async () => {
  const long = { ...base, description: "y".repeat(20_000) };
  for (const format of ["xlsx", "csv", "jsonl"]) {
    const path = tmp(format);
    await writeTicketsFile(path, [long]);
    assert.deepEqual(await readTicketsFile(path), [long]);
  }
  const path = tmp("xls");
  const tooLong = { ...base, ticket_id: "T2", description: "y".repeat(4111) };
  const error = await fileError(writeTicketsFile(path, [base, tooLong]));
  assert.equal(error.problem, "text_too_long");
  assert.equal(
    error.message,
    `${path}, row 2, field "description": 4,111 characters do not fit in a .xls cell (at most 4,110); use .xlsx, .csv or .jsonl`,
  );
});

test("the committed data/requests.xls is the default 50 tickets in Excel 97-2003 format", async () => {
  const path = join(ROOT, "data/requests.xls");
  const bytes = await readFile(path);
  assert.ok(
    bytes.subarray(0, 8).equals(Buffer.from("d0cf11e0a1b11ae1", "hex")),
    "not a CDF/BIFF file",
  );
  assert.deepEqual(await readTicketsFile(path), sample(50));
});

test("100,000 tickets round-trip through jsonl", async () => {
  const path = tmp("jsonl");
  const tickets = sample(100_000, 11);
  await writeTicketsFile(path, tickets);
  assert.deepEqual(await readTicketsFile(path), tickets);
});

function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "data/generate.ts", ...args], {
      cwd: ROOT,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

test("data:generate CLI: writes, refuses what a format cannot hold, rejects bad flags", async () => {
  const out = tmp("jsonl");
  const tooBigXls = tmp("xls");
  const [written, xls, xlsx, badCount, badOut, unknown, help] = await Promise.all([
    cli("--count", "120", "--out", out, "--seed", "5"),
    cli("--count", "70000", "--out", tooBigXls),
    cli("--count=1048576", `--out=${tmp("xlsx")}`),
    cli("--count", "abc"),
    cli("--out", "tickets.txt"),
    cli("--colour", "red"),
    cli("--help"),
  ]);
  assert.equal(written.code, 0, written.stderr);
  assert.match(
    written.stdout,
    /^Wrote 120 tickets to .+\.jsonl \([\d,]+ bytes, \d+ ms, seed 5\)\n$/,
  );
  assert.deepEqual(await readTicketsFile(out), sample(120, 5));

  assert.equal(xls.code, 1);
  assert.match(
    xls.stderr,
    /^data:generate: 70,000 tickets do not fit in .+: \.xls holds at most 65,535 data rows; use \.jsonl or \.csv .*\n$/,
  );
  await assert.rejects(readFile(tooBigXls), { code: "ENOENT" });
  assert.equal(xlsx.code, 1);
  assert.match(xlsx.stderr, /1,048,576 tickets .* \.xlsx holds at most 1,048,575 data rows/);

  for (const [run, pattern] of [
    [
      badCount,
      /^data:generate: --count "abc" is not allowed \(must be a whole number from 1 to 10,000,000\)\n$/,
    ],
    [
      badOut,
      /^data:generate: --out "tickets.txt" has an unsupported extension \(allowed: \.xls, \.xlsx, \.csv, \.jsonl\)\n$/,
    ],
    [
      unknown,
      /^data:generate: unknown flag --colour \(allowed: --count, --out, --seed, --help\)\n$/,
    ],
  ] as const) {
    assert.equal(run.code, 2);
    assert.match(run.stderr, pattern);
  }
  assert.equal(help.code, 0);
  assert.match(
    help.stdout,
    /^Usage: npm run data:generate -- \[--count N\] \[--out FILE\] \[--seed S\]/,
  );
});
