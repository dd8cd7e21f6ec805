/**
 * The offline model's answers, in the question's language, written only from what the
 * tools returned (structured data when present, else the tool's own text): never an
 * invented ticket or number. Enum values are translated in Russian answers.
 */
import { EN_LABELS, RU_LABELS } from "./lexicon.js";
import type { Language } from "./types.js";

export interface TicketView {
  ticket_id: string;
  user_id?: string;
  title?: string;
  description?: string;
  status?: string;
  priority?: string;
  category?: string;
  created_date?: string;
  updated_date?: string;
  assigned_to?: string;
}

export interface GroupView {
  value: string;
  count: number;
}

type Args = Record<string, unknown>;

const FILTER_NAMES: Record<Language, Record<string, string>> = {
  en: {
    user_id: "user",
    status: "status",
    priority: "priority",
    category: "category",
    keyword: "keyword",
    assigned_to: "assignee",
    created_after: "created after",
    created_before: "created before",
    updated_after: "updated after",
    updated_before: "updated before",
  },
  ru: {
    user_id: "пользователь",
    status: "статус",
    priority: "приоритет",
    category: "категория",
    keyword: "ключевое слово",
    assigned_to: "исполнитель",
    created_after: "создан после",
    created_before: "создан до",
    updated_after: "обновлён после",
    updated_before: "обновлён до",
  },
};

const GROUP_NAMES: Record<Language, Record<string, string>> = {
  en: {
    status: "status",
    priority: "priority",
    category: "category",
    assigned_to: "assignee",
    user_id: "user",
  },
  ru: {
    status: "статусам",
    priority: "приоритетам",
    category: "категориям",
    assigned_to: "исполнителям",
    user_id: "пользователям",
  },
};

/** An enum value in the answer's language ("in_progress" → "in progress" / "в работе"). */
export function label(language: Language, value: string): string {
  return (language === "ru" ? RU_LABELS[value] : EN_LABELS[value]) ?? value;
}

function valueText(language: Language, value: unknown): string {
  const values = Array.isArray(value) ? value : [value];
  return values.map((v) => label(language, String(v))).join(language === "ru" ? " или " : " or ");
}

/** "status: open, priority: critical" from the filters that were sent. */
export function describeFilters(language: Language, args: Args): string {
  const names = FILTER_NAMES[language];
  return Object.entries(args)
    .filter(([key, v]) => names[key] !== undefined && v !== undefined && v !== "")
    .map(
      ([key, v]) =>
        `${names[key]}: ${key === "keyword" ? `"${String(v).replace(/^"(.*)"$/, "$1")}"` : valueText(language, v)}`,
    )
    .join(", ");
}

function ticketLine(language: Language, t: TicketView): string {
  const tags = [t.status, t.priority, t.category]
    .filter((v): v is string => typeof v === "string")
    .map((v) => label(language, v))
    .join(", ");
  const who =
    language === "ru"
      ? [t.user_id && `пользователь ${t.user_id}`, t.assigned_to && `исполнитель ${t.assigned_to}`]
      : [t.user_id && `user ${t.user_id}`, t.assigned_to && `assigned to ${t.assigned_to}`];
  const title = t.title ? ` — ${t.title}` : "";
  const rest = who.filter(Boolean).join(", ");
  return `- ${t.ticket_id}${title}${tags ? ` [${tags}]` : ""}${rest ? ` — ${rest}` : ""}`;
}

export function renderSearch(
  language: Language,
  args: Args,
  total: number,
  tickets: TicketView[],
  hasMore: boolean,
): string {
  const filters = describeFilters(language, args);
  const ru = language === "ru";
  if (total === 0) {
    if (ru) return filters ? `Тикеты не найдены по фильтрам: ${filters}.` : "Тикеты не найдены.";
    return filters ? `No tickets found matching ${filters}.` : "No tickets found.";
  }
  const head = ru
    ? `Найдено тикетов: ${total}${filters ? ` (${filters})` : ""}.`
    : `Found ${total} ticket${total === 1 ? "" : "s"}${filters ? ` (${filters})` : ""}.`;
  const lines = [head];
  if (tickets.length < total) {
    lines.push(ru ? `Показаны первые ${tickets.length}:` : `Showing the first ${tickets.length}:`);
  }
  lines.push(...tickets.map((t) => ticketLine(language, t)));
  if (hasMore) {
    lines.push(
      ru
        ? "Есть ещё результаты: уточните запрос или попросите больше, например «покажи 50 …»."
        : 'More results are available: narrow the question or ask for more, e.g. "show 50 …".',
    );
  }
  return lines.join("\n");
}

export function renderTicket(language: Language, t: TicketView): string {
  const ru = language === "ru";
  const row = (en: string, rus: string, v: string | undefined, translate = false) =>
    v ? `${ru ? rus : en}: ${translate ? label(language, v) : v}` : undefined;
  const lines = [
    `${t.ticket_id}${t.title ? ` — ${t.title}` : ""}`,
    row("Status", "Статус", t.status, true),
    row("Priority", "Приоритет", t.priority, true),
    row("Category", "Категория", t.category, true),
    row("User", "Пользователь", t.user_id),
    row("Assigned to", "Исполнитель", t.assigned_to),
    row("Created", "Создан", t.created_date),
    row("Updated", "Обновлён", t.updated_date),
    row("Description", "Описание", t.description),
  ];
  return lines.filter((l): l is string => l !== undefined).join("\n");
}

export function renderStats(
  language: Language,
  groupBy: string,
  args: Args,
  total: number,
  groups: GroupView[],
): string {
  const ru = language === "ru";
  const filters = describeFilters(language, args);
  const translate = ["status", "priority", "category"].includes(groupBy);
  if (total === 0) {
    if (ru) return filters ? `Тикетов нет по фильтрам: ${filters}.` : "Тикетов нет.";
    return filters ? `No tickets match ${filters}.` : "There are no tickets.";
  }
  const head = ru
    ? `Всего тикетов: ${total}${filters ? ` (${filters})` : ""}. По ${GROUP_NAMES.ru[groupBy] ?? groupBy}:`
    : `${total} ticket${total === 1 ? "" : "s"}${filters ? ` (${filters})` : ""}. By ${GROUP_NAMES.en[groupBy] ?? groupBy}:`;
  // A value the filter itself left out ("not closed": closed 0, rejected 0) is no row.
  const asked = args[groupBy];
  const kept = Array.isArray(asked) || typeof asked === "string" ? [asked].flat() : undefined;
  const rows = groups
    .filter((g) => g.count > 0 || kept === undefined || kept.includes(g.value))
    .map((g) => `- ${translate ? label(language, g.value) : g.value || "—"}: ${g.count}`);
  return [head, ...rows].join("\n");
}

/** Counts tickets per value of a field (for counting with search_tickets alone). */
export function groupTickets(tickets: TicketView[], groupBy: string): GroupView[] {
  const counts = new Map<string, number>();
  for (const t of tickets) {
    const value = String((t as unknown as Record<string, unknown>)[groupBy] ?? "");
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count);
}

export function renderTotalOnly(language: Language, args: Args, total: number): string {
  const filters = describeFilters(language, args);
  return language === "ru"
    ? `Всего тикетов: ${total}${filters ? ` (${filters})` : ""}.`
    : `${total} ticket${total === 1 ? "" : "s"} in total${filters ? ` (${filters})` : ""}.`;
}

/**
 * The tool's error text without LangChain's "Error: … Please fix your mistakes." frame
 * and the MCP adapters' "MCP tool 'x' on server 'y' returned an error:" prefix.
 */
export function cleanError(text: string): string {
  return text
    .replace(/\s*Please fix your mistakes\.?\s*$/i, "")
    .replace(/^Error:\s*/i, "")
    .replace(/^MCP tool '[^']*' on server '[^']*' returned an error:\s*/i, "")
    .trim();
}

export function renderError(language: Language, tool: string, text: string): string {
  const message = cleanError(text) || (language === "ru" ? "без описания" : "no details");
  return language === "ru"
    ? `Не удалось выполнить запрос: инструмент ${tool} вернул ошибку: «${message}».`
    : `The request failed: the tool ${tool} returned an error: "${message}".`;
}

/** A tool result without structured data: its own text, introduced. */
export function renderToolText(language: Language, tool: string, text: string): string {
  return language === "ru" ? `Результат ${tool}:\n${text}` : `Result of ${tool}:\n${text}`;
}

export function renderUnavailable(language: Language, tools: string[]): string {
  const list = tools.join(", ");
  return language === "ru"
    ? `Не могу ответить: нужный инструмент (${list}) сейчас недоступен. Проверьте, что сервер тикетов запущен и подключён.`
    : `I can't answer that: the tool it needs (${list}) is not available. Check that the tickets server is running and connected.`;
}

export function renderUnknown(language: Language, examples: string[]): string {
  const head =
    language === "ru"
      ? "Я не понял вопрос. Я работаю офлайн, без языковой модели, и понимаю только вопросы вроде этих:"
      : "I did not understand the question. I run offline, without a language model, and understand questions like these:";
  return [head, ...examples.map((e) => `- ${e}`)].join("\n");
}
