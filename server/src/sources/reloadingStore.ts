/**
 * A file-backed store that follows its file: when TICKETS_FILE changes on disk, the new
 * file is loaded in full and then swapped in at once, so a request sees either the old
 * tickets or the new ones, never a mix. A file that fails to load (half-written, a bad
 * row) leaves the last good data in service, and the log says why.
 */
import { watchFile, unwatchFile, type Stats } from "node:fs";
import type { Logger } from "../logger.js";
import type { GroupField, SearchQuery, TicketFilters } from "../tickets/query.js";
import type { SearchResult, StatsResult, StoreInfo, TicketStore } from "../tickets/store.js";
import type { Ticket } from "../tickets/ticket.js";

export class ReloadingStore implements TicketStore {
  private loading: Promise<void> | undefined;
  private again = false;
  private watching = false;

  constructor(
    private current: TicketStore,
    private readonly file: string,
    private readonly load: (file: string) => Promise<TicketStore>,
    private readonly logger: Logger,
  ) {}

  /** Polls the file (works across editors' rename-and-replace saves and network disks). */
  watch(intervalMs = 1000): this {
    if (!this.watching) {
      this.watching = true;
      watchFile(this.file, { interval: intervalMs }, (now: Stats, before: Stats) => {
        if (now.mtimeMs !== before.mtimeMs || now.size !== before.size) void this.reload();
      });
    }
    return this;
  }

  stop(): void {
    if (this.watching) unwatchFile(this.file);
    this.watching = false;
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
        try {
          const next = await this.load(this.file);
          const { count } = await next.info();
          this.current = next;
          this.logger.info(
            { file: this.file, tickets: count, ms: Math.round(performance.now() - started) },
            "tickets reloaded",
          );
        } catch (err) {
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

  search(query: SearchQuery): Promise<SearchResult> {
    return this.current.search(query);
  }
  get(ticketId: string): Promise<Ticket | undefined> {
    return this.current.get(ticketId);
  }
  stats(filters: TicketFilters, groupBy: GroupField): Promise<StatsResult> {
    return this.current.stats(filters, groupBy);
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
