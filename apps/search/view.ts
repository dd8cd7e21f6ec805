/**
 * The search_tickets view: the tool's structuredContent as a table. Sorting is local
 * (this page); removing a filter, paging and a row's details call the server's tools
 * through the host (App.callServerTool), never the network.
 */
import type { CallToolResult } from "@modelcontextprotocol/client";
import {
  badge,
  connectView,
  errorText,
  fill,
  formatDate,
  h,
  PRIORITY_LABELS,
  STATUS_LABELS,
  type Lang,
} from "../shared/view.js";
import type { Ticket } from "../../server/src/tickets/ticket.js";

interface SearchResult {
  total: number;
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
    ticket_id: "ID",
    title: "Title",
    status: "Status",
    priority: "Priority",
    category: "Category",
    user_id: "User",
    assigned_to: "Assignee",
    updated_date: "Updated",
    created_date: "Created",
    description: "Description",
    total: (n: number) => `${n} ticket${n === 1 ? "" : "s"}`,
    page: (from: number, to: number) => `${from}–${to}`,
    next: "Next page",
    prev: "Previous",
    remove: "Remove filter",
    none: "No tickets match.",
    loading: "Loading…",
    waiting: "Waiting for results…",
    sort: "Sort by",
  },
  ru: {
    ticket_id: "ID",
    title: "Заголовок",
    status: "Статус",
    priority: "Приоритет",
    category: "Категория",
    user_id: "Пользователь",
    assigned_to: "Исполнитель",
    updated_date: "Обновлён",
    created_date: "Создан",
    description: "Описание",
    total: (n: number) => `Заявок: ${n}`,
    page: (from: number, to: number) => `${from}–${to}`,
    next: "Следующая страница",
    prev: "Назад",
    remove: "Убрать фильтр",
    none: "Подходящих заявок нет.",
    loading: "Загрузка…",
    waiting: "Ждём результат…",
    sort: "Сортировать по",
  },
};

const RANK: Partial<Record<Column, string[]>> = {
  priority: ["critical", "high", "medium", "low"],
  status: ["open", "in_progress", "pending", "closed", "rejected"],
};

const state = {
  lang: "en" as Lang,
  args: {} as Record<string, unknown>,
  result: undefined as SearchResult | undefined,
  /** Results of the pages before this one, for "previous". */
  history: [] as { result: SearchResult; args: Record<string, unknown> }[],
  offset: 0,
  sort: undefined as { key: Column; dir: 1 | -1 } | undefined,
  open: new Set<string>(),
  details: new Map<string, Ticket | string>(),
  busy: false,
  error: "",
};

const root = document.getElementById("root")!;

function sortedTickets(tickets: Ticket[]): Ticket[] {
  const sort = state.sort;
  if (!sort) return tickets;
  const rank = RANK[sort.key];
  const value = (t: Ticket) => t[sort.key];
  return [...tickets].sort((a, b) => {
    const diff = rank
      ? rank.indexOf(value(a)) - rank.indexOf(value(b))
      : value(a).localeCompare(value(b), state.lang, { numeric: true });
    return diff * sort.dir;
  });
}

function render(): void {
  const t = TEXT[state.lang];
  const result = state.result;
  if (!result) {
    fill(root, h("p", { class: "muted" }, state.error ? "" : t.waiting), errorLine());
    return;
  }
  const chips = Object.entries(result.filters).map(([key, value]) => {
    const label = `${(t as Record<string, unknown>)[key] ?? key}: ${labelValue(key, value)}`;
    const remove = h(
      "button",
      { type: "button", "aria-label": `${t.remove} ${label}`, title: t.remove },
      "×",
    );
    remove.addEventListener("click", () => void removeFilter(key));
    return h("span", { class: "chip", "data-filter": key }, label, remove);
  });
  const summary = h(
    "div",
    { class: "summary" },
    h("span", { class: "total" }, t.total(result.total)),
    ...chips,
  );

  const head = h(
    "tr",
    {},
    ...COLUMNS.map(({ key, wide }) => {
      const sorted =
        state.sort?.key === key ? (state.sort.dir === 1 ? "ascending" : "descending") : undefined;
      const th = h(
        "th",
        {
          class: `sortable${wide ? " wide" : ""}`,
          "data-col": key,
          tabindex: "0",
          "aria-sort": sorted,
          title: `${t.sort} ${t[key]}`,
        },
        t[key],
      );
      const toggle = () => {
        state.sort =
          state.sort?.key === key ? { key, dir: state.sort.dir === 1 ? -1 : 1 } : { key, dir: 1 };
        render();
      };
      th.addEventListener("click", toggle);
      th.addEventListener("keydown", (e) => (e.key === "Enter" || e.key === " ") && toggle());
      return th;
    }),
  );
  const rows: HTMLElement[] = [];
  for (const ticket of sortedTickets(result.tickets)) {
    const open = state.open.has(ticket.ticket_id);
    const tr = h(
      "tr",
      { class: "row", "data-id": ticket.ticket_id, tabindex: "0", "aria-expanded": String(open) },
      h("td", { class: "id" }, ticket.ticket_id),
      h("td", { class: "title" }, ticket.title),
      h("td", {}, badge("status", ticket.status, state.lang)),
      h("td", {}, badge("priority", ticket.priority, state.lang)),
      h("td", { class: "wide" }, ticket.category),
      h("td", { class: "wide" }, ticket.user_id),
      h("td", { class: "wide" }, ticket.assigned_to),
      h("td", { class: "date wide" }, formatDate(ticket.updated_date, state.lang)),
    );
    const toggle = () => void toggleRow(ticket.ticket_id);
    tr.addEventListener("click", toggle);
    tr.addEventListener("keydown", (e) => (e.key === "Enter" || e.key === " ") && toggle());
    rows.push(tr);
    if (open) rows.push(detailRow(ticket.ticket_id));
  }
  const table = h(
    "div",
    { class: "scroll" },
    h("table", {}, h("thead", {}, head), h("tbody", {}, ...rows)),
  );
  const prev = h("button", { type: "button", class: "prev" }, t.prev);
  prev.disabled = state.busy || state.history.length === 0;
  prev.addEventListener("click", previousPage);
  const next = h("button", { type: "button", class: "next" }, t.next);
  next.disabled = state.busy || result.next_cursor === undefined;
  next.addEventListener("click", () => void nextPage());
  const shown = result.tickets.length;
  const pager = h(
    "div",
    { class: "pager" },
    prev,
    h(
      "span",
      { class: "muted range" },
      shown ? t.page(state.offset + 1, state.offset + shown) : "",
    ),
    next,
    state.busy ? h("span", { class: "muted" }, t.loading) : null,
  );
  fill(
    root,
    summary,
    errorLine(),
    shown ? table : h("p", { class: "muted empty" }, t.none),
    result.total > shown || state.history.length ? pager : null,
  );
}

function labelValue(key: string, value: string | string[]): string {
  const labels =
    key === "status"
      ? STATUS_LABELS[state.lang]
      : key === "priority"
        ? PRIORITY_LABELS[state.lang]
        : {};
  return (Array.isArray(value) ? value : [value]).map((v) => labels[v] ?? v).join(", ");
}

function errorLine(): HTMLElement | null {
  return state.error ? h("p", { class: "error", role: "alert" }, state.error) : null;
}

function detailRow(id: string): HTMLElement {
  const t = TEXT[state.lang];
  const detail = state.details.get(id);
  let body: HTMLElement;
  if (detail === undefined) body = h("span", { class: "muted" }, t.loading);
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
        ...field(t.category, detail.category),
        ...field(t.user_id, detail.user_id),
        ...field(t.assigned_to, detail.assigned_to),
        ...field(t.created_date, formatDate(detail.created_date, state.lang)),
        ...field(t.updated_date, formatDate(detail.updated_date, state.lang)),
      ),
    );
  }
  return h(
    "tr",
    { class: "detail", "data-detail": id },
    h("td", { colspan: String(COLUMNS.length) }, body),
  );
}

async function call(
  name: string,
  args: Record<string, unknown>,
): Promise<CallToolResult | undefined> {
  const app = await appReady;
  if (!app) return undefined;
  try {
    const result = await app.callServerTool({ name, arguments: args });
    if (result.isError) {
      state.error = errorText(result);
      return undefined;
    }
    state.error = "";
    return result;
  } catch (err) {
    state.error = errorText(err as Error);
    return undefined;
  }
}

async function search(args: Record<string, unknown>, keepHistory: boolean): Promise<void> {
  state.busy = true;
  render();
  const result = await call("search_tickets", args);
  state.busy = false;
  if (result?.structuredContent) {
    if (keepHistory && state.result) {
      state.history.push({ result: state.result, args: state.args });
      state.offset += state.result.tickets.length;
    } else if (!keepHistory) {
      state.history = [];
      state.offset = 0;
    }
    state.args = args;
    state.result = result.structuredContent as unknown as SearchResult;
    state.open.clear();
  }
  render();
}

/** The filters in force plus the order and page size the call asked for. */
function baseArgs(): Record<string, unknown> {
  const { sort, limit } = state.args;
  return {
    ...(state.result?.filters ?? {}),
    ...(sort !== undefined ? { sort } : {}),
    ...(limit !== undefined ? { limit } : {}),
  };
}

async function removeFilter(key: string): Promise<void> {
  const args = baseArgs();
  delete args[key];
  await search(args, false);
}

async function nextPage(): Promise<void> {
  const cursor = state.result?.next_cursor;
  if (cursor === undefined) return;
  await search({ ...baseArgs(), cursor }, true);
}

function previousPage(): void {
  const last = state.history.pop();
  if (!last) return;
  state.result = last.result;
  state.args = last.args;
  state.offset -= last.result.tickets.length;
  state.open.clear();
  render();
}

async function toggleRow(id: string): Promise<void> {
  if (state.open.delete(id)) return render();
  state.open.add(id);
  render();
  if (state.details.has(id) && typeof state.details.get(id) !== "string") return;
  const result = await call("get_ticket", { ticket_id: id });
  const ticket = (result?.structuredContent as { ticket?: Ticket } | undefined)?.ticket;
  state.details.set(id, ticket ?? (state.error || "error"));
  render();
}

render();
const appReady = connectView("mcp-tickets search view", state, render, {
  onInput: (args) => {
    state.args = args;
  },
  onResult: (result) => {
    if (result.isError || !result.structuredContent) {
      state.error = errorText(result);
    } else {
      state.result = result.structuredContent as unknown as SearchResult;
      state.history = [];
      state.offset = 0;
      state.error = "";
    }
    render();
  },
});
