/**
 * The ticket_stats view: the counts as horizontal bars (they stay readable at 360 px,
 * whatever the labels), the number on each bar. A bar is a button: it asks the server,
 * through the host (App.callServerTool), for the tickets in that group under the same
 * filters and lists them below the chart.
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

interface StatsResult {
  total: number;
  group_by: "status" | "priority" | "category" | "assigned_to" | "user_id";
  groups: { value: string; count: number }[];
  filters: Record<string, string | string[]>;
}
interface Ticket {
  ticket_id: string;
  title: string;
  status: string;
  priority: string;
  updated_date: string;
}
interface SearchResult {
  total: number;
  tickets: Ticket[];
}

const TEXT = {
  en: {
    by: {
      status: "by status",
      priority: "by priority",
      category: "by category",
      assigned_to: "by assignee",
      user_id: "by user",
    },
    total: (n: number) => `${n} ticket${n === 1 ? "" : "s"}`,
    open: (label: string) => `Show tickets: ${label}`,
    shown: (n: number, total: number) => label(n, total),
    none: "No tickets match.",
    loading: "Loading…",
    waiting: "Waiting for results…",
    id: "ID",
    title: "Title",
    status: "Status",
    priority: "Priority",
    updated: "Updated",
  },
  ru: {
    by: {
      status: "по статусу",
      priority: "по приоритету",
      category: "по категории",
      assigned_to: "по исполнителю",
      user_id: "по пользователю",
    },
    total: (n: number) => `Заявок: ${n}`,
    open: (label: string) => `Показать заявки: ${label}`,
    shown: (n: number, total: number) => `${n} из ${total}`,
    none: "Подходящих заявок нет.",
    loading: "Загрузка…",
    waiting: "Ждём результат…",
    id: "ID",
    title: "Заголовок",
    status: "Статус",
    priority: "Приоритет",
    updated: "Обновлён",
  },
};
function label(n: number, total: number): string {
  return `${n} of ${total}`;
}

const state = {
  lang: "en" as Lang,
  result: undefined as StatsResult | undefined,
  selected: undefined as string | undefined,
  list: undefined as SearchResult | undefined,
  busy: false,
  error: "",
};
const root = document.getElementById("root")!;

function valueLabel(groupBy: string, value: string): string {
  const labels =
    groupBy === "status"
      ? STATUS_LABELS[state.lang]
      : groupBy === "priority"
        ? PRIORITY_LABELS[state.lang]
        : {};
  return labels[value] ?? value;
}

function render(): void {
  const t = TEXT[state.lang];
  const result = state.result;
  const error = state.error ? h("p", { class: "error", role: "alert" }, state.error) : null;
  if (!result) {
    fill(root, h("p", { class: "muted" }, state.error ? "" : t.waiting), error);
    return;
  }
  const max = Math.max(1, ...result.groups.map((g) => g.count));
  const filters = Object.entries(result.filters).map(([key, value]) =>
    h(
      "span",
      { class: "chip static" },
      `${key}: ${(Array.isArray(value) ? value : [value]).map((v) => valueLabel(key, v)).join(", ")}`,
    ),
  );
  const bars = result.groups.map(({ value, count }) => {
    const name = valueLabel(result.group_by, value);
    const button = h(
      "button",
      {
        type: "button",
        class: `bar-row${state.selected === value ? " selected" : ""}`,
        "data-value": value,
        "data-count": String(count),
        "aria-label": `${t.open(name)} (${count})`,
        "aria-pressed": String(state.selected === value),
      },
      h("span", { class: "bar-label" }, name),
      h(
        "span",
        { class: "bar-track" },
        h("span", {
          class: `bar ${result.group_by}-${value}`,
          style: `width:${Math.max(2, (count / max) * 100).toFixed(1)}%`,
        }),
        h("span", { class: "bar-count" }, String(count)),
      ),
    );
    button.addEventListener("click", () => void openGroup(value));
    return button;
  });
  fill(
    root,
    h(
      "div",
      { class: "summary" },
      h("span", { class: "total" }, `${t.total(result.total)} ${t.by[result.group_by]}`),
      ...filters,
    ),
    h("div", { class: "chart", role: "list" }, ...bars),
    error,
    listView(),
  );
}

function listView(): HTMLElement | null {
  const t = TEXT[state.lang];
  if (state.selected === undefined || !state.result) return null;
  const title = h("h2", { class: "list-title" }, valueLabel(state.result.group_by, state.selected));
  if (state.busy || !state.list)
    return h("section", { class: "list" }, title, h("p", { class: "muted" }, t.loading));
  const { tickets, total } = state.list;
  if (tickets.length === 0)
    return h("section", { class: "list" }, title, h("p", { class: "muted" }, t.none));
  const rows = tickets.map((ticket) =>
    h(
      "tr",
      { class: "row", "data-id": ticket.ticket_id },
      h("td", { class: "id" }, ticket.ticket_id),
      h("td", { class: "title" }, ticket.title),
      h("td", {}, badge("status", ticket.status, state.lang)),
      h("td", {}, badge("priority", ticket.priority, state.lang)),
      h("td", { class: "wide" }, formatDate(ticket.updated_date, state.lang)),
    ),
  );
  return h(
    "section",
    { class: "list" },
    title,
    h("p", { class: "muted shown", "data-total": String(total) }, t.shown(tickets.length, total)),
    h(
      "div",
      { class: "scroll" },
      h(
        "table",
        {},
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", {}, t.id),
            h("th", {}, t.title),
            h("th", {}, t.status),
            h("th", {}, t.priority),
            h("th", { class: "wide" }, t.updated),
          ),
        ),
        h("tbody", {}, ...rows),
      ),
    ),
  );
}

async function openGroup(value: string): Promise<void> {
  const result = state.result;
  const app = await appReady;
  if (!result || !app) return;
  state.selected = value;
  state.busy = true;
  state.list = undefined;
  render();
  try {
    const found: CallToolResult = await app.callServerTool({
      name: "search_tickets",
      arguments: { ...result.filters, [result.group_by]: value },
    });
    if (found.isError) state.error = errorText(found);
    else {
      state.error = "";
      state.list = found.structuredContent as unknown as SearchResult;
    }
  } catch (err) {
    state.error = errorText(err as Error);
  }
  state.busy = false;
  render();
}

render();
const appReady = connectView("mcp-tickets stats view", state, render, {
  onResult: (result) => {
    if (result.isError || !result.structuredContent) state.error = errorText(result);
    else {
      state.result = result.structuredContent as unknown as StatsResult;
      state.selected = undefined;
      state.list = undefined;
      state.error = "";
    }
    render();
  },
});
