/**
 * The search_tickets view: the tool's structuredContent as a table (apps/shared/
 * ticketTable.ts: local sorting, paging, a row's details) under the total and the active
 * filters as chips. Removing a filter, paging and a row's details call the server's tools
 * through the host (App.callServerTool), never the network.
 */
import {
  chipLabel,
  connectView,
  errorText,
  fill,
  h,
  toolCaller,
  totalText,
  type Lang,
} from "../shared/view.js";
import { TicketTable, type SearchResult } from "../shared/ticketTable.js";

const TEXT = {
  en: { remove: "Remove filter", waiting: "Waiting for results…" },
  ru: { remove: "Убрать фильтр", waiting: "Ждём результат…" },
};

const state = { lang: "en" as Lang, error: "" };
const root = document.getElementById("root")!;

const table = new TicketTable({
  call: (name, args) => call(name, args),
  lang: () => state.lang,
  render: () => render(),
  error: (message) => (state.error = message),
});

function render(): void {
  const t = TEXT[state.lang];
  const result = table.result;
  if (!result) {
    fill(root, h("p", { class: "muted" }, state.error ? "" : t.waiting), errorLine());
    return;
  }
  const chips = Object.entries(result.filters).map(([key, value]) => {
    const label = chipLabel(key, value, state.lang);
    const remove = h(
      "button",
      { type: "button", "aria-label": `${t.remove} ${label}`, title: t.remove },
      "×",
    );
    remove.addEventListener("click", () => void removeFilter(key));
    return h(
      "span",
      { class: "chip", "data-filter": key },
      h("span", { class: "chip-label" }, label),
      remove,
    );
  });
  const summary = h(
    "div",
    { class: "summary" },
    h(
      "span",
      { class: "total", "data-exact": String(result.total_exact !== false) },
      totalText(state.lang, result.total, result.total_exact !== false),
    ),
    ...chips,
  );
  fill(root, summary, errorLine(), ...table.render());
}

function errorLine(): HTMLElement | null {
  return state.error ? h("p", { class: "error", role: "alert" }, state.error) : null;
}

async function removeFilter(key: string): Promise<void> {
  const args = table.baseArgs();
  delete args[key];
  await table.search(args);
}

render();
const appReady = connectView("mcp-tickets search view", state, render, {
  onInput: (args) => {
    table.args = args;
  },
  onResult: (result) => {
    if (result.isError || !result.structuredContent) {
      state.error = errorText(result);
    } else {
      table.show(result.structuredContent as unknown as SearchResult);
      state.error = "";
    }
    render();
  },
});
const call = toolCaller(appReady);
