/**
 * Real PostgreSQL for tests, no mocks. The database is DATABASE_URL when set (CI makes a
 * throw-away one per run); otherwise one is created here on the local server (user
 * postgres, trust auth on 127.0.0.1:5432) and dropped when the test file ends. Each
 * store gets its own schema, dropped with it, so suites never see each other's rows.
 */
import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importTickets } from "../../server/src/sources/postgresImport.js";
import {
  PostgresTicketStore,
  withClient,
  type PostgresStoreOptions,
} from "../../server/src/sources/postgresStore.js";
import type { Ticket } from "../../server/src/tickets/ticket.js";

const LOCAL_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase {
  url: string;
  /** A store over `tickets` in a fresh schema; closed and dropped by `drop()`. */
  store(
    tickets: readonly Ticket[],
    options?: Partial<PostgresStoreOptions>,
  ): Promise<PostgresTicketStore>;
  /** Closes every store, drops their schemas, and the database if this file made it. */
  drop(): Promise<void>;
}

export async function testDatabase(): Promise<TestDatabase> {
  let url = process.env.DATABASE_URL;
  let created: string | undefined;
  if (!url) {
    created = `mcp_tickets_test_${process.pid}_${Date.now() % 1_000_000}`;
    await withClient(LOCAL_ADMIN, (c) => c.query(`CREATE DATABASE ${created}`));
    url = LOCAL_ADMIN.replace(/\/postgres$/, `/${created}`);
  }
  const databaseUrl = url;
  const stores: PostgresTicketStore[] = [];
  let next = 0;
  return {
    url: databaseUrl,
    async store(tickets, options = {}) {
      const schema = `t${process.pid}_${next++}`;
      const store = new PostgresTicketStore({ connectionString: databaseUrl, schema, ...options });
      stores.push(store);
      await store.open();
      if (tickets.length > 0) await importTickets(store.pool, tickets, { vacuum: false });
      return store;
    },
    async drop() {
      const schemas = stores.map((s) => s.schema);
      await Promise.all(stores.map((s) => s.close().catch(() => {})));
      if (created) {
        await withClient(LOCAL_ADMIN, (c) =>
          c.query(`DROP DATABASE IF EXISTS ${created} WITH (FORCE)`),
        );
        return;
      }
      await withClient(databaseUrl, async (c) => {
        for (const schema of schemas) await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      });
    },
  };
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
 * A machine-wide lock for test files that use PostgreSQL: one of them stops and starts
 * the server, which must not happen under another's feet when the runner runs files in
 * parallel. Returns the release function. A lock left by a dead process is taken over.
 */
export async function lockPostgresTests(): Promise<() => Promise<void>> {
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
