/**
 * Real PostgreSQL for tests, no mocks. With DATABASE_URL set, the tests use that
 * database (CI makes a throw-away one per run on its PostgreSQL 15 server); without it,
 * each test file starts an embedded PostgreSQL 15 of its own (embeddedPostgres.ts), so
 * `npm test` needs no database server. Each store gets its own schema, dropped with it,
 * so suites never see each other's rows.
 */
import { execFile } from "node:child_process";
import { mkdir, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { importTickets } from "../../server/src/sources/postgresImport.js";
import {
  PostgresTicketStore,
  withClient,
  type PostgresStoreOptions,
} from "../../server/src/sources/postgresStore.js";
import type { Ticket } from "../../server/src/tickets/ticket.js";
import { EmbeddedPostgres } from "./embeddedPostgres.js";

const run = promisify(execFile);

export interface TestDatabase {
  url: string;
  /** "embedded" (this file's own server) or "DATABASE_URL" (a server shared with others). */
  where: "embedded" | "DATABASE_URL";
  /** A store over `tickets` in a fresh schema; closed and dropped by `drop()`. */
  store(
    tickets: readonly Ticket[],
    options?: Partial<PostgresStoreOptions>,
  ): Promise<PostgresTicketStore>;
  /** Stops the PostgreSQL server, as an outage would (fast shutdown: sessions are cut). */
  stopServer(): Promise<void>;
  /** Starts it again after `stopServer()`. */
  startServer(): Promise<void>;
  /** Closes every store and drops their schemas (or the embedded server with its data). */
  drop(): Promise<void>;
}

export async function testDatabase(): Promise<TestDatabase> {
  const shared = process.env.DATABASE_URL || undefined; // set but empty: unset
  // A shared server is locked for the file's duration: one file stops and starts it.
  const unlock = shared ? await lockPostgresTests() : undefined;
  let embedded: EmbeddedPostgres | undefined;
  try {
    embedded = shared ? undefined : await EmbeddedPostgres.create();
  } catch (error) {
    await unlock?.();
    throw error;
  }
  const databaseUrl = shared ?? embedded!.url;
  const stores: PostgresTicketStore[] = [];
  let next = 0;
  return {
    url: databaseUrl,
    where: embedded ? "embedded" : "DATABASE_URL",
    async store(tickets, options = {}) {
      const schema = `t${process.pid}_${next++}`;
      const store = new PostgresTicketStore({ connectionString: databaseUrl, schema, ...options });
      stores.push(store);
      await store.open();
      if (tickets.length > 0) await importTickets(store.pool, tickets, { vacuum: false });
      return store;
    },
    stopServer: () => (embedded ? embedded.stop() : localCluster("stop")),
    startServer: () => (embedded ? embedded.start() : localCluster("start")),
    async drop() {
      await Promise.all(stores.map((s) => s.close().catch(() => {})));
      if (embedded) {
        await embedded.destroy();
        return;
      }
      try {
        await withClient(databaseUrl, async (c) => {
          for (const { schema } of stores) await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        });
      } finally {
        await unlock?.();
      }
    },
  };
}

/**
 * With DATABASE_URL, the outage tests stop and start the machine's own PostgreSQL
 * cluster (Debian's pg_ctlcluster), which must be the server DATABASE_URL names.
 */
async function localCluster(action: "stop" | "start"): Promise<void> {
  const versions = await readdir("/etc/postgresql").catch(() => []);
  if (versions.length === 0) {
    throw new Error(
      "The outage test stops the PostgreSQL server, and with DATABASE_URL set it can only " +
        "do that to a local Debian cluster (/etc/postgresql). Unset DATABASE_URL to use " +
        "the embedded PostgreSQL instead.",
    );
  }
  const args = ["--skip-systemctl-redirect", versions[0]!, "main", action];
  await run("pg_ctlcluster", action === "stop" ? [...args, "-m", "fast"] : args);
}

const LOCK_DIR = join(tmpdir(), "mcp-tickets-postgres-tests.lock");

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * A machine-wide lock for test files that use the shared server: one of them stops and
 * starts it, which must not happen under another's feet when the runner runs files in
 * parallel. Returns the release function. A lock left by a dead process is taken over.
 */
async function lockPostgresTests(): Promise<() => Promise<void>> {
  const pidFile = join(LOCK_DIR, "pid");
  for (;;) {
    try {
      await mkdir(LOCK_DIR);
      await writeFile(pidFile, String(process.pid));
      return () => rm(LOCK_DIR, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = Number(await readFile(pidFile, "utf8").catch(() => ""));
    const age = Date.now() - ((await stat(LOCK_DIR).catch(() => undefined))?.mtimeMs ?? 0);
    if ((owner > 0 && !alive(owner)) || (!owner && age > 10_000)) {
      await rm(LOCK_DIR, { recursive: true, force: true });
      continue;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
