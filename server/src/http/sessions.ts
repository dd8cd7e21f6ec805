/**
 * Open MCP sessions over Streamable HTTP: one McpServer + transport each.
 *
 * Clients rarely send DELETE, so sessions that have been idle (no request in flight,
 * none for `idleMs`) are closed by a sweeper; the number open at once is capped.
 */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { Logger } from "../logger.js";

export interface Session {
  id: string;
  /** The principal that opened it; nobody else may use it. */
  owner: string;
  server: McpServer;
  transport: StreamableHTTPServerTransport;
  lastSeen: number;
  /** Requests (including open SSE streams) in flight; a busy session is never idle. */
  active: number;
}

export class SessionRegistry {
  private readonly sessions = new Map<string, Session>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly options: { idleMs: number; max: number; logger: Logger },
    private readonly now: () => number = Date.now,
  ) {
    const every = Math.max(1000, Math.min(options.idleMs / 4, 60_000));
    this.sweeper = setInterval(() => void this.sweep(), every);
    this.sweeper.unref();
  }

  get size(): number {
    return this.sessions.size;
  }

  get full(): boolean {
    return this.sessions.size >= this.options.max;
  }

  get(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  add(session: Session): void {
    this.sessions.set(session.id, session);
    this.options.logger.info(
      { session: session.id.slice(0, 8), open: this.size },
      "session opened",
    );
  }

  /** Forget a session (its transport has closed). */
  remove(id: string): void {
    if (this.sessions.delete(id)) {
      this.options.logger.info({ session: id.slice(0, 8), open: this.size }, "session closed");
    }
  }

  /** Marks a request on the session; call the returned function when it ends. */
  enter(session: Session): () => void {
    session.active++;
    session.lastSeen = this.now();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      session.active--;
      session.lastSeen = this.now();
    };
  }

  /** Closes sessions idle for longer than idleMs; returns how many. */
  async sweep(): Promise<number> {
    const cutoff = this.now() - this.options.idleMs;
    const idle = [...this.sessions.values()].filter((s) => s.active === 0 && s.lastSeen < cutoff);
    for (const session of idle) {
      this.options.logger.info({ session: session.id.slice(0, 8) }, "session expired (idle)");
      await this.close(session);
    }
    return idle.length;
  }

  async closeAll(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.all([...this.sessions.values()].map((s) => this.close(s)));
  }

  private async close(session: Session): Promise<void> {
    this.sessions.delete(session.id);
    try {
      await session.transport.close();
      await session.server.close();
    } catch (err) {
      this.options.logger.warn({ err, session: session.id.slice(0, 8) }, "closing session failed");
    }
  }
}
