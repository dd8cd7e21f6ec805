/**
 * PostgreSQL on a bad day, for real: a database that stops taking connections, a table
 * held locked, and hostile control characters. Each answer must say what happened
 * (unavailable or busy: retry; bad input: which field), within one deadline per call,
 * with one log line when an outage starts and one when it ends.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import net from "node:net";
import pg from "pg";
import { generateTickets } from "../../data/generator.js";
import { testDatabase, type TestDatabase } from "../../test/helpers/postgres.js";
import { connectClient, startTestServer } from "../../test/helpers/server.js";
import { classify } from "../src/sources/postgresErrors.js";
import { importTickets } from "../src/sources/postgresImport.js";
import { PostgresTicketStore, withClient } from "../src/sources/postgresStore.js";
import { StoreUnavailableError } from "../src/tickets/errors.js";
import { MemoryTicketStore } from "../src/tickets/memoryStore.js";
import { parseSearchQuery } from "../src/tickets/query.js";

const TICKETS = [...generateTickets({ count: 50 })];
let database: TestDatabase;

before(async () => {
  database = await testDatabase();
});
after(() => database.drop());

const textOf = (result: unknown) =>
  ((result as { content: { text: string }[] }).content[0]?.text ?? "") as string;

test("a database refusing connections (SQLSTATE 55000) is 'unavailable, retry', logged once each way", async () => {
  const admin = new URL(database.url);
  admin.pathname = "/postgres";
  const name = `mcp_tickets_refusing_${process.pid}`;
  await withClient(admin.href, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(database.url);
  url.pathname = `/${name}`;
  const setAllow = (allow: boolean) =>
    withClient(admin.href, async (c) => {
      await c.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS ${allow}`);
      if (!allow) {
        await c.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
          [name],
        );
      }
    });
  const srvLogs: Record<string, unknown>[] = [];
  const store = new PostgresTicketStore({
    connectionString: url.href,
    logger: {
      warn: (o: Record<string, unknown>, msg: string) => srvLogs.push({ ...o, level: 40, msg }),
      info: (o: Record<string, unknown>, msg: string) => srvLogs.push({ ...o, level: 30, msg }),
      error: (o: Record<string, unknown>, msg: string) => srvLogs.push({ ...o, level: 50, msg }),
      debug: () => {},
    } as never,
  });
  const server = await startTestServer(store);
  const { client } = await connectClient(server.url);
  const search = () => client.callTool({ name: "search_tickets", arguments: { status: "open" } });
  try {
    await store.open();
    await importTickets(store.pool, TICKETS, { vacuum: false });
    assert.match(textOf(await search()), /tickets? match/);
    await setAllow(false);
    try {
      for (let i = 0; i < 20; i++) {
        const failed = await search();
        assert.equal(failed.isError, true);
        assert.match(textOf(failed), /^Ticket store unavailable \(.*\); retry shortly\.$/);
      }
      for (let i = 0; i < 5; i++) {
        assert.equal((await fetch(`${server.origin}/readyz`)).status, 503);
      }
    } finally {
      await setAllow(true);
    }
    assert.match(textOf(await search()), /tickets? match/);
    const all = [...srvLogs, ...server.logs];
    assert.deepEqual(
      all.filter((l) => Number(l.level) >= 50).map((l) => l.msg),
      [],
      "no error lines, no stacks",
    );
    assert.equal(all.filter((l) => String(l.msg).startsWith("ticket store unavailable")).length, 1);
    // Probes during the outage add no lines of their own (before: one with a stack each).
    assert.deepEqual(
      all.filter((l) => l.msg === "not ready"),
      [],
    );
    const back = all.filter((l) => l.msg === "ticket store available again");
    assert.equal(back.length, 1);
    assert.ok(Number(back[0]!.failed) >= 20, JSON.stringify(back[0]));
  } finally {
    await client.close();
    await server.close();
    await store.close();
    await withClient(admin.href, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
});

test("one deadline per call covers waiting and running; a locked table is 'busy, retry'", async () => {
  const store = await database.store(TICKETS, { poolMax: 1, statementTimeoutMs: 1000 });
  const locker = new pg.Client({ connectionString: database.url });
  await locker.connect();
  try {
    await locker.query("BEGIN");
    await locker.query(`LOCK TABLE ${store.schema}.tickets IN ACCESS EXCLUSIVE MODE`);
    const timed = async () => {
      const started = performance.now();
      const error = await store.search(parseSearchQuery({ status: "open" })).then(
        () => undefined,
        (e: unknown) => e,
      );
      return { error, ms: performance.now() - started };
    };
    const calls = await Promise.all([timed(), timed(), timed()]);
    for (const { error, ms } of calls) {
      assert.ok(error instanceof StoreUnavailableError, String(error));
      assert.match(error.message, /busy.*retry shortly/);
      assert.doesNotMatch(error.message, /narrow/);
      // Before: a lock wait (1 s) plus a pool wait, each with its own timeout.
      assert.ok(ms < 1600, `answered after ${Math.round(ms)} ms with a 1000 ms deadline`);
    }
  } finally {
    await locker.query("ROLLBACK");
    await locker.end();
  }
  const { total } = await store.search(parseSearchQuery({}));
  assert.equal(total, 50);
});

/**
 * A loopback TCP proxy in front of the test database that can be switched to a black
 * hole: it drops the connections it carries and accepts new ones without ever answering,
 * as a database host does when it hangs or a network path dies.
 */
async function blackHoleProxy(target: string) {
  const { hostname, port } = new URL(target);
  let hanging = false;
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
  };
  const proxy = net.createServer((client) => {
    track(client);
    if (hanging) return;
    const upstream = net.connect(Number(port || 5432), hostname);
    track(upstream);
    upstream.on("error", () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const url = new URL(target);
  url.hostname = "127.0.0.1";
  url.port = String((proxy.address() as net.AddressInfo).port);
  return {
    url: url.href,
    hang() {
      hanging = true;
      for (const socket of sockets) socket.destroy();
    },
    resume() {
      hanging = false;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => proxy.close(() => resolve()));
    },
  };
}

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const at = (level: number) => (o: Record<string, unknown>, msg: string) =>
    lines.push({ ...o, level, msg });
  return { lines, logger: { warn: at(40), info: at(30), error: at(50), debug: () => {} } as never };
}

async function timedSearch(store: PostgresTicketStore) {
  const started = performance.now();
  const error = await store.search(parseSearchQuery({ status: "open" })).then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, ms: performance.now() - started };
}

test("a database that stops answering is 'unavailable', within the deadline, logged once", async () => {
  const { schema } = await database.store(TICKETS); // reached below through the proxy
  const proxy = await blackHoleProxy(database.url);
  const { lines, logger } = capturingLogger();
  const options = { connectTimeoutMs: 700, statementTimeoutMs: 1000, idleTimeoutMs: 50, logger };
  const opened = new PostgresTicketStore({
    connectionString: proxy.url,
    schema,
    ...options,
  });
  const neverOpened = new PostgresTicketStore({
    connectionString: proxy.url,
    schema,
    ...options,
  });
  try {
    assert.equal((await opened.search(parseSearchQuery({}))).total, 50);
    proxy.hang();
    // Before: each call said "busy: no connection was free" and no outage was logged; a
    // store that had never reached its schema took 6 s with a 5 s deadline.
    for (const store of [opened, opened, neverOpened]) {
      const { error, ms } = await timedSearch(store);
      assert.ok(error instanceof StoreUnavailableError, String(error));
      assert.match(error.message, /cannot serve requests right now.*retry shortly/);
      assert.ok(ms < 1250, `answered after ${Math.round(ms)} ms with a 1000 ms deadline`);
    }
    const down = lines.filter((l) => String(l.msg).startsWith("ticket store unavailable"));
    assert.equal(down.length, 2, "once per store, not once per call"); // two stores
    proxy.resume();
    assert.equal((await opened.search(parseSearchQuery({}))).total, 50);
    assert.equal(lines.filter((l) => l.msg === "ticket store available again").length, 1);
    assert.deepEqual(
      lines.filter((l) => Number(l.level) >= 50),
      [],
    );
  } finally {
    await Promise.all([opened.close(), neverOpened.close()]);
    await proxy.close();
  }
});

test("a pool full for longer than the connect timeout is 'busy', not an outage", async () => {
  const { lines, logger } = capturingLogger();
  const store = await database.store(TICKETS, {
    poolMax: 1,
    connectTimeoutMs: 300,
    statementTimeoutMs: 3000,
    logger,
  });
  const locker = new pg.Client({ connectionString: database.url });
  await locker.connect();
  try {
    await locker.query("BEGIN");
    await locker.query(`LOCK TABLE ${store.schema}.tickets IN ACCESS EXCLUSIVE MODE`);
    // One call holds the only connection (waiting on the lock); the other waits for it
    // longer than pg-pool's connect timeout, which pg-pool words as a connect failure.
    const calls = await Promise.all([timedSearch(store), timedSearch(store)]);
    for (const { error } of calls) {
      assert.ok(error instanceof StoreUnavailableError, String(error));
      assert.match(error.message, /busy.*retry shortly/);
    }
    assert.deepEqual(
      lines.filter((l) => /unavailable|available again/.test(String(l.msg))).map((l) => l.msg),
      [],
    );
  } finally {
    await locker.query("ROLLBACK");
    await locker.end();
  }
});

test("failures are classified by SQLSTATE class and the driver's words", () => {
  const cases: [unknown, ReturnType<typeof classify>][] = [
    [{ code: "08006" }, "down"], // connection failure
    [{ code: "08001" }, "down"], // cannot establish a connection
    [{ code: "53300" }, "down"], // too many connections
    [{ code: "53100" }, "down"], // disk full
    [{ code: "57P01" }, "down"], // admin shutdown
    [{ code: "57P03" }, "down"], // cannot connect now (starting up)
    [{ code: "55000" }, "down"], // database not accepting connections
    [{ code: "ECONNREFUSED" }, "down"],
    [{ code: "57014" }, "timeout"], // statement_timeout
    [{ code: "55P03" }, "busy"], // lock_timeout
    [{ code: "42P01" }, undefined], // undefined table: a bug, not an outage
    [{ code: "22021" }, undefined],
    [new Error("Connection terminated unexpectedly"), "down"],
    [new Error("Connection terminated due to connection timeout"), "down"],
    [new Error("timeout exceeded when trying to connect"), "busy"], // pg-pool's queue wait
    [new Error("something else"), undefined],
  ];
  for (const [error, expected] of cases) {
    assert.equal(classify(error), expected, JSON.stringify(error) + String(error));
  }
});

test("control characters get the same clear error from both stores", async () => {
  const postgres = await startTestServer(await database.store(TICKETS));
  const memory = await startTestServer(new MemoryTicketStore(TICKETS, "memory"));
  const clients = await Promise.all([postgres, memory].map((s) => connectClient(s.url)));
  try {
    const calls: [string, Record<string, string>][] = [
      ["search_tickets", { user_id: "user104\u0000" }],
      ["search_tickets", { assigned_to: "\u0000dev_team" }],
      ["search_tickets", { keyword: "log\u0000in" }],
      ["ticket_stats", { category: "billing\u0000" }],
      ["get_ticket", { ticket_id: "TKT-0001\u0000" }],
    ];
    for (const [name, args] of calls) {
      const [pgText, memText] = await Promise.all(
        clients.map(async ({ client }) => {
          const result = await client.callTool({ name, arguments: args });
          assert.equal(result.isError, true, `${name} ${JSON.stringify(args)}`);
          return textOf(result);
        }),
      );
      assert.equal(pgText, memText);
      assert.match(pgText!, /^Invalid \w+ ".*\\u0000.*": must not contain control characters/);
    }
    const completion = await clients[0]!.client.complete({
      ref: { type: "ref/resource", uri: "ticket://{ticket_id}" },
      argument: { name: "ticket_id", value: "TKT\u0000" },
    });
    assert.deepEqual(completion.completion.values, []);
  } finally {
    await Promise.all(clients.map(({ client }) => client.close()));
    await postgres.close();
    await memory.close();
  }
});
