/**
 * Open MCP sessions over Streamable HTTP: one McpServer + transport each.
 *
 * Clients rarely send DELETE, so sessions that have been idle (no request in flight,
 * none for `idleMs`) are closed by a sweeper. The number open at once is capped, and so
 * is the number one identity may hold (`perOwner`), so one token cannot take them all:
 * over its own cap, that identity's oldest idle session makes room. Slots are reserved
 * before a session's initialize is handled, so a burst of them cannot overshoot either cap.
 */
import type { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";
import type { McpServer } from "@modelcontextprotocol/server";
import type { Logger } from "../logger.js";

export interface Session {
  id: string;
  /** The identity that opened it (identityKey); nobody else may use it. */
  owner: string;
  server: McpServer;
  transport: NodeStreamableHTTPServerTransport;
  lastSeen: number;
  /** Requests (including open SSE streams) in flight; a busy session is never idle. */
  active: number;
}

export class SessionRegistry {
  private readonly sessions = new Map<string, Session>();
  /** Initializes under way, per owner: they hold a slot until their session exists. */
  private readonly reserved = new Map<string, number>();
  private reservedTotal = 0;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly options: { idleMs: number; max: number; perOwner: number; logger: Logger },
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
    return this.sessions.size + this.reservedTotal >= this.options.max;
  }

  /** Sessions open (and being opened) by one owner. */
  countOf(owner: string): number {
    let count = this.reserved.get(owner) ?? 0;
    for (const session of this.sessions.values()) if (session.owner === owner) count++;
    return count;
  }

  /**
   * A slot for a new session of `owner`: "ok" with the function that frees the slot
   * (call it when the initialize request ends; by then the session holds its own), or
   * why not. At its own cap, the owner's oldest idle session is closed to make room;
   * with none idle, the owner is refused. Other owners are never touched.
   */
  reserve(owner: string): { ok: true; release: () => void } | { ok: false; why: "owner" | "full" } {
    if (this.countOf(owner) >= this.options.perOwner) {
      const oldest = [...this.sessions.values()]
        .filter((s) => s.owner === owner && s.active === 0)
        .sort((a, b) => a.lastSeen - b.lastSeen)[0];
      if (!oldest) return { ok: false, why: "owner" };
      this.options.logger.info(
        { session: oldest.id.slice(0, 8), cap: this.options.perOwner },
        "session closed: its owner opened one more than its cap",
      );
      void this.close(oldest);
    }
    if (this.full) return { ok: false, why: "full" };
    this.reserved.set(owner, (this.reserved.get(owner) ?? 0) + 1);
    this.reservedTotal++;
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        this.reservedTotal--;
        const left = (this.reserved.get(owner) ?? 1) - 1;
        if (left === 0) this.reserved.delete(owner);
        else this.reserved.set(owner, left);
      },
    };
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
