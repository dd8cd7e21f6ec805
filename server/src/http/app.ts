/**
 * createApp(deps) -> the express app serving MCP over Streamable HTTP at /mcp, plus
 * /healthz, /readyz, /metrics and the OAuth resource metadata. It never listens:
 * main.ts does, and tests import it freely.
 *
 * /mcp serves both protocol eras from one server factory (buildMcpServer), routed per
 * request by the SDK's own classification (classifyInboundRequest, isLegacyRequest's core):
 * - 2026-07-28: stateless, a fresh server per request from createMcpHandler, built for
 *   the caller its verified token names (so a customer's scope applies per request);
 *   server/discover, Mcp-Method/Mcp-Name header checks, caching hints.
 * - 2025 revisions: sessions as before. initialize opens one (its own McpServer and
 *   transport, bound to the identity that opened it); later requests carry
 *   Mcp-Session-Id; GET holds an SSE stream, DELETE ends it. With MCP_STATELESS every
 *   2025 POST gets a fresh server and transport instead, so any replica can answer.
 *
 * /mcp passes, in order: Host check, Origin check, CORS, authentication, rate limit,
 * body size limit. Customers get a server whose store is scoped to their user.
 */
import { randomUUID } from "node:crypto";
import { NodeStreamableHTTPServerTransport, toNodeHandler } from "@modelcontextprotocol/node";
import {
  classifyInboundRequest,
  createMcpHandler,
  isInitializeRequest,
  type AuthInfo,
} from "@modelcontextprotocol/server";
import express, { type Request, type Response } from "express";
import { ANONYMOUS, identityKey, type Principal } from "../auth/principal.js";
import { trustProxy, type Config } from "../config.js";
import type { Logger } from "../logger.js";
import { SERVER_NAME, SERVER_VERSION, buildMcpServer } from "../mcp/buildServer.js";
import { invalidParams } from "../mcp/requestGuard.js";
import { RequestLog, tapHttpExchange, type Era } from "../mcp/requestLog.js";
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
  const auth = createAuth(config, authFailureThrottle(limits), logger);

  let inFlight = 0;
  const idleWaiters: (() => void)[] = [];
  const track = (res: Response) => {
    inFlight++;
    res.once("close", () => {
      inFlight--;
      if (inFlight === 0) idleWaiters.splice(0).forEach((wake) => wake());
    });
  };

  const requestLog = new RequestLog(logger, metrics.observe);

  /** A server for this caller: customers only ever see their own tickets. */
  const serverFor = (principal: Principal) => {
    if (principal.role === "customer" && !principal.userId) {
      // No authenticator makes one; should one ever, it sees nothing rather than all.
      throw new Error("a customer principal without a user id");
    }
    return buildMcpServer({
      store: principal.role === "customer" ? scopeToUser(store, principal.userId!) : store,
      logger,
    });
  };

  /**
   * Who owns a 2025 session: the whole verified identity; for callers without a token
   * (auth off, or a proxy in front authenticates) the client address as well, so one
   * anonymous client can neither use nor crowd out another's sessions (behind a proxy,
   * with TRUST_PROXY set, the address is the real client's).
   */
  const ownerOf = (req: Request, res: Response): string => {
    const principal = principalOf(res);
    const key = identityKey(principal);
    return principal === ANONYMOUS ? `${key} from ${clientAddress(req.ip)}` : key;
  };

  // 2026-07-28: the SDK's per-request handler, strict (2025 traffic never reaches it).
  // The factory gets the principal our auth middleware verified, as AuthInfo.
  const modern = createMcpHandler(({ authInfo }) => serverFor(principalFromAuthInfo(authInfo)), {
    legacy: "reject",
    maxRequestBodySize: config.MAX_BODY_BYTES,
    onerror: (err) => logger.debug({ err: err.message }, "2026-07-28 request rejected"),
  });
  const modernNode = toNodeHandler(modern, {
    onerror: (err) => logger.error({ err }, "2026-07-28 request failed"),
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
    const notReady = () =>
      res.status(503).json({ status: "not ready", reason: "ticket store unavailable" });
    try {
      // A store that says "not ready" has logged why, once per outage (not per probe).
      if (!((await store.ready?.()) ?? true)) return notReady();
      const { count } = await store.info();
      res.json({ status: "ready", tickets: count });
    } catch (err) {
      logger.warn({ err: (err as Error).message }, "not ready");
      notReady();
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
            "Bad Request: no Mcp-Session-Id header; send initialize first to open a session " +
              "(or use protocol revision 2026-07-28, which needs no session).",
            idOf(req.body),
          ),
        );
      return undefined;
    }
    const session = sessions.get(id);
    // Another identity's session is answered exactly like an unknown one.
    if (!session || session.owner !== ownerOf(req, res)) {
      res
        .status(404)
        .json(
          jsonRpcError(
            SESSION_NOT_FOUND,
            "Session not found: it ended or expired. Send initialize without Mcp-Session-Id to start a new one.",
            idOf(req.body),
          ),
        );
      return undefined;
    }
    return session;
  };

  /** Logs the exchange, and answers malformed params itself; true when it did. */
  const prepare = (req: Request, res: Response, era: Era, session?: string): boolean => {
    tapHttpExchange(requestLog, req.body, res, era, session);
    const invalid = invalidParams(req.body, { modern: era === "2026-07-28" });
    if (invalid) res.status(200).json(invalid);
    return invalid !== undefined;
  };

  const handleModern = async (req: Request, res: Response) => {
    if (prepare(req, res, "2026-07-28")) return;
    // toNodeHandler hands `req.auth` to the factory as authInfo.
    (req as Request & { auth?: AuthInfo }).auth = authInfoOf(principalOf(res));
    await modernNode(req, res, req.body);
  };

  const handleStateless = async (req: Request, res: Response) => {
    if (prepare(req, res, "2025")) return;
    const server = serverFor(principalOf(res));
    const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.once("close", () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  };

  const openSession = async (req: Request, res: Response) => {
    const owner = principalOf(res);
    const ownerKey = ownerOf(req, res);
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
            idOf(req.body),
          ),
        );
      return;
    }
    res.once("close", slot.release);
    if (prepare(req, res, "2025")) return;
    const server = serverFor(owner);
    const transport: NodeStreamableHTTPServerTransport = new NodeStreamableHTTPServerTransport({
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
    await transport.handleRequest(req, res, req.body);
  };

  app.post("/mcp", async (req, res) => {
    track(res);
    if (!legacyRequest(req)) return handleModern(req, res);
    if (config.MCP_STATELESS) return handleStateless(req, res);
    if (req.header("mcp-session-id") === undefined && isInitializeRequest(req.body)) {
      return openSession(req, res);
    }
    const session = sessionOf(req, res);
    if (!session) return;
    res.once("close", sessions.enter(session));
    if (prepare(req, res, "2025", session.id)) return;
    // A client that goes away mid-call cancels it, as notifications/cancelled would: the
    // session outlives the connection, so nothing else would stop the store's work.
    res.once("close", () => {
      if (!res.writableFinished) cancelRequests(session.transport, req.body);
    });
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
    close: async () => {
      await sessions.closeAll();
      await modern.close();
    },
  };
}

const PROTOCOL_VERSION_KEY = "io.modelcontextprotocol/protocolVersion";

/**
 * Is this POST 2025-era traffic? The SDK's own classification decides, so routing never
 * disagrees with createMcpHandler; the plain case (no envelope claim in the body, no
 * 2026-style version header: every 2025 request) is answered before even that.
 */
function legacyRequest(req: Request): boolean {
  const body = req.body as { params?: { _meta?: Record<string, unknown> } } | undefined;
  const claimed = body?.params?._meta?.[PROTOCOL_VERSION_KEY] !== undefined;
  const version = req.header("mcp-protocol-version");
  if (!claimed && !Array.isArray(req.body) && (version === undefined || version < "2026")) {
    return true;
  }
  if (req.body === undefined) return true; // no JSON body: the SDK's rule says legacy
  // The SDK's own classification, on the parsed body and the headers: isLegacyRequest
  // would first build a web Request (and the modern handler another one) for the same.
  const outcome = classifyInboundRequest({
    httpMethod: req.method,
    body: req.body,
    protocolVersionHeader: version,
    mcpMethodHeader: req.header("mcp-method"),
    mcpNameHeader: req.header("mcp-name"),
  });
  return outcome.kind === "legacy";
}

/** The JSON-RPC id of a request body, for error answers; null when there is none. */
function idOf(body: unknown): string | number | null {
  const id = (body as { id?: unknown } | null)?.id;
  return typeof id === "string" || typeof id === "number" ? id : null;
}

/** Our principal, in the SDK's AuthInfo, for the 2026-07-28 handler's factory. */
function authInfoOf(principal: Principal): AuthInfo {
  return { token: "", clientId: principal.id, scopes: principal.scopes, extra: { principal } };
}

function principalFromAuthInfo(authInfo: AuthInfo | undefined): Principal {
  const principal = authInfo?.extra?.principal as Principal | undefined;
  // Only our own route calls the handler, always with a principal: never default one.
  if (!principal) throw new Error("2026-07-28 request without a verified principal");
  return principal;
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

/** A client's address for keying; every loopback form is one local client. */
function clientAddress(ip: string | undefined): string {
  if (ip === undefined) return "unknown";
  const v4 = ip.startsWith("::ffff:") ? ip.slice(7) : ip;
  return v4 === "::1" || v4.startsWith("127.") ? "loopback" : v4;
}

/** Delivers notifications/cancelled for each request in `body` to the session's server. */
function cancelRequests(transport: NodeStreamableHTTPServerTransport, body: unknown): void {
  for (const message of Array.isArray(body) ? body : [body]) {
    const { id, method } = (message ?? {}) as { id?: unknown; method?: unknown };
    if (typeof method !== "string" || (typeof id !== "string" && typeof id !== "number")) continue;
    transport.onmessage?.({
      jsonrpc: "2.0",
      method: "notifications/cancelled",
      params: { requestId: id, reason: "the client disconnected" },
    });
  }
}
