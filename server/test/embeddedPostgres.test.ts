/**
 * The embedded PostgreSQL that `npm test` uses when DATABASE_URL is unset: a real server
 * (the pg driver, a restart keeps the data), and none is left behind by a test process
 * that is killed.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { test } from "node:test";
import pg from "pg";
import { withClient } from "../src/sources/postgresStore.js";
import { EmbeddedPostgres } from "../../test/helpers/embeddedPostgres.js";

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (const started = Date.now(); Date.now() - started < 20_000;) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Does a query get through? (A server shutting down may cut the session at any point.) */
async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

test("a real PostgreSQL 15 with pg_trgm; stop and start keep the data", async () => {
  const db = await EmbeddedPostgres.create();
  try {
    await withClient(db.url, async (c) => {
      const { rows } = await c.query<{ v: string }>(
        "SELECT current_setting('server_version') AS v",
      );
      assert.match(rows[0]!.v, /^15\./);
      await c.query("CREATE EXTENSION pg_trgm");
      await c.query("CREATE TABLE kept (word text)");
      await c.query("INSERT INTO kept VALUES ('login')");
    });
    await db.stop();
    assert.equal(await reachable(db.url), false);
    await db.start();
    const rows = await withClient(
      db.url,
      async (c) => (await c.query("SELECT word FROM kept")).rows,
    );
    assert.deepEqual(rows, [{ word: "login" }]);
  } finally {
    await db.destroy();
  }
  assert.equal(existsSync(db.dir), false);
});

test("a test process killed with SIGKILL leaves no server and no files behind", async () => {
  const script = `
    import { EmbeddedPostgres } from "./test/helpers/embeddedPostgres.ts";
    const db = await EmbeddedPostgres.create();
    console.log(JSON.stringify({ url: db.url, dir: db.dir }));
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  await until(() => out.includes("\n"), "the child's server");
  const { url, dir } = JSON.parse(out) as { url: string; dir: string };
  assert.equal(await reachable(url), true);
  child.kill("SIGKILL");
  await until(async () => !(await reachable(url)) && !existsSync(dir), "the server to go");
});
