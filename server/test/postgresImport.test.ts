/**
 * The COPY importer on real PostgreSQL: a file streamed in (never read whole), a bad row
 * anywhere leaving the table as it was, text that COPY must escape, and a second import
 * of the same file changing nothing.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { writeFile } from "node:fs/promises";
import { generateTickets } from "../../data/generator.js";
import { ticket } from "../../test/helpers/tickets.js";
import { testDatabase, type TestDatabase } from "../../test/helpers/postgres.js";
import { importTicketStream, importTickets } from "../src/sources/postgresImport.js";
import type { PostgresTicketStore } from "../src/sources/postgresStore.js";
import {
  TicketFileError,
  streamTicketsFile,
  writeTicketsFile,
} from "../src/sources/spreadsheet.js";
import { MemoryTicketStore } from "../src/tickets/memoryStore.js";
import { parseSearchQuery } from "../src/tickets/query.js";

let database: TestDatabase;
let dir: string;

before(async () => {
  database = await testDatabase();
  dir = await mkdtemp(join(tmpdir(), "import-test-"));
});
after(async () => {
  await database.drop();
  await rm(dir, { recursive: true, force: true });
});

const indexes = async (store: PostgresTicketStore) =>
  (
    await store.pool.query<{ name: string }>(
      "SELECT indexname AS name FROM pg_indexes WHERE tablename = 'tickets' " +
        "AND schemaname = current_schema() ORDER BY 1",
    )
  ).rows.map((r) => r.name);

test("a file streams in by COPY; a bad last row leaves the table as it was", async () => {
  const tickets = [...generateTickets({ count: 25_000, seed: 4 })];
  const good = join(dir, "good.jsonl");
  await writeTicketsFile(good, tickets);
  const bad = join(dir, "bad.jsonl");
  await writeTicketsFile(bad, tickets);
  await writeFile(
    bad,
    `${JSON.stringify({ ...tickets[0], ticket_id: "X-1", status: "bogus" })}\n`,
    {
      flag: "a",
    },
  );

  const store = await database.store([]);
  const before = await indexes(store);
  await assert.rejects(
    importTicketStream(store.pool, streamTicketsFile(bad)),
    (err: unknown) =>
      err instanceof TicketFileError && /line 25001, field "status"/.test(err.message),
  );
  assert.equal((await store.info()).count, 0);
  assert.deepEqual(await indexes(store), before, "the dropped indexes come back on rollback");

  const progress: number[] = [];
  const first = await importTicketStream(store.pool, streamTicketsFile(good), {
    onProgress: (done) => progress.push(done),
  });
  assert.deepEqual(
    { ...first, ms: 0 },
    { read: 25_000, inserted: 25_000, updated: 0, unchanged: 0, ms: 0 },
  );
  assert.equal(progress.at(-1), 25_000);
  assert.deepEqual(await indexes(store), before, "every index rebuilt after the first load");
  const memory = new MemoryTicketStore(tickets);
  for (const input of [{ keyword: "login", status: "open" }, { user_id: "user110" }, {}]) {
    const query = parseSearchQuery({ ...input, limit: 20 });
    assert.deepEqual(await store.search(query), await memory.search(query));
  }

  // Again, and once with one ticket changed: through the temporary table and the upsert.
  const again = await importTicketStream(store.pool, streamTicketsFile(good));
  assert.deepEqual([again.inserted, again.updated, again.unchanged], [0, 0, 25_000]);
  const changed = tickets.map((t, i) => (i === 7 ? { ...t, title: "Changed" } : t));
  const third = await importTickets(store.pool, changed, { vacuum: false });
  assert.deepEqual([third.inserted, third.updated, third.unchanged], [0, 1, 24_999]);
  assert.equal((await store.get(tickets[7]!.ticket_id))?.title, "Changed");
});

test("tabs, backslashes and line breaks survive COPY's text format", async () => {
  const odd = [
    ticket({
      ticket_id: "ODD-1",
      title: "tab\there \\N back\\slash",
      description: "a\nb\r\nc\\td",
    }),
    ticket({ ticket_id: "ODD-2", title: "\\", description: "ends with a backslash \\" }),
  ];
  const store = await database.store(odd);
  for (const t of odd) assert.deepEqual(await store.get(t.ticket_id), t);
  const found = await store.search(parseSearchQuery({ keyword: "back\\slash" }));
  assert.deepEqual(
    found.tickets.map((t) => t.ticket_id),
    ["ODD-1"],
  );
});
