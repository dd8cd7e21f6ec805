/**
 * Loads tickets into the tickets table with COPY, streamed: tickets arrive in batches
 * (`streamTicketsFile`) and are written to the COPY stream as they come, so memory holds
 * a batch, not the file. One transaction: an import lands whole or not at all.
 *
 * - Into an empty table (a first load of at least BULK_LOAD_ROWS): the indexes and the
 *   primary key are dropped, the rows COPYed in with FREEZE (the table is truncated in
 *   the same transaction, so the rows are written frozen and all-visible: no VACUUM pass
 *   needed for index-only scans), then every index is built once, at the end.
 * - Otherwise: COPY into a temporary table, then one upsert from it. Idempotent on
 *   ticket_id: a new id is inserted, a changed ticket updated, an unchanged one left
 *   alone (no dead row), so importing the same file twice changes nothing.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { Ticket } from "../tickets/ticket.js";
import { WRITE_COLUMNS, rowValues } from "./postgresRows.js";

export interface ImportResult {
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  ms: number;
}

export interface ImportOptions {
  /** Rows per piece written to the COPY stream (default 2000). */
  batchSize?: number;
  /** Called as tickets are written, with how many so far. */
  onProgress?: (done: number) => void;
  /** VACUUM ANALYZE after the commit (default true). */
  vacuum?: boolean;
}

const COLUMNS = WRITE_COLUMNS.map(([name]) => name);
const SEED_COLUMNS = COLUMNS.slice(0, 10);

/** From the temporary table into tickets; counts what it inserted and updated. */
const UPSERT =
  `WITH up AS (INSERT INTO tickets (${COLUMNS.join(", ")}) ` +
  `SELECT ${COLUMNS.join(", ")} FROM ticket_import ` +
  "ON CONFLICT (ticket_id) DO UPDATE SET " +
  COLUMNS.slice(1)
    .map((name) => `${name} = EXCLUDED.${name}`)
    .join(", ") +
  ` WHERE (${SEED_COLUMNS.map((c) => `tickets.${c}`).join(", ")}) IS DISTINCT FROM ` +
  `(${SEED_COLUMNS.map((c) => `EXCLUDED.${c}`).join(", ")}) ` +
  // xmax = 0 on a row version this statement inserted (rather than updated).
  "RETURNING (xmax = 0) AS inserted) " +
  "SELECT count(*) FILTER (WHERE inserted)::int AS inserted, " +
  "count(*) FILTER (WHERE NOT inserted)::int AS updated FROM up";

/** From this many tickets on, a first load builds the indexes after the rows. */
const BULK_LOAD_ROWS = 20_000;

/** COPY's text format: backslash, tab and line breaks escaped; no value is NULL. */
function copyField(value: string | number): string {
  return typeof value === "number"
    ? String(value)
    : value.replace(/[\\\t\n\r]/g, (c) =>
        c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r",
      );
}

function copyLine(ticket: Ticket): string {
  const row = rowValues(ticket);
  return `${COLUMNS.map((name) => copyField(row[name])).join("\t")}\n`;
}

/**
 * Into an empty table, building each index once at the end is several times faster than
 * updating it row by row (the trigram index above all). Drops every index and the
 * primary key and returns the statements that put them back; inside the transaction, so
 * a failed import leaves them as they were. Readers of an empty table wait for the
 * commit, which costs them nothing they could have found.
 */
async function dropIndexes(client: pg.PoolClient): Promise<string[]> {
  const { rows: keys } = await client.query<{ name: string; definition: string }>(
    "SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint " +
      "WHERE conrelid = 'tickets'::regclass AND contype IN ('p', 'u')",
  );
  const { rows: indexes } = await client.query<{ name: string; definition: string }>(
    "SELECT indexname AS name, indexdef AS definition FROM pg_indexes " +
      "WHERE schemaname = current_schema() AND tablename = 'tickets' AND indexname NOT IN " +
      "(SELECT conname FROM pg_constraint WHERE conrelid = 'tickets'::regclass)",
  );
  const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
  for (const { name } of indexes) await client.query(`DROP INDEX ${quote(name)}`);
  for (const { name } of keys) {
    await client.query(`ALTER TABLE tickets DROP CONSTRAINT ${quote(name)}`);
  }
  return [
    ...keys.map(
      ({ name, definition }) => `ALTER TABLE tickets ADD CONSTRAINT ${quote(name)} ${definition}`,
    ),
    ...indexes.map(({ definition }) => definition),
  ];
}

/** Writes every ticket from `batches` to a COPY into `table`; returns how many. */
async function copyInto(
  client: pg.PoolClient,
  table: string,
  batches: AsyncIterable<readonly Ticket[]>,
  {
    freeze,
    batchSize,
    onProgress,
  }: { freeze: boolean; batchSize: number; onProgress?: (done: number) => void },
): Promise<number> {
  let done = 0;
  async function* text(): AsyncGenerator<string> {
    for await (const batch of batches) {
      for (let at = 0; at < batch.length; at += batchSize) {
        const piece = batch.slice(at, at + batchSize);
        yield piece.map(copyLine).join("");
        done += piece.length;
        onProgress?.(done);
      }
    }
  }
  const copy = client.query(
    copyFrom(`COPY ${table} (${COLUMNS.join(", ")}) FROM STDIN${freeze ? " WITH (FREEZE)" : ""}`),
  );
  await pipeline(Readable.from(text()), copy);
  return done;
}

/** The first `rows` tickets of `batches` (fewer at the end), and the rest to come. */
async function peek(
  batches: AsyncIterable<readonly Ticket[]>,
  rows: number,
): Promise<{ head: Ticket[]; rest: AsyncIterable<readonly Ticket[]> }> {
  const iterator = batches[Symbol.asyncIterator]();
  const head: Ticket[] = [];
  let ended = false;
  while (head.length < rows) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    for (const ticket of next.value) head.push(ticket);
  }
  async function* rest(): AsyncGenerator<readonly Ticket[]> {
    yield head;
    if (ended) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next())
      yield next.value;
  }
  return { head, rest: rest() };
}

/** Upserts `tickets` (valid, unique ids) in one transaction; the schema must exist. */
export function importTickets(
  pool: pg.Pool,
  tickets: readonly Ticket[],
  options: ImportOptions = {},
): Promise<ImportResult> {
  return importTicketStream(pool, [tickets], options);
}

/**
 * Upserts the tickets of `batches` (valid, unique ids, e.g. from streamTicketsFile) in
 * one transaction, reading the next batch only once the last is written.
 */
export async function importTicketStream(
  pool: pg.Pool,
  batches: AsyncIterable<readonly Ticket[]> | Iterable<readonly Ticket[]>,
  { batchSize = 2000, onProgress, vacuum = true }: ImportOptions = {},
): Promise<ImportResult> {
  const started = performance.now();
  const client = await pool.connect();
  let read: number;
  let inserted: number;
  let updated = 0;
  try {
    await client.query("BEGIN");
    // A bulk load is allowed to take its time; the pool's limit is for searches.
    await client.query("SET LOCAL statement_timeout = 0");
    await client.query("SET LOCAL maintenance_work_mem = '512MB'");
    const { head, rest } = await peek(toAsync(batches), BULK_LOAD_ROWS);
    const { rows: empty } = await client.query<{ empty: boolean }>(
      "SELECT NOT EXISTS (SELECT 1 FROM tickets) AS empty",
    );
    const copy = { batchSize, ...(onProgress ? { onProgress } : {}) };
    if (empty[0]!.empty && head.length >= BULK_LOAD_ROWS) {
      const restore = await dropIndexes(client);
      // Emptied in this transaction (it was empty already), so COPY may write frozen rows.
      await client.query("TRUNCATE tickets");
      read = inserted = await copyInto(client, "tickets", rest, { ...copy, freeze: true });
      for (const statement of restore) await client.query(statement);
    } else {
      await client.query(
        "CREATE TEMPORARY TABLE ticket_import (LIKE tickets INCLUDING DEFAULTS) ON COMMIT DROP",
      );
      read = await copyInto(client, "ticket_import", rest, { ...copy, freeze: false });
      const { rows } = await client.query<{ inserted: number; updated: number }>(UPSERT);
      inserted = rows[0]!.inserted;
      updated = rows[0]!.updated;
    }
    // Fresh statistics, so the planner picks the indexes for the new data at once.
    await client.query("ANALYZE tickets");
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    client.release();
    throw error;
  }
  try {
    // After the commit (VACUUM cannot run in a transaction): marks updated rows visible
    // to all, so counts come from the indexes alone (index-only scans); after a frozen
    // first load it has little to do. This connection lifts its statement timeout for it,
    // so it is closed rather than pooled afterwards.
    if (vacuum) {
      await client.query("SET statement_timeout = 0");
      await client.query("VACUUM (ANALYZE) tickets");
    }
  } finally {
    client.release(vacuum);
  }
  const ms = Math.round(performance.now() - started);
  return { read, inserted, updated, unchanged: read - inserted - updated, ms };
}

async function* toAsync<T>(items: AsyncIterable<T> | Iterable<T>): AsyncGenerator<T> {
  yield* items;
}
