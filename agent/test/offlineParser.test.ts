/**
 * The offline parser: every example prompt yields exactly its expected filters (no
 * extra ones), plus harder wordings in both languages: word forms, quotes, combined
 * filters, counting, single tickets, sorting, limits, dates and non-questions.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseInConversation } from "../src/offline/conversation.js";
import { parseTicketQuestion } from "../src/offline/parser.js";
import type { ParsedQuestion, SearchIntent, TicketFilters } from "../src/offline/types.js";
import { loadPrompts, mismatch, questionsOf } from "./support/prompts.js";

const NOW = new Date("2025-06-15T12:00:00Z");
const parse = (q: string): ParsedQuestion => parseTicketQuestion(q, { now: NOW });

const prompts = loadPrompts();

describe("example prompts (agent-prompts.jsonl): exact filters, nothing extra", () => {
  test("the fixture is there, with conversations", () => {
    assert.ok(prompts.length >= 24);
    assert.ok(prompts.some((p) => p.turns !== undefined));
  });
  for (const p of prompts) {
    const questions = questionsOf(p);
    test(`${p.id}: ${questions.join(" → ")}`, () => {
      const { intent } = parseInConversation(questions.slice(0, -1), questions.at(-1)!, {
        now: NOW,
      });
      assert.ok(intent.kind === "search" || intent.kind === "stats", JSON.stringify(intent));
      const problem = mismatch({ ...intent.filters }, p.expect);
      assert.equal(problem, undefined, problem);
    });
  }
});

/** [question, exact filters, optional sort/limit]. */
const SEARCHES: [string, TicketFilters, { sort?: string; limit?: number }?][] = [
  // Russian word forms
  [
    "Покажи критичные заявки, которые ещё не закрыты",
    { priority: "critical", status: ["open", "in_progress", "pending"] },
  ],
  [
    "Какие незакрытые тикеты у пользователя 123?",
    { user_id: "user123", status: ["open", "in_progress", "pending"] },
  ],
  ["Список критичных обращений по оплате", { priority: "critical", category: "billing" }],
  ["Тикеты с высоким приоритетом по авторизации", { priority: "high", category: "authentication" }],
  ["Покажи тикеты высокого приоритета в ожидании", { priority: "high", status: "pending" }],
  ["Отклонённые тикеты по новым функциям", { status: "rejected", category: "feature" }],
  ["Какие фичи сейчас в работе?", { category: "feature", status: "in_progress" }],
  ["Тикеты в процессе с проблемами входа", { status: "in_progress", category: "authentication" }],
  ["Закрытые тикеты с техническими проблемами", { status: "closed", category: "technical" }],
  [
    "Покажи обращения с безопасностью, которые ещё открыты",
    { category: "security", status: "open" },
  ],
  ["Покажи высокие и критичные тикеты", { priority: ["critical", "high"] }],
  ["все тикеты кроме закрытых", { status: ["open", "in_progress", "pending"] }, { limit: 100 }],
  ["некритичные открытые тикеты", { priority: ["high", "medium", "low"], status: "open" }],
  ["Тикеты, назначенные на команду безопасности", { assigned_to: "security_team" }],
  [
    "Покажи тикеты в работе у support_agent2",
    { status: "in_progress", assigned_to: "support_agent2" },
  ],
  ["тикеты агента поддержки 4", { assigned_to: "support_agent4" }],
  // English wordings
  [
    "tickets for user 123 that are not resolved yet",
    { user_id: "user123", status: ["open", "in_progress", "pending"] },
  ],
  [
    "tickets that aren't closed for user 110",
    { user_id: "user110", status: ["open", "in_progress", "pending"] },
  ],
  [
    "Which billing tickets with high priority are still unresolved?",
    { category: "billing", priority: "high", status: ["open", "in_progress", "pending"] },
  ],
  ["open or pending billing tickets", { status: ["open", "pending"], category: "billing" }],
  ["high and critical security issues", { priority: ["critical", "high"], category: "security" }],
  ["low-priority open tech issues", { priority: "low", status: "open", category: "technical" }],
  ["feature requests that were declined", { category: "feature", status: "rejected" }],
  ["Tickets with status IN_PROGRESS", { status: "in_progress" }],
  ["Show tickets with status \"open\" and priority 'high'", { status: "open", priority: "high" }],
  ["open tickets handled by the security team", { status: "open", assigned_to: "security_team" }],
  ["Critical tickets not assigned to security_team", { priority: "critical" }],
  ["tickets assigned to tech lead", { assigned_to: "tech_lead" }],
  ["Show me login issues", { category: "authentication" }],
  ["What tickets does user123 have?", { user_id: "user123" }],
  // keywords: quotes, cues, filter words inside keywords
  ["Show tickets mentioning open", { keyword: "open" }],
  ["Find tickets with keyword 'critical bug'", { keyword: '"critical bug"' }],
  [
    "Найди тикеты со словом «закрыт» с высоким приоритетом",
    { keyword: "закрыт", priority: "high" },
  ],
  ["Найди тикеты про экспорт", { keyword: "export" }],
  ["покажи тикеты, в которых упоминается пароль", { keyword: "password" }],
  ["тикеты со словом password и статусом open", { keyword: "password", status: "open" }],
  ["Тикеты про оплату со статусом closed", { category: "billing", status: "closed" }],
  // "про" + a topic word (not a category's name) is a keyword, as after "about".
  ["найди тикеты про логин", { keyword: "login" }],
  ["Найди тикеты про вход в систему", { keyword: "login" }],
  ["тикеты про пароль", { keyword: "password" }],
  ["открытые тикеты про возврат", { keyword: "refund", status: "open" }],
  ["Покажи тикеты по входу", { category: "authentication" }],
  ["tickets about payments", { category: "billing" }],
  ["tickets about login problems", { keyword: "login" }],
  ["tickets related to dashboard", { keyword: "dashboard" }],
  ["tickets with export in the title", { keyword: "export" }],
  ["Search tickets for the word login", { keyword: "login" }],
  ["security tickets containing “API key”", { category: "security", keyword: '"API key"' }],
  // sorting and limits
  ["Show the 5 newest critical tickets", { priority: "critical" }, { sort: "newest", limit: 5 }],
  [
    "Покажи последние 3 тикета по безопасности",
    { category: "security" },
    { sort: "newest", limit: 3 },
  ],
  ["top 5 oldest open tickets", { status: "open" }, { sort: "oldest", limit: 5 }],
  ["самый старый открытый тикет", { status: "open" }, { sort: "oldest", limit: 1 }],
  ["show me five open billing tickets", { status: "open", category: "billing" }, { limit: 5 }],
  ["show open tickets sorted by priority", { status: "open" }, { sort: "priority" }],
  ["recently updated pending tickets", { status: "pending" }, { sort: "updated" }],
  ["сначала критичные, открытые тикеты", { status: "open" }, { sort: "priority" }],
  [
    "most urgent first: open billing tickets",
    { status: "open", category: "billing" },
    { sort: "priority" },
  ],
  // more word forms and wordings
  ["Покажи высокоприоритетные, которые еще открыты", { priority: "high", status: "open" }],
  [
    "Покажи незакрытые тех. тикеты низкого приоритета",
    { status: ["open", "in_progress", "pending"], priority: "low", category: "technical" },
  ],
  ["Какие тикеты ждут ответа клиента?", { status: "pending" }],
  ["Нужны заявки со статусом «открыт»", { status: "open" }],
  ['Тикеты в статусе "в работе"', { status: "in_progress" }],
  [
    "Don't show closed ones, just billing",
    { status: ["open", "in_progress", "pending"], category: "billing" },
  ],
  ["tickets that contain both export and timeout", { keyword: "export timeout" }],
  ["tickets about invoices", { keyword: "invoice" }],
  ["Show tickets matching critical priority", { priority: "critical" }],
  ["tickets assigned to security", { assigned_to: "security_team" }],
  ["Какие проблемы со входом уже решены?", { category: "authentication", status: "closed" }],
  // dates
  ["tickets last updated before 2025-05-01", { updated_before: "2025-05-01" }],
  ["critical tickets since 03/01/2025", { priority: "critical", created_after: "2025-03-01" }],
  ["tickets created after 2025-03-01", { created_after: "2025-03-01" }],
  [
    "Тикеты, созданные после 2025-03-01 с высоким приоритетом",
    { created_after: "2025-03-01", priority: "high" },
  ],
  [
    "tickets updated between 2025-03-01 and 2025-03-31",
    { updated_after: "2025-03-01", updated_before: "2025-04-01" },
  ],
  [
    "заявки с 01.03.2025 по 15.03.2025",
    { created_after: "2025-03-01", created_before: "2025-03-16" },
  ],
  ["open tickets created before 2025-02-01", { status: "open", created_before: "2025-02-01" }],
  ["tickets since March 2025", { created_after: "2025-03-01" }],
  [
    "Покажи обращения, созданные в марте 2025",
    { created_after: "2025-03-01", created_before: "2025-04-01" },
  ],
  ["тикеты за последние 7 дней", { created_after: "2025-06-08" }],
];

describe("harder wordings → search with exact filters", () => {
  for (const [q, filters, extra] of SEARCHES) {
    test(q, () => {
      const { intent } = parse(q);
      assert.equal(intent.kind, "search", JSON.stringify(intent));
      const s = intent as SearchIntent;
      assert.deepEqual(s.filters, filters);
      if (extra?.sort !== undefined) assert.equal(s.sort, extra.sort);
      if (extra?.limit !== undefined) assert.equal(s.limit, extra.limit);
    });
  }
});

describe("counting questions → stats", () => {
  const cases: [string, string, TicketFilters][] = [
    ["Сколько тикетов по статусам?", "status", {}],
    ["How many open tickets are there by priority?", "priority", { status: "open" }],
    ["Count tickets by category", "category", {}],
    ["распределение по приоритетам для открытых тикетов", "priority", { status: "open" }],
    ["How many critical tickets?", "status", { priority: "critical" }],
    ["Which agent has the most tickets?", "assigned_to", {}],
    ["Сколько тикетов у каждого пользователя?", "user_id", {}],
    ["статистика по исполнителям", "assigned_to", {}],
    [
      "сколько закрытых тикетов по безопасности?",
      "priority",
      { status: "closed", category: "security" },
    ],
    ["How many tickets does user123 have?", "status", { user_id: "user123" }],
    ["breakdown of open tickets per assignee", "assigned_to", { status: "open" }],
    ["статистика", "status", {}],
    ["на ком больше всего тикетов?", "assigned_to", {}],
    ["How many tickets are open?", "priority", { status: "open" }],
  ];
  for (const [q, groupBy, filters] of cases) {
    test(q, () => {
      assert.deepEqual(parse(q).intent, { kind: "stats", group_by: groupBy, filters });
    });
  }
});

describe("single tickets → get", () => {
  const cases: [string, string[]][] = [
    ["show ticket TKT-0007", ["TKT-0007"]],
    ["Покажи тикет TKT-0042", ["TKT-0042"]],
    ["что с тикетом номер 12?", ["TKT-0012"]],
    ["details of tkt-0003 please", ["TKT-0003"]],
    ["Compare TKT-0001 and TKT-0002", ["TKT-0001", "TKT-0002"]],
  ];
  for (const [q, ids] of cases) {
    test(q, () => {
      assert.deepEqual(parse(q).intent, { kind: "get", ticket_id: ids[0], ticket_ids: ids });
    });
  }
});

describe("not ticket questions → unknown", () => {
  for (const q of [
    "What's the weather in Paris?",
    "Привет, как дела?",
    "help",
    "что ты умеешь?",
    "",
  ]) {
    test(JSON.stringify(q), () => assert.deepEqual(parse(q).intent, { kind: "unknown" }));
  }
});

describe("language", () => {
  const cases: [string, "ru" | "en"][] = [
    ["Покажи тикеты со статусом pending", "ru"],
    ["Тикеты пользователя user123", "ru"],
    ["Find tickets mentioning «оплата»", "en"],
    ["open tickets", "en"],
    ["критичные", "ru"],
  ];
  for (const [q, language] of cases) {
    test(q, () => assert.equal(parse(q).language, language));
  }
});
