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
