/**
 * The server's entry point, and the only file that listens, handles signals and exits.
 *
 *   npm start                 Streamable HTTP on http://HOST:PORT/mcp (127.0.0.1:8000)
 *   npm run start:stdio       the same tools over stdio (Claude Desktop, MCP Inspector)
 */
import { createServer } from "node:http";
import { serveStdio } from "@modelcontextprotocol/server/stdio";
import {
  ConfigError,
  authConfigured,
  isLoopbackHost,
  loadConfig,
  loadDotEnv,
  type Config,
} from "./config.js";
import { createApp } from "./http/app.js";
import { closeGracefully } from "./http/shutdown.js";
import { createLogger, type Logger } from "./logger.js";
import { SERVER_NAME, SERVER_VERSION, buildMcpServer } from "./mcp/buildServer.js";
import { RequestLog } from "./mcp/requestLog.js";
import { GuardedStdioTransport } from "./mcp/stdioTransport.js";
import { StoreOpenError, loadMemoryStore, openPostgresStore } from "./sources/loadStore.js";
import { ReloadingStore } from "./sources/reloadingStore.js";
import { TicketFileError } from "./sources/spreadsheet.js";
import type { TicketStore } from "./tickets/store.js";

const USAGE = `${SERVER_NAME} ${SERVER_VERSION}: MCP server for searching support tickets

Usage:
  npm start [-- --stdio]            (or: tsx server/src/main.ts [--stdio])

Options:
  --stdio      serve over stdio instead of HTTP (logs go to stderr)
  --help, -h   show this help
  --version    print the version

Environment (all optional; .env.example explains each, README lists them):
  HOST=127.0.0.1  PORT=8000  TICKETS_FILE=data/requests.xls  TICKETS_RELOAD=true
  TICKETS_RELOAD_SETTLE_MS=2000  LOG_LEVEL=info  LOG_FILE=  LOG_FILE_SIZE=10m  LOG_FILE_KEEP=7
  MCP_STATELESS=false  MCP_SESSION_IDLE_SECONDS=1800  MCP_MAX_SESSIONS=1000
  MCP_MAX_SESSIONS_PER_PRINCIPAL=50
  ALLOWED_HOSTS=  ALLOWED_ORIGINS=  TRUST_PROXY=false  MAX_BODY_BYTES=262144
  RATE_LIMIT_PER_MINUTE=600  RATE_LIMIT_BURST=60  SHUTDOWN_TIMEOUT_SECONDS=10
  AUTH_TOKENS_FILE=  OAUTH_ISSUER=  OAUTH_JWKS_URL=  OAUTH_AUDIENCE=  OAUTH_SCOPE=tickets:read
  OAUTH_USER_CLAIM=user_id  OAUTH_AGENT_SCOPE=tickets:read:all  PUBLIC_URL=
  ALLOW_UNAUTHENTICATED_REMOTE=false
  TICKETS_STORE=memory  DATABASE_URL=  DATABASE_SCHEMA=public  DATABASE_MIGRATE=true
  DATABASE_POOL_MAX=10  DATABASE_CONNECT_TIMEOUT_MS=3000  DATABASE_IDLE_TIMEOUT_MS=30000
  DATABASE_STATEMENT_TIMEOUT_MS=5000
`;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function serveOverStdio(store: TicketStore, logger: Logger): Promise<void> {
  // Both eras from the same factory: the opening message picks the connection's era.
  const transport = new GuardedStdioTransport(new RequestLog(logger).exchange("stdio"));
  const connection = serveStdio(() => buildMcpServer({ store, logger }), {
    transport,
    onerror: (err) => logger.warn({ err: err.message }, "stdio connection error"),
  });
  logger.info({ tickets: (await store.info()).count }, "serving MCP over stdio");
  const stop = async () => {
    await connection.close();
    await store.close?.();
    logger.flush();
    process.exit(0);
  };
  process.stdin.once("end", () => void stop());
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
}

async function serveHttp(config: Config, store: TicketStore, logger: Logger): Promise<void> {
  const mcp = createApp({ config, store, logger });
  const http = createServer(mcp.app);
  http.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EADDRINUSE") {
      fail(
        `Port ${config.PORT} on ${config.HOST} is already in use (another server running?). ` +
          `Stop it (lsof -i:${config.PORT}) or pick another port: PORT=${config.PORT + 1} npm start`,
      );
    }
    fail(`Cannot listen on ${config.HOST}:${config.PORT}: ${err.message}`);
  });
  const { count } = await store.info();
  http.listen(config.PORT, config.HOST, () => {
    const address = http.address();
    const port = typeof address === "object" && address ? address.port : config.PORT;
    const host = config.HOST.includes(":") ? `[${config.HOST}]` : config.HOST;
    logger.info(
      {
        url: `http://${host}:${port}/mcp`,
        stateless: config.MCP_STATELESS,
        tickets: count,
        auth:
          [config.AUTH_TOKENS_FILE && "tokens", config.OAUTH_ISSUER && "oauth"]
            .filter(Boolean)
            .join("+") || "off",
      },
      `${SERVER_NAME} ${SERVER_VERSION} listening on http://${host}:${port}/mcp`,
    );
    if ((config.HOST === "0.0.0.0" || config.HOST === "::") && config.ALLOWED_HOSTS.length === 0) {
      logger.warn(
        "Listening on all interfaces, but only Host headers localhost/127.0.0.1 are accepted: set ALLOWED_HOSTS to the names clients use.",
      );
    }
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: finishing requests in flight");
    await closeGracefully(http, mcp, config.SHUTDOWN_TIMEOUT_SECONDS * 1000);
    await store.close?.();
    logger.info("stopped");
    logger.flush();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
}

async function main(argv: string[]): Promise<void> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(USAGE);
    return;
  }
  if (argv.includes("--version")) {
    process.stdout.write(`${SERVER_VERSION}\n`);
    return;
  }
  const unknown = argv.filter((a) => !["--stdio"].includes(a));
  if (unknown.length > 0) fail(`Unknown option ${unknown[0]}; see --help.`);
  const stdio = argv.includes("--stdio");

  let config: Config;
  try {
    loadDotEnv();
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  if (
    !stdio &&
    !isLoopbackHost(config.HOST) &&
    !authConfigured(config) &&
    !config.ALLOW_UNAUTHENTICATED_REMOTE
  ) {
    fail(
      `Refusing to listen on ${config.HOST} without authentication: anyone who reaches it could read every ticket. ` +
        "Set AUTH_TOKENS_FILE (npm run token:new) or OAUTH_ISSUER + OAUTH_JWKS_URL, " +
        "or ALLOW_UNAUTHENTICATED_REMOTE=true if a proxy in front authenticates.",
    );
  }
  const logger = createLogger({
    level: config.LOG_LEVEL,
    fd: stdio ? 2 : 1,
    file: config.LOG_FILE
      ? { path: config.LOG_FILE, size: config.LOG_FILE_SIZE, keep: config.LOG_FILE_KEEP }
      : undefined,
  });
  let store: TicketStore;
  try {
    if (config.TICKETS_STORE === "postgres") {
      store = await openPostgresStore(config, logger);
    } else {
      const file = config.TICKETS_FILE;
      const load = (path: string) =>
        loadMemoryStore(path, { snapshotDir: config.TICKETS_SNAPSHOT_DIR, logger });
      const reloading = new ReloadingStore(await load(file), file, load, logger, {
        settleMs: config.TICKETS_RELOAD_SETTLE_MS,
      });
      if (config.TICKETS_RELOAD) reloading.watch();
      store = reloading;
    }
  } catch (err) {
    if (err instanceof TicketFileError || err instanceof StoreOpenError) fail(err.message);
    throw err;
  }
  if (stdio) await serveOverStdio(store, logger);
  else await serveHttp(config, store, logger);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`Failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
