/**
 * The ticket table both views show (the search view's results, the tickets behind a
 * stats bar): one page of search_tickets, sorted locally by a column, next and previous
 * page through next_cursor, and a row that expands to the full ticket through get_ticket.
 * It keeps its own page state; the view keeps what is above the table and the host
 * connection (every call goes through the view's CallTool, i.e. App.callServerTool).
 */
import type { Ticket } from "../../server/src/tickets/ticket.js";
import {
  badge,
  FIELD_LABELS,
  formatDate,
  h,
  valueLabel,
  type CallTool,
  type Lang,
} from "./view.js";

/** search_tickets' structuredContent. */
export interface SearchResult {
  total: number;
  /** false: counting stopped at total; at least that many match. */
  total_exact?: boolean;
  tickets: Ticket[];
  next_cursor?: string;
  filters: Record<string, string | string[]>;
}

type Column =
  | "ticket_id"
  | "title"
  | "status"
  | "priority"
  | "category"
  | "user_id"
  | "assigned_to"
  | "updated_date";

const COLUMNS: { key: Column; wide?: boolean }[] = [
  { key: "ticket_id" },
  { key: "title" },
  { key: "status" },
  { key: "priority" },
  { key: "category", wide: true },
  { key: "user_id", wide: true },
  { key: "assigned_to", wide: true },
  { key: "updated_date", wide: true },
];

const TEXT = {
  en: {
    range: (from: number, to: number, total: number, exact: boolean) =>
      `${from}–${to} of ${exact ? "" : "at least "}${total}`,
    next: "Next page",
    prev: "Previous",
    none: "No tickets match.",
    loading: "Loading…",
    sort: "Sort by",
  },
  ru: {
    range: (from: number, to: number, total: number, exact: boolean) =>
      `${from}–${to} из ${exact ? "" : "не менее "}${total}`,
    next: "Следующая страница",
    prev: "Назад",
    none: "Подходящих заявок нет.",
    loading: "Загрузка…",
    sort: "Сортировать по",
  },
};

const RANK: Partial<Record<Column, string[]>> = {
  priority: ["critical", "high", "medium", "low"],
  status: ["open", "in_progress", "pending", "closed", "rejected"],
};

export interface TicketTableHost {
  call: CallTool;
  lang(): Lang;
  /** Draws the view again (the table's state changed). */
  render(): void;
  /** A failed search: the view shows it; "" clears it. */
  error(message: string): void;
}

export class TicketTable {
  /** The page on screen. */
  result: SearchResult | undefined;
  /** The arguments of the call that gave it (sort and limit carry over to other pages). */
  args: Record<string, unknown> = {};
  busy = false;
  /** The pages before this one, for "previous". */
  private history: { result: SearchResult; args: Record<string, unknown> }[] = [];
  private offset = 0;
  private sort: { key: Column; dir: 1 | -1 } | undefined;
  private readonly open = new Set<string>();
  private readonly details = new Map<string, Ticket | string>();
  /** Only the newest search may land (a slow answer to an older one is dropped). */
  private generation = 0;

  constructor(private readonly host: TicketTableHost) {}

  /** A first page from elsewhere (the host's tool result). */
  show(result: SearchResult): void {
    this.generation++;
    this.result = result;
    this.history = [];
    this.offset = 0;
    this.busy = false;
    this.open.clear();
  }

  /** Clears the table (nothing to show until the next search lands). */
  clear(): void {
    this.generation++;
    this.result = undefined;
    this.history = [];
    this.offset = 0;
    this.busy = false;
    this.open.clear();
  }

  /** The filters in force plus the order and page size the call asked for. */
  baseArgs(): Record<string, unknown> {
    const { sort, limit } = this.args;
    return {
      ...(this.result?.filters ?? {}),
      ...(sort !== undefined ? { sort } : {}),
      ...(limit !== undefined ? { limit } : {}),
    };
  }

  /** Calls search_tickets: a new first page, or (`next`) the page after this one. */
  async search(args: Record<string, unknown>, next = false): Promise<void> {
    const generation = ++this.generation;
    this.busy = true;
    this.host.render();
    const answer = await this.host.call("search_tickets", args);
    if (generation !== this.generation) return;
    this.busy = false;
    if (typeof answer === "string") this.host.error(answer);
    else if (answer.structuredContent) {
      this.host.error("");
      if (next && this.result) {
        this.history.push({ result: this.result, args: this.args });
        this.offset += this.result.tickets.length;
      } else if (!next) {
        this.history = [];
        this.offset = 0;
      }
      this.args = args;
      this.result = answer.structuredContent as unknown as SearchResult;
      this.open.clear();
    }
    this.host.render();
  }

  async nextPage(): Promise<void> {
    const cursor = this.result?.next_cursor;
    if (cursor !== undefined) await this.search({ ...this.baseArgs(), cursor }, true);
  }

  previousPage(): void {
    const last = this.history.pop();
    if (!last) return;
    this.generation++;
    this.result = last.result;
    this.args = last.args;
    this.offset -= last.result.tickets.length;
    this.open.clear();
    this.host.render();
  }

  /** Opens or closes a row; the first opening asks get_ticket for the full ticket. */
  async toggleRow(id: string): Promise<void> {
    if (this.open.delete(id)) return this.host.render();
    this.open.add(id);
    this.host.render();
    if (this.details.has(id) && typeof this.details.get(id) !== "string") return;
    this.details.delete(id);
    const answer = await this.host.call("get_ticket", { ticket_id: id });
    const ticket =
      typeof answer === "string"
        ? undefined
        : (answer.structuredContent as { ticket?: Ticket } | undefined)?.ticket;
    // A failure shows in the row it belongs to only.
    this.details.set(id, ticket ?? (typeof answer === "string" ? answer : "error"));
    this.host.render();
  }

  private sorted(tickets: Ticket[]): Ticket[] {
    const sort = this.sort;
    if (!sort) return tickets;
    const rank = RANK[sort.key];
    const value = (t: Ticket) => t[sort.key];
    return [...tickets].sort((a, b) => {
      const diff = rank
        ? rank.indexOf(value(a)) - rank.indexOf(value(b))
        : value(a).localeCompare(value(b), this.host.lang(), { numeric: true });
      return diff * sort.dir;
    });
  }

  /** The table and its pager ("no tickets" when the page is empty); [] before a result. */
  render(): HTMLElement[] {
    const result = this.result;
    if (!result)
      return this.busy ? [h("p", { class: "muted" }, TEXT[this.host.lang()].loading)] : [];
    const lang = this.host.lang();
    const t = TEXT[lang];
    const labels = FIELD_LABELS[lang];
    const head = h(
      "tr",
      {},
      ...COLUMNS.map(({ key, wide }) => {
        const sorted =
          this.sort?.key === key ? (this.sort.dir === 1 ? "ascending" : "descending") : undefined;
        const th = h(
          "th",
          {
            class: `sortable${wide ? " wide" : ""}`,
            "data-col": key,
            tabindex: "0",
            "aria-sort": sorted,
            title: `${t.sort} ${labels[key]}`,
          },
          labels[key],
        );
        const toggle = () => {
          this.sort =
            this.sort?.key === key ? { key, dir: this.sort.dir === 1 ? -1 : 1 } : { key, dir: 1 };
          this.host.render();
        };
        th.addEventListener("click", toggle);
        th.addEventListener("keydown", (e) => (e.key === "Enter" || e.key === " ") && toggle());
        return th;
      }),
    );
    const rows: HTMLElement[] = [];
    for (const ticket of this.sorted(result.tickets)) {
      const open = this.open.has(ticket.ticket_id);
      const tr = h(
        "tr",
        { class: "row", "data-id": ticket.ticket_id, tabindex: "0", "aria-expanded": String(open) },
        h("td", { class: "id" }, ticket.ticket_id),
        h("td", { class: "title" }, ticket.title),
        h("td", {}, badge("status", ticket.status, lang)),
        h("td", {}, badge("priority", ticket.priority, lang)),
        h("td", { class: "wide" }, ticket.category),
        h("td", { class: "wide" }, ticket.user_id),
        h(
          "td",
          { class: `wide${ticket.assigned_to ? "" : " muted"}` },
          valueLabel("assigned_to", ticket.assigned_to, lang),
        ),
        h("td", { class: "date wide" }, formatDate(ticket.updated_date, lang)),
      );
      const toggle = () => void this.toggleRow(ticket.ticket_id);
      tr.addEventListener("click", toggle);
      tr.addEventListener("keydown", (e) => (e.key === "Enter" || e.key === " ") && toggle());
      rows.push(tr);
      if (open) rows.push(this.detailRow(ticket.ticket_id));
    }
    const shown = result.tickets.length;
    if (!shown && !this.history.length) return [h("p", { class: "muted empty" }, t.none)];
    const prev = h("button", { type: "button", class: "prev" }, t.prev);
    prev.disabled = this.busy || this.history.length === 0;
    prev.addEventListener("click", () => this.previousPage());
    const next = h("button", { type: "button", class: "next" }, t.next);
    next.disabled = this.busy || result.next_cursor === undefined;
    next.addEventListener("click", () => void this.nextPage());
    const exact = result.total_exact !== false;
    const pager = h(
      "div",
      { class: "pager" },
      prev,
      h(
        "span",
        { class: "muted range" },
        shown ? t.range(this.offset + 1, this.offset + shown, result.total, exact) : "",
      ),
      next,
      this.busy ? h("span", { class: "muted" }, t.loading) : null,
    );
    const table = h(
      "div",
      { class: "scroll" },
      h("table", {}, h("thead", {}, head), h("tbody", {}, ...rows)),
    );
    return [
      shown ? table : h("p", { class: "muted empty" }, t.none),
      ...(result.next_cursor !== undefined || this.history.length ? [pager] : []),
    ];
  }

  private detailRow(id: string): HTMLElement {
    const lang = this.host.lang();
    const labels = FIELD_LABELS[lang];
    const detail = this.details.get(id);
    let body: HTMLElement;
    if (detail === undefined) body = h("span", { class: "muted" }, TEXT[lang].loading);
    else if (typeof detail === "string") body = h("span", { class: "error" }, detail);
    else {
      const field = (label: string, value: string) => [h("dt", {}, label), h("dd", {}, value)];
      body = h(
        "div",
        { class: "detail" },
        h("p", { class: "description" }, detail.description),
        h(
          "dl",
          {},
          ...field(labels.category!, detail.category),
          ...field(labels.user_id!, detail.user_id),
          ...field(labels.assigned_to!, valueLabel("assigned_to", detail.assigned_to, lang)),
          ...field(labels.created_date!, formatDate(detail.created_date, lang)),
          ...field(labels.updated_date!, formatDate(detail.updated_date, lang)),
        ),
      );
    }
    return h(
      "tr",
      { class: "detail", "data-detail": id },
      h("td", { colspan: String(COLUMNS.length) }, body),
    );
  }
}
