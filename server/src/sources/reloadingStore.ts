/**
 * A file-backed store that follows its file: when TICKETS_FILE changes on disk, the new
 * file is loaded in full and then swapped in at once, so a request sees either the old
 * tickets or the new ones, never a mix. A file that fails to load (a bad row) leaves the
 * last good data in service, and the log says why.
 *
 * A file rewritten in place is loaded only once it has settled: its size and mtime
 * unchanged for `settleMs` (longer than a slow writer's pauses), and unchanged again
 * after loading, or the load is thrown away and the wait starts over. A file replaced
 * atomically (written beside it, then renamed over it: a new inode) is complete by
 * construction and is loaded at once.
 */
import { statSync, unwatchFile, watchFile, type Stats } from "node:fs";
import type { Logger } from "../logger.js";
import type { GroupField, SearchQuery, TicketFilters } from "../tickets/query.js";
import type {
  CallOptions,
  SearchResult,
  StatsResult,
  StoreInfo,
  TicketStore,
} from "../tickets/store.js";
import type { Ticket } from "../tickets/ticket.js";

export interface ReloadOptions {
  /** How long the file must stay unchanged before it is loaded (default 2000 ms). */
  settleMs?: number;
  now?: () => number;
}

/** What identifies a version of the file: a change in any of these is a change. */
interface Version {
  ino: number;
  size: number;
  mtimeMs: number;
}

const versionOf = (stats: Stats): Version => ({
  ino: stats.ino,
  size: stats.size,
  mtimeMs: stats.mtimeMs,
});
const sameVersion = (a: Version | undefined, b: Version | undefined) =>
  a !== undefined &&
  b !== undefined &&
  a.ino === b.ino &&
  a.size === b.size &&
  a.mtimeMs === b.mtimeMs;

function statOf(file: string): Version | undefined {
  try {
    return versionOf(statSync(file));
  } catch {
    return undefined; // gone for a moment (being replaced): wait for it
  }
}

export class ReloadingStore implements TicketStore {
  private loading: Promise<void> | undefined;
  private again = false;
  private watching = false;
  private settleTimer: NodeJS.Timeout | undefined;
  /** The version of the file the data in service came from. */
  private loaded: Version | undefined;
  private readonly settleMs: number;
  private readonly now: () => number;

  constructor(
    private current: TicketStore,
    private readonly file: string,
    private readonly load: (file: string) => Promise<TicketStore>,
    private readonly logger: Logger,
    options: ReloadOptions = {},
  ) {
    this.settleMs = options.settleMs ?? 2000;
    this.now = options.now ?? Date.now;
    this.loaded = statOf(file);
  }

  /** Polls the file (works across editors' rename-and-replace saves and network disks). */
  watch(intervalMs = 1000): this {
    if (!this.watching) {
      this.watching = true;
      watchFile(this.file, { interval: intervalMs }, (now: Stats) => {
        if (now.nlink === 0 && now.size === 0 && now.mtimeMs === 0) return; // removed
        const version = versionOf(now);
        if (sameVersion(version, this.loaded)) return;
        if (this.loaded === undefined || version.ino !== this.loaded.ino) void this.reload();
        else this.settle();
      });
    }
    return this;
  }

  stop(): void {
    if (this.watching) unwatchFile(this.file);
    this.watching = false;
    clearTimeout(this.settleTimer);
  }

  /** Waits until the file has not changed for settleMs, then reloads it. */
  private settle(): void {
    if (this.settleTimer) return; // already waiting; the check below re-reads the file
    const check = (seen: Version | undefined) => {
      const version = statOf(this.file);
      const quietFor = version ? this.now() - version.mtimeMs : 0;
      if (!sameVersion(version, seen) || quietFor < this.settleMs) {
        const wait = sameVersion(version, seen) ? this.settleMs - quietFor : this.settleMs;
        this.settleTimer = setTimeout(() => check(version), Math.max(50, wait));
        this.settleTimer.unref();
        return;
      }
      this.settleTimer = undefined;
      void this.reload();
    };
    check(undefined);
  }

  /** Loads the file again; resolves when done (successfully or not). */
  reload(): Promise<void> {
    if (this.loading) {
      this.again = true; // changed again while loading: load once more after
      return this.loading;
    }
    this.loading = (async () => {
      do {
        this.again = false;
        const started = performance.now();
        const before = statOf(this.file);
        try {
          const next = await this.load(this.file);
          const { count } = await next.info();
          if (!sameVersion(before, statOf(this.file))) {
            // Written to while we read it: what we have may be half of it.
            this.logger.info(
              { file: this.file },
              "tickets file changed while loading; waiting for it to settle",
            );
            this.settle();
            continue;
          }
          this.current = next;
          this.loaded = before;
          this.logger.info(
            { file: this.file, tickets: count, ms: Math.round(performance.now() - started) },
            "tickets reloaded",
          );
        } catch (err) {
          this.loaded = before; // do not retry this version; the next change will
          this.logger.error(
            { file: this.file, reason: err instanceof Error ? err.message : String(err) },
            "reload failed; still serving the last good data",
          );
        }
      } while (this.again);
      this.loading = undefined;
    })();
    return this.loading;
  }

  search(query: SearchQuery, options?: CallOptions): Promise<SearchResult> {
    return this.current.search(query, options);
  }
  get(ticketId: string): Promise<Ticket | undefined> {
    return this.current.get(ticketId);
  }
  stats(filters: TicketFilters, groupBy: GroupField, options?: CallOptions): Promise<StatsResult> {
    return this.current.stats(filters, groupBy, options);
  }
  suggestIds(prefix: string, limit: number): Promise<string[]> {
    return this.current.suggestIds(prefix, limit);
  }
  info(): Promise<StoreInfo> {
    return this.current.info();
  }
  async ready(): Promise<boolean> {
    return (await this.current.ready?.()) ?? true;
  }
}
