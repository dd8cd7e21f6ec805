/**
 * The ticket_stats view: the counts as horizontal bars (they stay readable at 360 px,
 * whatever the labels), the number on each bar. A bar is a button: it asks the server,
 * through the host (App.callServerTool), for the tickets in that group under the same
 * filters and lists them below the chart in the search view's table (paging, details).
 *
 * An empty value (tickets with no assignee) cannot be asked for: search_tickets reads an
 * empty filter as "no filter", so its bar is labelled but not clickable, and says why.
 */
import {
  chipLabel,
  connectView,
  errorText,
  fill,
  h,
  toolCaller,
  totalText,
  valueLabel,
  type Lang,
} from "../shared/view.js";
import { TicketTable } from "../shared/ticketTable.js";

interface StatsResult {
  total: number;
  group_by: "status" | "priority" | "category" | "assigned_to" | "user_id";
  groups: { value: string; count: number }[];
  filters: Record<string, string | string[]>;
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
    open: (label: string) => `Show tickets: ${label}`,
    unlisted:
      "Tickets without an assignee cannot be listed here: search_tickets has no filter for an empty assignee.",
    waiting: "Waiting for results…",
  },
  ru: {
    by: {
      status: "по статусу",
      priority: "по приоритету",
      category: "по категории",
      assigned_to: "по исполнителю",
      user_id: "по пользователю",
    },
    open: (label: string) => `Показать заявки: ${label}`,
    unlisted:
      "Заявки без исполнителя здесь не показать: у search_tickets нет фильтра по пустому исполнителю.",
    waiting: "Ждём результат…",
  },
};

const state = {
  lang: "en" as Lang,
  result: undefined as StatsResult | undefined,
  selected: undefined as string | undefined,
  error: "",
};
const root = document.getElementById("root")!;

const table = new TicketTable({
  call: (name, args) => call(name, args),
  lang: () => state.lang,
  render: () => render(),
  error: (message) => (state.error = message),
});

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
    h("span", { class: "chip static", "data-filter": key }, chipLabel(key, value, state.lang)),
  );
  let unlisted = false;
  const bars = result.groups.map(({ value, count }) => {
    const name = valueLabel(result.group_by, value, state.lang);
    // "" is "no filter" to search_tickets: asking would list every ticket.
    const listable = value !== "";
    if (!listable) unlisted = true;
    const button = h(
      "button",
      {
        type: "button",
        class: `bar-row${state.selected === value ? " selected" : ""}${listable ? "" : " unlisted"}`,
        "data-value": value,
        "data-count": String(count),
        "aria-label": listable ? `${t.open(name)} (${count})` : `${name} (${count})`,
        "aria-pressed": listable ? String(state.selected === value) : undefined,
        "aria-describedby": listable ? undefined : "unlisted-note",
        title: listable ? undefined : t.unlisted,
      },
      h("span", { class: `bar-label${value === "" ? " muted" : ""}` }, name),
      h(
        "span",
        { class: "bar-track" },
        // No bar at all for zero: a stub would read as "a few".
        count > 0
          ? h("span", {
              class: `bar ${result.group_by}-${value}`,
              style: `width:${Math.max(2, (count / max) * 100).toFixed(1)}%`,
            })
          : null,
        h("span", { class: "bar-count" }, String(count)),
      ),
    );
    button.disabled = !listable;
    if (listable) button.addEventListener("click", () => void openGroup(value));
    return button;
  });
  fill(
    root,
    h(
      "div",
      { class: "summary" },
      h(
        "span",
        { class: "total" },
        `${totalText(state.lang, result.total)} ${t.by[result.group_by]}`,
      ),
      ...filters,
    ),
    h("div", { class: "chart" }, ...bars),
    unlisted ? h("p", { class: "muted note", id: "unlisted-note" }, t.unlisted) : null,
    error,
    listView(),
  );
}

function listView(): HTMLElement | null {
  if (state.selected === undefined || !state.result) return null;
  const title = h(
    "h2",
    { class: "list-title" },
    valueLabel(state.result.group_by, state.selected, state.lang),
  );
  const list = table.result;
  const shown = list
    ? h(
        "p",
        { class: "muted shown", "data-total": String(list.total) },
        totalText(state.lang, list.total, list.total_exact !== false),
      )
    : null;
  return h("section", { class: "list" }, title, shown, ...table.render());
}

async function openGroup(value: string): Promise<void> {
  const result = state.result;
  if (!result) return;
  state.selected = value;
  table.clear();
  table.args = {};
  await table.search({ ...result.filters, [result.group_by]: value });
}

render();
const appReady = connectView("mcp-tickets stats view", state, render, {
  onResult: (result) => {
    if (result.isError || !result.structuredContent) state.error = errorText(result);
    else {
      state.result = result.structuredContent as unknown as StatsResult;
      state.selected = undefined;
      table.clear();
      state.error = "";
    }
    render();
  },
});
const call = toolCaller(appReady);
