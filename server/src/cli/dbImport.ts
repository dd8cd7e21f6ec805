/**
 * `npm run db:import -- FILE`: loads a ticket file (.xls, .xlsx, .csv or .jsonl) into the
 * PostgreSQL store at DATABASE_URL.
 *
 * The file is streamed into COPY (postgresImport.ts): each row is validated as it is
 * read (the same checks as the server's file loader, so a bad row is reported with its
 * line), and memory holds a batch of rows, not the file. One transaction: a bad row
 * anywhere leaves the table as it was, and importing the same file again changes
 * nothing. A progress line shows on a terminal; a summary line ends the run.
 *
 *   npm run db:import -- FILE [--batch N]
 */
import { ConfigError, loadConfig, loadDotEnv } from "../config.js";
import { importTicketStream } from "../sources/postgresImport.js";
import { PostgresTicketStore, redactUrl } from "../sources/postgresStore.js";
import { TicketFileError, streamTicketsFile } from "../sources/spreadsheet.js";

const USAGE = `Usage: npm run db:import -- FILE [--batch N]

Loads FILE (.xls, .xlsx, .csv or .jsonl) into the tickets table of DATABASE_URL
(schema DATABASE_SCHEMA), creating the schema if needed, streamed through COPY.
Tickets are matched by ticket_id: new ones are inserted, changed ones updated.
One transaction: a bad row leaves the table as it was.

Options:
  --batch N   rows per piece written to COPY (default 2000, 100 to 50000)`;

const count = (n: number) => n.toLocaleString("en-US");
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function parseArgs(argv: string[]): { file: string; batch: number } | string {
  let file: string | undefined;
  let batch = 2000;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--batch") {
      batch = Number(argv[++i]);
      if (!Number.isInteger(batch) || batch < 100 || batch > 50_000) {
        return `--batch must be a whole number from 100 to 50000, got ${JSON.stringify(argv[i])}`;
      }
    } else if (arg.startsWith("-")) {
      return `Unknown option ${arg}`;
    } else if (file === undefined) {
      file = arg;
    } else {
      return `One file at a time (got ${JSON.stringify(file)} and ${JSON.stringify(arg)})`;
    }
  }
  return file === undefined ? "Name the file to import" : { file, batch };
}

/** "450,000 tickets, 9,800/s", redrawn in place. */
function progress(done: number, startedMs: number): void {
  const rate = Math.round(done / ((performance.now() - startedMs) / 1000));
  process.stderr.write(`\r${count(done)} tickets, ${count(rate)}/s`);
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  const args = parseArgs(argv);
  if (typeof args === "string") {
    console.error(`${args}.\n\n${USAGE}`);
    return 2;
  }
  loadDotEnv();
  const config = loadConfig();
  const url = config.DATABASE_URL;
  if (url === undefined) {
    console.error("Set DATABASE_URL, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/tickets");
    return 2;
  }
  const tty = process.stderr.isTTY === true;
  const store = new PostgresTicketStore({ connectionString: url, schema: config.DATABASE_SCHEMA });
  try {
    await store.open(); // applies migrations: an import needs the table
    const started = performance.now();
    let shown = 0;
    const result = await importTicketStream(store.pool, streamTicketsFile(args.file), {
      batchSize: args.batch,
      onProgress: tty
        ? (done) => {
            if (done - shown < 10_000) return;
            shown = done;
            progress(done, started);
          }
        : undefined,
    });
    if (tty) process.stderr.write("\n");
    const { count: inTable } = await store.info();
    const rate = Math.round(result.read / (result.ms / 1000));
    console.log(
      `Imported ${args.file} into ${redactUrl(url)} (schema ${store.schema}): ` +
        `${count(result.read)} tickets read, ${count(result.inserted)} new, ` +
        `${count(result.updated)} updated, ${count(result.unchanged)} unchanged; ` +
        `${count(inTable)} in the table (${seconds(result.ms)}, ${count(rate)} tickets/s).`,
    );
    return 0;
  } finally {
    await store.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    const known = error instanceof ConfigError || error instanceof TicketFileError;
    console.error(known ? message : `db:import failed: ${message}`);
    process.exit(1);
  },
);
