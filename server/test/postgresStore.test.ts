/**
 * What only the PostgreSQL store has: migrations, the importer, timeouts, cancellation,
 * start-up from main.ts, and outages, tested by really stopping and starting the
 * PostgreSQL server (the embedded one, or with DATABASE_URL the machine's cluster).
 * (What it shares with the memory store is in storeContract.test.ts.)
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { after, before, test } from "node:test";
import pg from "pg";
import { pino } from "pino";
import { generateTickets } from "../../data/generator.js";
import { testDatabase, type TestDatabase } from "../../test/helpers/postgres.js";
import { connectClient, startTestServer } from "../../test/helpers/server.js";
import { StoreOpenError, openPostgresStore } from "../src/sources/loadStore.js";
import { importTickets } from "../src/sources/postgresImport.js";
import { PostgresTicketStore } from "../src/sources/postgresStore.js";
import { InvalidQueryError, StoreUnavailableError } from "../src/tickets/errors.js";
import { MemoryTicketStore } from "../src/tickets/memoryStore.js";
import { parseFilters, parseSearchQuery } from "../src/tickets/query.js";
import { encodeCursor, type SortKey } from "../src/tickets/search.js";
import type { Ticket } from "../src/tickets/ticket.js";

const quiet = pino({ level: "silent" });
const TICKETS = [...generateTickets({ count: 50 })];
let database: TestDatabase;

before(async () => {
  database = await testDatabase();
});
after(async () => {
  await database.drop();
});

const isAbort = (err: unknown) => err instanceof Error && err.name === "AbortError";
const unavailable = (err: unknown) =>
  err instanceof StoreUnavailableError && /Ticket store unavailable .*retry/.test(err.message);

async function until(check: () => Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  for (const started = Date.now(); Date.now() - started < ms;) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test("migrations are versioned, applied once, and safe when replicas start together", async () => {
  const first = await database.store([]);
  const twins = [0, 1].map(
    () => new PostgresTicketStore({ connectionString: database.url, schema: first.schema }),
  );
  await Promise.all(twins.map((s) => s.open()));
  const { rows } = await first.pool.query("SELECT version, name FROM schema_migrations ORDER BY 1");
  assert.deepEqual(rows, [
    { version: 1, name: "001_tickets.sql" },
    { version: 2, name: "002_search_indexes.sql" },
    { version: 3, name: "003_status_order_index.sql" },
  ]);
  await Promise.all(twins.map((s) => s.close()));

  const unmigrated = new PostgresTicketStore({
    connectionString: database.url,
    schema: `${first.schema}_bare`,
    migrate: false,
  });
  await assert.rejects(
    unmigrated.open(),
    /schema is at version 0, this server needs 3: run npm run db:migrate/,
  );
  await unmigrated.close();
});

test("import: one transaction, idempotent on ticket_id, changed tickets updated", async () => {
  const store = await database.store([]);
  assert.deepEqual(
    { ...(await importTickets(store.pool, TICKETS)), ms: 0 },
    { read: 50, inserted: 50, updated: 0, unchanged: 0, ms: 0 },
  );
  const changed = TICKETS.map((t, i) => (i === 3 ? { ...t, title: "Changed title" } : t));
  const again = await importTickets(store.pool, changed);
  assert.deepEqual([again.inserted, again.updated, again.unchanged], [0, 1, 49]);
  assert.equal((await store.get(TICKETS[3]!.ticket_id))?.title, "Changed title");

  // A bad row at the end: nothing of this import stays, not even the rows before it.
  const bad = { ...TICKETS[0]!, ticket_id: "NEW-2", status: "bogus" } as unknown as Ticket;
  const batch = [{ ...TICKETS[1]!, ticket_id: "NEW-1" }, ...changed.slice(2), bad];
  await assert.rejects(importTickets(store.pool, batch, { batchSize: 100 }), /check constraint/);
  assert.equal((await store.info()).count, 50);
  assert.equal(await store.get("NEW-1"), undefined);
});

test("a first bulk load builds every index after the rows; answers match memory", async () => {
  const tickets = [...generateTickets({ count: 20_000, seed: 3 })];
  const store = await database.store([]);
  const indexes = async () =>
    (
      await store.pool.query<{ name: string }>(
        "SELECT indexname AS name FROM pg_indexes WHERE tablename = 'tickets' " +
          "AND schemaname = current_schema() ORDER BY 1",
      )
    ).rows.map((r) => r.name);
  const before = await indexes();
  assert.equal(before.length, 13); // 12 from the migrations + the primary key
  await importTickets(store.pool, tickets);
  assert.deepEqual(await indexes(), before);
  const memory = new MemoryTicketStore(tickets);
  for (const input of [{ keyword: "login", status: "open" }, { user_id: "user110" }, {}]) {
    const query = parseSearchQuery({ ...input, limit: 20 });
    assert.deepEqual(await store.search(query), await memory.search(query));
  }

  // The statement timeout cancels a slow query with an error that says what to do.
  const hasty = new PostgresTicketStore({
    connectionString: database.url,
    schema: store.schema,
    statementTimeoutMs: 1,
    migrate: false,
  });
  // Warm: the schema checked and a pooled connection idle, so the 1 ms deadline is all
  // the query's (opening a connection is part of a call's deadline too). The check's
  // own tiny query runs under the same 1 ms timeout: on a loaded machine, try again.
  for (let attempt = 1; ; attempt++) {
    try {
      await hasty.open();
      break;
    } catch (error) {
      if (attempt === 10) throw error;
    }
  }
  // A character no ticket has, too short for the trigram index: every row is read.
  await assert.rejects(
    hasty.search(parseSearchQuery({ keyword: "e §" })),
    (err: unknown) => unavailable(err) && /longer than 1 ms; narrow it/.test(String(err)),
  );
  await hasty.close();
});

test("a hand-made cursor with keys no page ends on is a bad cursor, not an SQL error", async () => {
  const store = await database.store(TICKETS);
  for (const key of [
    [1.5, 0, "x"],
    [70_000, 0, "x"],
  ] as SortKey[]) {
    const query = parseSearchQuery({});
    query.cursor = encodeCursor(query, key);
    await assert.rejects(
      store.search(query),
      (err: unknown) => err instanceof InvalidQueryError && err.field === "cursor",
    );
  }
});

test("start-up: an unreachable database is not fatal, a wrong one is", async () => {
  const settings = {
    DATABASE_SCHEMA: "public",
    DATABASE_MIGRATE: true,
    DATABASE_POOL_MAX: 2,
    DATABASE_CONNECT_TIMEOUT_MS: 1000,
    DATABASE_IDLE_TIMEOUT_MS: 1000,
    DATABASE_STATEMENT_TIMEOUT_MS: 1000,
  };
  const down = await openPostgresStore(
    { ...settings, DATABASE_URL: "postgres://postgres@127.0.0.1:1/none" },
    quiet,
  );
  assert.equal(await down.ready(), false);
  await assert.rejects(down.search(parseSearchQuery({})), unavailable);
  await down.close();
  const wrong = database.url.replace(/\/[^/]+$/, "/no_such_database");
  await assert.rejects(
    openPostgresStore({ ...settings, DATABASE_URL: wrong }, quiet),
    (err: unknown) =>
      err instanceof StoreOpenError && /no_such_database.*does not exist/.test(String(err)),
  );
});

test("npm start with TICKETS_STORE=postgres serves and is ready", async () => {
  const store = await database.store(TICKETS);
  const child = spawn(process.execPath, ["--import", "tsx", "server/src/main.ts"], {
    env: {
      ...process.env,
      PORT: "0",
      LOG_LEVEL: "info",
      TICKETS_STORE: "postgres",
      DATABASE_URL: database.url,
      DATABASE_SCHEMA: store.schema,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  const exited = once(child, "exit");
  try {
    await until(async () => out.includes('"url"'), "the server to listen");
    const url = (JSON.parse(out.split("\n").find((l) => l.includes('"url"'))!) as { url: string })
      .url;
    const ready = await fetch(new URL("/readyz", url));
    assert.deepEqual(await ready.json(), { status: "ready", tickets: 50 });
  } finally {
    child.kill("SIGTERM");
  }
  assert.deepEqual((await exited)[0], 0);
});

test("database down: tools say unavailable, not ready; back up: recovers by itself", async () => {
  const store = await database.store(TICKETS);
  const server = await startTestServer(store);
  const { client } = await connectClient(server.url);
  const search = () => client.callTool({ name: "search_tickets", arguments: { status: "open" } });
  const text = (result: Awaited<ReturnType<typeof search>>) =>
    (result.content as { text: string }[])[0]!.text;
  try {
    assert.equal((await search()).isError, undefined);
    await database.stopServer();
    try {
      const started = Date.now();
      await assert.rejects(store.search(parseSearchQuery({})), unavailable);
      assert.ok(Date.now() - started < 4000, "fails fast, within the connect timeout");
      const failed = await search();
      assert.equal(failed.isError, true);
      assert.match(text(failed), /^Ticket store unavailable .*retry shortly/);
      assert.equal((await fetch(`${server.origin}/readyz`)).status, 503);
    } finally {
      await database.startServer();
    }
    await until(() => store.ready(), "the store to be ready again");
    assert.match(text(await search()), /tickets? match/);
    assert.equal((await fetch(`${server.origin}/readyz`)).status, 200);
  } finally {
    await client.close();
    await server.close();
  }
});

/** The store's backends (application mcp-tickets) running a query on tickets now. */
async function runningOnTickets(admin: pg.Client) {
  const { rows } = await admin.query<{ pid: number; wait: string | null }>(
    "SELECT pid, wait_event_type AS wait FROM pg_stat_activity " +
      "WHERE application_name = 'mcp-tickets' AND datname = current_database() " +
      "AND state = 'active' AND query LIKE '%FROM tickets%'",
  );
  return rows;
}

test("PostgreSQL: aborting a search blocked on a lock cancels it on the server", async () => {
  // Without the cancel, the search would wait for the lock for 8 of these 10 minutes,
  // far past the test's time-out.
  const store = await database.store(TICKETS, { statementTimeoutMs: 600_000, poolMax: 2 });
  const locker = new pg.Client({ connectionString: database.url });
  const admin = new pg.Client({ connectionString: database.url });
  await Promise.all([locker.connect(), admin.connect()]);
  try {
    await locker.query("BEGIN");
    await locker.query(`LOCK TABLE ${store.schema}.tickets IN ACCESS EXCLUSIVE MODE`);
    for (const call of [
      (signal: AbortSignal) => store.search(parseSearchQuery({ keyword: "login" }), { signal }),
      (signal: AbortSignal) => store.stats(parseFilters({}), "category", { signal }),
    ]) {
      const controller = new AbortController();
      const pending = call(controller.signal);
      pending.catch(() => {}); // observed below; not an unhandled rejection meanwhile
      // Wait until the server shows the query waiting for the lock.
      for (let i = 0; ; i++) {
        const running = await runningOnTickets(admin);
        if (running.some((r) => r.wait === "Lock")) break;
        assert.ok(i < 200, "the search never reached the server");
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      controller.abort();
      // Rejects while the lock is still held: the query was cancelled, not finished.
      await assert.rejects(pending, isAbort);
      assert.deepEqual(await runningOnTickets(admin), []);
    }
    await locker.query("ROLLBACK");
    // The pool serves again (the cancelled connections were closed, not reused).
    const after = await store.search(parseSearchQuery({ keyword: "login" }));
    assert.ok(after.total > 0);
    // Aborted before the call: nothing is sent.
    await assert.rejects(
      store.search(parseSearchQuery({}), { signal: AbortSignal.abort() }),
      isAbort,
    );
  } finally {
    await locker.query("ROLLBACK").catch(() => {});
    await Promise.all([locker.end(), admin.end()]);
  }
});

test("PostgreSQL: aborting while waiting for a pooled connection ends the wait", async () => {
  const store = await database.store(TICKETS, { statementTimeoutMs: 60_000, poolMax: 1 });
  const held = await store.pool.connect();
  try {
    const controller = new AbortController();
    const pending = store.search(parseSearchQuery({}), { signal: controller.signal });
    pending.catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    await assert.rejects(pending, isAbort);
  } finally {
    held.release();
  }
  assert.ok((await store.search(parseSearchQuery({}))).total > 0);
});
