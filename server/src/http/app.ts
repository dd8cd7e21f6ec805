/**
 * createApp(deps) -> the express app serving MCP over Streamable HTTP at /mcp, plus
 * /healthz, /readyz, /metrics and the OAuth resource metadata. It never listens:
 * main.ts does, and tests import it freely.
 *
 * Stateful by default: initialize opens a session (its own McpServer and transport,
 * bound to the principal that opened it); later requests carry Mcp-Session-Id. With
 * `stateless`, every POST gets a fresh server and transport and no session exists, so
 * any replica behind a load balancer can answer.
 *
 * /mcp passes, in order: Host check, Origin check, CORS, authentication, rate limit,
 * body size limit. Customers get a server whose store is scoped to their user.
 */
import { randomUUID } from "node:crypto";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import express, { type Request, type Response } from "express";
import { identityKey, type Principal } from "../auth/principal.js";
import { trustProxy, type Config } from "../config.js";
import type { Logger } from "../logger.js";
import { SERVER_NAME, SERVER_VERSION, buildMcpServer } from "../mcp/buildServer.js";
import { guardRequests } from "../mcp/requestGuard.js";
import { logRequests } from "../mcp/requestLog.js";
import { TOOLS } from "../mcp/tools/index.js";
import { scopeToUser } from "../tickets/scope.js";
import type { TicketStore } from "../tickets/store.js";
import { METADATA_PATH, createAuth, principalOf, type AuthConfig } from "./auth.js";
import { cors } from "./cors.js";
import { errorHandler, jsonRpcError } from "./errors.js";
import { createMetrics, type Metrics } from "./metrics.js";
import { authFailureThrottle, rateLimit } from "./rateLimit.js";
import { allowedHostnames, hostCheck, originCheck } from "./security.js";
import { requestId, securityHeaders } from "./securityHeaders.js";
import { SessionRegistry, type Session } from "./sessions.js";

export type AppConfig = AuthConfig &
  Pick<
    Config,
    | "MCP_STATELESS"
    | "MCP_SESSION_IDLE_SECONDS"
    | "MCP_MAX_SESSIONS"
    | "MCP_MAX_SESSIONS_PER_PRINCIPAL"
    | "ALLOWED_HOSTS"
    | "ALLOWED_ORIGINS"
    | "MAX_BODY_BYTES"
    | "RATE_LIMIT_PER_MINUTE"
    | "RATE_LIMIT_BURST"
    | "TRUST_PROXY"
  >;

export interface AppDeps {
  config: AppConfig;
  store: TicketStore;
  logger: Logger;
}

export interface McpApp {
  app: express.Express;
  sessions: SessionRegistry;
  metrics: Metrics;
  /**
   * From now on every new request gets 503 with Retry-After and Connection: close, and
   * responses still to be written close their connection; requests in flight finish.
   */
  beginShutdown(): void;
  /** Resolves when no MCP POST is in flight (or after `timeoutMs`). */
  drain(timeoutMs: number): Promise<void>;
  /** Closes every session (ending their SSE streams). */
  close(): Promise<void>;
}

const SESSION_NOT_FOUND = -32001;

export function createApp({ config, store, logger }: AppDeps): McpApp {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.set("trust proxy", trustProxy(config.TRUST_PROXY));

  const sessions = new SessionRegistry({
    idleMs: config.MCP_SESSION_IDLE_SECONDS * 1000,
    max: config.MCP_MAX_SESSIONS,
    perOwner: config.MCP_MAX_SESSIONS_PER_PRINCIPAL,
    logger,
  });
  const metrics = createMetrics({
    sessions: () => sessions.size,
    tickets: async () => (await store.info()).count,
  });
  const limits = {
    perMinute: config.RATE_LIMIT_PER_MINUTE,
    burst: config.RATE_LIMIT_BURST,
    onLimited: (key: string) => {
      metrics.rateLimited();
      logger.warn({ key: key.startsWith("ip:") ? key : key.replace(/:.*/, ":…") }, "rate limited");
    },
  };
  const auth = createAuth(config, authFailureThrottle(limits));

  let inFlight = 0;
  const idleWaiters: (() => void)[] = [];
  const track = (res: Response) => {
    inFlight++;
    res.once("close", () => {
      inFlight--;
      if (inFlight === 0) idleWaiters.splice(0).forEach((wake) => wake());
    });
  };

  /** A server for this caller: customers only ever see their own tickets. */
  const serverFor = (principal: Principal) =>
    buildMcpServer({
      store:
        principal.role === "customer" && principal.userId
          ? scopeToUser(store, principal.userId)
          : store,
      logger,
    });

  app.use(securityHeaders, requestId);

  // Shutting down: no request that reaches the server goes unanswered or is reset.
  let stopping = false;
  const open = new Set<Response>();
  app.use((_req, res, next) => {
    if (stopping) {
      res.setHeader("Connection", "close");
      res.setHeader("Retry-After", "5");
      res
        .status(503)
        .json(jsonRpcError(-32000, "The server is shutting down; retry in a few seconds."));
      return;
    }
    open.add(res);
    res.once("close", () => open.delete(res));
    next();
  });

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res) => {
    try {
      const ready = (await store.ready?.()) ?? true;
      const { count } = await store.info();
      if (!ready) throw new Error("store not reachable");
      res.json({ status: "ready", tickets: count });
    } catch (err) {
      logger.warn({ err }, "not ready");
      res.status(503).json({ status: "not ready", reason: "ticket store unavailable" });
    }
  });
  // With authentication on, /metrics needs an agent's token too (a scraper can send
  // one); without it the server only listens on loopback anyway (see main.ts).
  app.get("/metrics", auth.middleware, async (_req, res) => {
    if (principalOf(res).role !== "agent") {
      res.status(403).json(jsonRpcError(-32001, "Metrics are for agent tokens only."));
      return;
    }
    res.setHeader("Content-Type", metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });
  if (auth.metadata) {
    const metadata = auth.metadata;
    app.get([METADATA_PATH, `${METADATA_PATH}/mcp`], (_req, res) => {
      res.setHeader("Access-Control-Allow-Origin", "*");
      res.json(metadata);
    });
  }

  app.use("/mcp", hostCheck(allowedHostnames(config.HOST, config.ALLOWED_HOSTS)));
  app.use("/mcp", originCheck(config.ALLOWED_ORIGINS));
  app.use("/mcp", cors(config.ALLOWED_ORIGINS));
  // The seed's "is it up?" check, `curl http://localhost:8000/mcp`: a GET that does not
  // ask for an event stream gets a note on what this endpoint is, token or not (it says
  // nothing the README does not).
  app.get("/mcp", (req, res, next) => {
    if ((req.header("accept") ?? "").includes("text/event-stream")) return next();
    res.status(406).json(endpointInfo(req, auth.enabled));
  });
  app.use("/mcp", auth.middleware);
  app.use("/mcp", rateLimit(limits));
  app.use("/mcp", express.json({ limit: config.MAX_BODY_BYTES }));

  const sessionOf = (req: Request, res: Response): Session | undefined => {
    const id = req.header("mcp-session-id");
    if (id === undefined) {
      res
        .status(400)
        .json(
          jsonRpcError(
            -32000,
            "Bad Request: no Mcp-Session-Id header; send initialize first to open a session.",
          ),
        );
      return undefined;
    }
    const session = sessions.get(id);
    // Another identity's session is answered exactly like an unknown one.
    if (!session || session.owner !== identityKey(principalOf(res))) {
      res
        .status(404)
        .json(
          jsonRpcError(
            SESSION_NOT_FOUND,
            "Session not found: it ended or expired. Send initialize without Mcp-Session-Id to start a new one.",
          ),
        );
      return undefined;
    }
    return session;
  };

  const handleStateless = async (req: Request, res: Response) => {
    const server = serverFor(principalOf(res));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.once("close", () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    guardRequests(transport);
    logRequests(transport, logger, metrics.observe);
    await transport.handleRequest(req, res, req.body);
  };

  const openSession = async (req: Request, res: Response) => {
    const owner = principalOf(res);
    const ownerKey = identityKey(owner);
    const slot = sessions.reserve(ownerKey);
    if (!slot.ok) {
      res.setHeader("Retry-After", "30");
      res
        .status(503)
        .json(
          jsonRpcError(
            -32000,
            slot.why === "owner"
              ? `This client already has ${config.MCP_MAX_SESSIONS_PER_PRINCIPAL} sessions open, all busy; ` +
                  "end one with DELETE or retry later."
              : "Too many open sessions; retry later or close unused sessions with DELETE.",
          ),
        );
      return;
    }
    res.once("close", slot.release);
    const server = serverFor(owner);
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.add({ id, owner: ownerKey, server, transport, lastSeen: Date.now(), active: 0 });
        slot.release();
      },
    });
    transport.onclose = () => {
      if (transport.sessionId !== undefined) sessions.remove(transport.sessionId);
    };
    await server.connect(transport);
    guardRequests(transport);
    logRequests(transport, logger, metrics.observe);
    await transport.handleRequest(req, res, req.body);
  };

  app.post("/mcp", async (req, res) => {
    track(res);
    if (config.MCP_STATELESS) return handleStateless(req, res);
    if (req.header("mcp-session-id") === undefined && isInitializeRequest(req.body)) {
      return openSession(req, res);
    }
    const session = sessionOf(req, res);
    if (!session) return;
    res.once("close", sessions.enter(session));
    await session.transport.handleRequest(req, res, req.body);
  });

  app.get("/mcp", async (req, res) => {
    if (config.MCP_STATELESS) return methodNotAllowed(res, "stateless mode has no SSE stream");
    const session = sessionOf(req, res);
    if (!session) return;
    res.once("close", sessions.enter(session));
    await session.transport.handleRequest(req, res);
  });

  app.delete("/mcp", async (req, res) => {
    if (config.MCP_STATELESS) return methodNotAllowed(res, "stateless mode has no sessions");
    const session = sessionOf(req, res);
    if (!session) return;
    await session.transport.handleRequest(req, res);
  });

  app.all("/mcp", (_req, res) => methodNotAllowed(res, "use POST, GET or DELETE"));

  app.use((req, res) => {
    res
      .status(404)
      .json(
        jsonRpcError(-32601, `Nothing at ${req.method} ${req.path}; the MCP endpoint is /mcp.`),
      );
  });
  app.use(errorHandler(logger, config.MAX_BODY_BYTES));

  return {
    app,
    sessions,
    metrics,
    beginShutdown: () => {
      stopping = true;
      for (const res of open) if (!res.headersSent) res.shouldKeepAlive = false;
    },
    drain: (timeoutMs) =>
      new Promise<void>((resolve) => {
        if (inFlight === 0) return resolve();
        const timer = setTimeout(resolve, timeoutMs);
        idleWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
    close: () => sessions.closeAll(),
  };
}

function methodNotAllowed(res: Response, why: string): void {
  res.setHeader("Allow", "POST, GET, DELETE");
  res.status(405).json(jsonRpcError(-32000, `Method not allowed: ${why}.`));
}

function endpointInfo(req: Request, authRequired: boolean) {
  const url = `${req.protocol}://${req.header("host") ?? "localhost"}/mcp`;
  return {
    name: SERVER_NAME,
    version: SERVER_VERSION,
    endpoint: url,
    transport: "streamable-http",
    status: "running",
    auth: authRequired ? "bearer token required" : "none",
    tools: TOOLS.map((t) => t.name),
    message:
      "This is a Model Context Protocol endpoint; talk to it with an MCP client. " +
      `LangChain MultiServerMCPClient: {"transport": "streamable_http", "url": "${url}"}. ` +
      "Raw protocol: POST a JSON-RPC initialize request with 'Accept: application/json, text/event-stream' " +
      "and 'Content-Type: application/json' (see examples/curl in the repository).",
  };
}
