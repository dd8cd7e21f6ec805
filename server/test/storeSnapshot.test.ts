/**
 * Snapshots of the in-memory store, on real files: used when made from this very data
 * file, rebuilt when the file changed (even with size and mtime put back), rejected when
 * truncated or corrupt, never fatal when the folder cannot be written; a store from a
 * snapshot answers exactly as one built from the file.
 */
import assert from "node:assert/strict";
import {
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { pino } from "pino";
import { generateTickets } from "../../data/generator.js";
import { loadMemoryStore } from "../src/sources/loadStore.js";
import { TicketFileError, writeTicketsFile } from "../src/sources/spreadsheet.js";
import { snapshotPath } from "../src/sources/storeSnapshot.js";
import { MemoryTicketStore } from "../src/tickets/memoryStore.js";
import { parseFilters, parseSearchQuery, type SearchInput } from "../src/tickets/query.js";
import type { Ticket } from "../src/tickets/ticket.js";

const dir = mkdtempSync(path.join(tmpdir(), "mcp-snapshot-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function logged() {
  const lines: { msg: string; reason?: string }[] = [];
  const logger = pino({ level: "info" }, { write: (l: string) => void lines.push(JSON.parse(l)) });
  return { lines, logger, messages: () => lines.map((l) => l.msg) };
}

function flip(bytes: Buffer, at: number): void {
  assert.ok(at > 0);
  bytes.writeUInt8(bytes.readUInt8(at) ^ 0x20, at);
}

const QUERIES: SearchInput[] = [
  {},
  { status: "open", priority: "critical", category: "security" },
  { keyword: "password", sort: "newest" },
  { keyword: '"payment failed"', status: "open" },
  { user_id: "user123", sort: "oldest" },
  { created_after: "2025-06-01", sort: "updated", limit: 50 },
];

/** Everything a client can ask, asked of both stores. */
async function assertSameAnswers(a: MemoryTicketStore, b: MemoryTicketStore, tickets: Ticket[]) {
  for (const input of QUERIES) {
    const query = parseSearchQuery(input);
    assert.deepEqual(await a.search(query), await b.search(query), JSON.stringify(input));
  }
  assert.deepEqual(
    await a.stats(parseFilters({ status: "open" }), "assigned_to"),
    await b.stats(parseFilters({ status: "open" }), "assigned_to"),
  );
  assert.deepEqual(await a.suggestIds("tkt-01", 20), await b.suggestIds("tkt-01", 20));
  for (const ticket of tickets.slice(0, 50)) {
    assert.deepEqual(await a.get(ticket.ticket_id), ticket);
  }
}

test("a valid snapshot is used and answers as a fresh build; a changed file is rebuilt", async () => {
  const file = path.join(dir, "tickets.jsonl");
  const snapshots = path.join(dir, "cache");
  const tickets = [...generateTickets({ count: 2000, seed: 3 })];
  await writeTicketsFile(file, tickets);
  const mtime = 1_750_000_000; // whole seconds: set again exactly after the edit below
  utimesSync(file, mtime, mtime);
  // workerMinBytes 0: read in the build worker, as a large file is.
  const options = { snapshotDir: snapshots, snapshotMinTickets: 0, workerMinBytes: 0 };

  const first = logged();
  const built = await loadMemoryStore(file, { ...options, logger: first.logger });
  assert.deepEqual(first.messages(), ["tickets loaded from the file", "snapshot written"]);
  const snapshot = snapshotPath(snapshots, file);
  assert.ok(statSync(snapshot).size > 0);
  assert.deepEqual(readdirSync(snapshots), [path.basename(snapshot)], "no temporary file left");

  const second = logged();
  const restored = await loadMemoryStore(file, { ...options, logger: second.logger });
  assert.deepEqual(second.messages(), ["tickets loaded from snapshot"]);
  await assertSameAnswers(restored, built, tickets);
  await assertSameAnswers(restored, await loadMemoryStore(file), tickets); // in this thread
  await assertSameAnswers(restored, new MemoryTicketStore(tickets, file), tickets);

  // Same size and mtime, other contents: only the content hash can tell.
  const { size } = statSync(file);
  const edited = readFileSync(file, "utf8").replace(`"${tickets[0]!.ticket_id}"`, '"TKT-000X"');
  writeFileSync(file, edited);
  utimesSync(file, mtime, mtime);
  assert.equal(statSync(file).size, size);
  assert.equal(statSync(file).mtimeMs, mtime * 1000);
  const third = logged();
  const rebuilt = await loadMemoryStore(file, { ...options, logger: third.logger });
  assert.equal(third.lines[0]!.reason, "made from another version of the data file");
  assert.equal(await rebuilt.get(tickets[0]!.ticket_id), undefined);
  assert.equal((await rebuilt.get("TKT-000X"))?.title, tickets[0]!.title);
  // ...and the rewritten snapshot is the new file's.
  const fourth = logged();
  const again = await loadMemoryStore(file, { ...options, logger: fourth.logger });
  assert.deepEqual(fourth.messages(), ["tickets loaded from snapshot"]);
  assert.equal((await again.get("TKT-000X"))?.title, tickets[0]!.title);
});

test("a corrupt or truncated snapshot is rejected and rebuilt, never trusted", async () => {
  const file = path.join(dir, "corrupt.jsonl");
  const snapshots = path.join(dir, "cache-corrupt");
  const tickets = [...generateTickets({ count: 1000, seed: 4 })];
  await writeTicketsFile(file, tickets);
  const options = { snapshotDir: snapshots, snapshotMinTickets: 0 };
  const fresh = await loadMemoryStore(file, options);
  const snapshot = snapshotPath(snapshots, file);
  const good = readFileSync(snapshot);

  const damages: [string, (bytes: Buffer) => void, string][] = [
    // A title's case flipped in the text: a snapshot that still reads, only wrong.
    ["a flipped byte", (b) => flip(b, b.indexOf(tickets[500]!.title)), "checksum mismatch"],
    ["the last byte", (b) => flip(b, b.length - 1), "checksum mismatch"],
    ["the header edited", (b) => b.write("x", 17), "checksum mismatch"],
  ];
  for (const [what, damage, reason] of damages) {
    const bytes = Buffer.from(good);
    damage(bytes);
    writeFileSync(snapshot, bytes);
    const log = logged();
    const store = await loadMemoryStore(file, { ...options, logger: log.logger });
    assert.match(log.lines[0]!.reason ?? "", new RegExp(reason), what);
    assert.deepEqual(log.messages().slice(1), ["tickets loaded from the file", "snapshot written"]);
    await assertSameAnswers(store, fresh, tickets);
    assert.ok(readFileSync(snapshot).equals(good), `${what}: rewritten whole`);
  }

  for (const keep of [good.length - 1, good.length / 2, 20, 0]) {
    writeFileSync(snapshot, good);
    truncateSync(snapshot, Math.floor(keep));
    const log = logged();
    const store = await loadMemoryStore(file, { ...options, logger: log.logger });
    assert.match(log.lines[0]!.reason ?? "", /truncated/, `cut to ${keep} bytes`);
    await assertSameAnswers(store, fresh, tickets);
  }
});

test("a folder that cannot be written costs a warning, not the start", async () => {
  const file = path.join(dir, "readonly.jsonl");
  const tickets = [...generateTickets({ count: 200, seed: 5 })];
  await writeTicketsFile(file, tickets);
  // A folder under a plain file cannot be created, even by root (chmod would not stop it).
  const log = logged();
  const store = await loadMemoryStore(file, {
    snapshotDir: path.join(file, "cache"),
    snapshotMinTickets: 0,
    logger: log.logger,
  });
  assert.equal(store.size, 200);
  const warning = log.lines.find((l) => l.msg.startsWith("cannot write the snapshot"));
  assert.ok(warning, JSON.stringify(log.lines));
  // And a small file is not snapshotted at all by default.
  const quiet = logged();
  await loadMemoryStore(file, { snapshotDir: path.join(dir, "small"), logger: quiet.logger });
  assert.deepEqual(quiet.messages(), ["tickets loaded from the file"]);
});

test("a bad file read in the build worker fails with the error a read in this thread gives", async () => {
  const file = path.join(dir, "bad.jsonl");
  const good = JSON.stringify([...generateTickets({ count: 1, seed: 6 })][0]);
  writeFileSync(file, `${good}\n{"ticket_id":"X","user_id":"u"}\n`);
  const inThread = (await loadMemoryStore(file).catch((e: unknown) => e)) as TicketFileError;
  const log = logged();
  const inWorker = (await loadMemoryStore(file, { workerMinBytes: 0, logger: log.logger }).catch(
    (e: unknown) => e,
  )) as TicketFileError;
  assert.ok(inThread instanceof TicketFileError);
  assert.ok(inWorker instanceof TicketFileError, String(inWorker));
  const facts = (e: TicketFileError) => [e.message, e.problem, e.file, e.line, e.row, e.field];
  assert.deepEqual(facts(inWorker), facts(inThread));
  assert.equal(inWorker.line, 2);
  assert.deepEqual(log.messages(), [], "no fallback to this thread");
});
