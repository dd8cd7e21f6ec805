/**
 * What both views share: connecting to the host through ext-apps' App (postMessage to
 * the frame's parent, never the network), the host's theme, style variables, fonts and
 * locale, labels in English or Russian, and a tiny DOM helper.
 */
import {
  App,
  applyDocumentTheme,
  applyHostFonts,
  applyHostStyleVariables,
  type McpUiHostContext,
} from "@modelcontextprotocol/ext-apps";
import type { CallToolResult } from "@modelcontextprotocol/client";

export type Lang = "en" | "ru";

export function langOf(locale: string | undefined): Lang {
  return locale?.toLowerCase().startsWith("ru") ? "ru" : "en";
}

/** Applies what the host says about looks and language; returns the language. */
export function applyHostContext(ctx: McpUiHostContext | undefined): Lang {
  if (ctx?.theme) applyDocumentTheme(ctx.theme);
  if (ctx?.styles?.variables) applyHostStyleVariables(ctx.styles.variables);
  if (ctx?.styles?.css?.fonts) applyHostFonts(ctx.styles.css.fonts);
  const lang = langOf(ctx?.locale ?? navigator.language);
  document.documentElement.lang = lang;
  return lang;
}

export interface ViewHandlers {
  /** The arguments the tool was called with (sent before the result). */
  onInput?(args: Record<string, unknown>): void;
  /** The tool's result, as the host hands it over (the first render). */
  onResult(result: CallToolResult): void;
}

/** What every view keeps: its language and the error line to show. */
export interface ViewState {
  lang: Lang;
  error: string;
}

/**
 * Connects to the host (handlers are set before connect, so no result is missed) and
 * re-renders on theme or locale changes; resolves to the App, or undefined when the
 * connection failed (the error is shown).
 */
export async function connectView(
  name: string,
  state: ViewState,
  render: () => void,
  handlers: ViewHandlers,
): Promise<App | undefined> {
  const app = new App({ name, version: "1.0.0" }, {}, { autoResize: true });
  const context = () => {
    state.lang = applyHostContext(app.getHostContext());
    render();
  };
  app.ontoolinput = (params) => handlers.onInput?.(params.arguments ?? {});
  app.ontoolresult = (params) => handlers.onResult(params as CallToolResult);
  app.onhostcontextchanged = context;
  try {
    await app.connect();
  } catch (err) {
    state.error = (err as Error).message;
    render();
    return undefined;
  }
  context();
  return app;
}

type Child = Node | string | null | undefined | false;

/** h("td", { class: "x" }, "text", node): an element, attributes set, children appended. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs))
    if (value !== undefined) node.setAttribute(key, value);
  for (const child of children) if (child) node.append(child);
  return node;
}

/** An error line the user can read, from a failed call or a tool error result. */
export function errorText(result: CallToolResult | Error): string {
  if (result instanceof Error) return result.message;
  const first = result.content.find((c) => c.type === "text");
  return first && "text" in first ? first.text : "error";
}

/** A server tool called through the host: its result, or the error text to show. */
export type CallTool = (
  name: string,
  args: Record<string, unknown>,
) => Promise<CallToolResult | string>;

/** CallTool over the App that connectView resolves to (undefined: not connected). */
export function toolCaller(appReady: Promise<App | undefined>): CallTool {
  return async (name, args) => {
    const app = await appReady;
    if (!app) return "not connected to the host";
    try {
      const result = await app.callServerTool({ name, arguments: args });
      return result.isError ? errorText(result) : result;
    } catch (err) {
      return errorText(err as Error);
    }
  };
}

export const STATUS_LABELS: Record<Lang, Record<string, string>> = {
  en: {
    open: "open",
    in_progress: "in progress",
    pending: "pending",
    closed: "closed",
    rejected: "rejected",
  },
  ru: {
    open: "открыт",
    in_progress: "в работе",
    pending: "ожидает",
    closed: "закрыт",
    rejected: "отклонён",
  },
};
export const PRIORITY_LABELS: Record<Lang, Record<string, string>> = {
  en: { critical: "critical", high: "high", medium: "medium", low: "low" },
  ru: { critical: "критический", high: "высокий", medium: "средний", low: "низкий" },
};

/** Ticket fields and the filters search_tickets and ticket_stats echo back. */
export const FIELD_LABELS: Record<Lang, Record<string, string>> = {
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
    keyword: "Keyword",
    created_after: "Created from",
    created_before: "Created before",
    updated_after: "Updated from",
    updated_before: "Updated before",
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
    keyword: "Слова",
    created_after: "Создан с",
    created_before: "Создан до",
    updated_after: "Обновлён с",
    updated_before: "Обновлён до",
  },
};

/** An empty assigned_to (the server's text says "unassigned" too). */
export const UNASSIGNED: Record<Lang, string> = { en: "unassigned", ru: "не назначен" };

/** A field's value as the user reads it: status and priority labels, "unassigned". */
export function valueLabel(field: string, value: string, lang: Lang): string {
  if (field === "status") return STATUS_LABELS[lang][value] ?? value;
  if (field === "priority") return PRIORITY_LABELS[lang][value] ?? value;
  if (field === "assigned_to" && value === "") return UNASSIGNED[lang];
  return value;
}

/** "Status: open, closed": a filter chip's text. */
export function chipLabel(field: string, value: string | string[], lang: Lang): string {
  const values = (Array.isArray(value) ? value : [value]).map((v) => valueLabel(field, v, lang));
  return `${FIELD_LABELS[lang][field] ?? field}: ${values.join(", ")}`;
}

/** A search total; `exact` false means counting stopped there (total_exact). */
export function totalText(lang: Lang, total: number, exact = true): string {
  if (lang === "ru") return exact ? `Заявок: ${total}` : `Заявок: не менее ${total}`;
  return exact ? `${total} ticket${total === 1 ? "" : "s"}` : `at least ${total} tickets`;
}

/** A coloured badge for a status or priority value; the class carries the colour. */
export function badge(kind: "status" | "priority", value: string, lang: Lang): HTMLElement {
  const labels = kind === "status" ? STATUS_LABELS[lang] : PRIORITY_LABELS[lang];
  return h(
    "span",
    { class: `badge ${kind}-${value}`, "data-value": value },
    labels[value] ?? value,
  );
}

export function formatDate(iso: string, lang: Lang): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString(lang === "ru" ? "ru-RU" : "en-GB", {
    year: "numeric",
    month: "short",
    day: "numeric",
  });
}

/** Replaces a node's children, skipping the empty ones. */
export function fill(node: Element, ...children: Child[]): void {
  node.replaceChildren(...children.filter((c): c is Node | string => Boolean(c)));
}
