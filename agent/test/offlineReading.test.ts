/**
 * The offline parser on its own, on the harder kinds of wording (Russian and English):
 * negation and exclusion, lists, typos in filter words (and ordinary words that must not
 * be "corrected"), words it cannot map, assignees and users anywhere, counts, and
 * follow-ups that refine the previous question of a conversation.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  isFollowUp,
  parseInConversation,
  readInConversation,
} from "../src/offline/conversation.js";
import { parseTicketQuestion } from "../src/offline/parser.js";
import { correctWord, editDistance } from "../src/offline/typos.js";
import type { Status, TicketFilters, TicketIntent } from "../src/offline/types.js";

const NOW = new Date("2025-06-15T12:00:00Z");
const UNFINISHED: Status[] = ["open", "in_progress", "pending"];

function filtersOf(intent: TicketIntent): TicketFilters {
  assert.ok(intent.kind === "search" || intent.kind === "stats", JSON.stringify(intent));
  return intent.filters;
}
const filters = (q: string) => filtersOf(parseTicketQuestion(q, { now: NOW }).intent);

describe("negation and exclusion → the complementary set", () => {
  const cases: [string, TicketFilters][] = [
    ["How many tickets are not closed?", { status: UNFINISHED }],
    ["unresolved security tickets", { status: UNFINISHED, category: "security" }],
    ["billing tickets that haven't been resolved", { status: UNFINISHED, category: "billing" }],
    ["Сколько тикетов ещё не закрыты?", { status: UNFINISHED }],
    ["нерешённые тикеты по оплате", { status: UNFINISHED, category: "billing" }],
    ["тикеты, кроме закрытых", { status: UNFINISHED }],
    ["all tickets except closed ones", { status: UNFINISHED }],
    [
      "non-critical security tickets",
      { priority: ["high", "medium", "low"], category: "security" },
    ],
    ["некритичные тикеты", { priority: ["high", "medium", "low"] }],
    [
      "open tickets except low priority",
      { status: "open", priority: ["critical", "high", "medium"] },
    ],
    [
      "открытые тикеты кроме низкого приоритета",
      { status: "open", priority: ["critical", "high", "medium"] },
    ],
    ["tickets that are not open", { status: ["in_progress", "pending", "closed", "rejected"] }],
    ["тикеты, кроме отклонённых", { status: ["open", "in_progress", "pending", "closed"] }],
  ];
  for (const [q, expected] of cases) test(q, () => assert.deepEqual(filters(q), expected));
});

describe("an exclusion carries across a list, and through a preposition", () => {
  const cases: [string, TicketFilters][] = [
    ["Покажи все тикеты, кроме закрытых и отклонённых", { status: UNFINISHED }],
    ["all tickets except closed and rejected", { status: UNFINISHED }],
    ["tickets that are neither closed nor rejected", { status: UNFINISHED }],
    ["тикеты ни закрытые, ни отклонённые", { status: UNFINISHED }],
    ["neither open nor pending tickets", { status: ["in_progress", "closed", "rejected"] }],
    ["Show me tickets excluding low and medium priority", { priority: ["critical", "high"] }],
    ["тикеты кроме критических и высоких", { priority: ["medium", "low"] }],
    ["open tickets, not critical and not high", { status: "open", priority: ["medium", "low"] }],
    [
      "tickets other than billing and security",
      { category: ["authentication", "feature", "technical"] },
    ],
    [
      "tickets not in billing",
      { category: ["authentication", "feature", "technical", "security"] },
    ],
    [
      "Покажи тикеты не по оплате",
      { category: ["authentication", "feature", "technical", "security"] },
    ],
    [
      "тикеты, кроме тех, что по безопасности",
      { category: ["authentication", "billing", "feature", "technical"] },
    ],
    [
      "tickets except those in the security category",
      { category: ["authentication", "billing", "feature", "technical"] },
    ],
    ["anything but closed", { status: UNFINISHED }],
    // an exclusion word carries across fields too; a bare "не" does not
    [
      "тикеты по оплате кроме закрытых и критических",
      { status: UNFINISHED, priority: ["high", "medium", "low"], category: "billing" },
    ],
    [
      "all tickets except closed or critical ones",
      { status: UNFINISHED, priority: ["high", "medium", "low"] },
    ],
    ["не закрытые и критические тикеты", { status: UNFINISHED, priority: "critical" }],
    ["tickets that are not closed or rejected", { status: UNFINISHED }],
    // a negative word or a value: the union ("unresolved or rejected")
    ["unresolved or rejected tickets", { status: [...UNFINISHED, "rejected"] }],
    ["нерешённые или отклонённые тикеты", { status: [...UNFINISHED, "rejected"] }],
    // a list without a negation stays a list, and a negation does not jump fields
    ["open or pending security tickets", { status: ["open", "pending"], category: "security" }],
    ["tickets not closed, critical", { status: UNFINISHED, priority: "critical" }],
  ];
  for (const [q, expected] of cases) test(q, () => assert.deepEqual(filters(q), expected));
});

describe("lists → several values of one filter", () => {
  const cases: [string, TicketFilters][] = [
    ["open or pending tickets", { status: ["open", "pending"] }],
    ["high and critical billing tickets", { priority: ["critical", "high"], category: "billing" }],
    ["тикеты с приоритетом высокий или критический", { priority: ["critical", "high"] }],
    [
      "открытые или ожидающие тикеты по безопасности",
      { status: ["open", "pending"], category: "security" },
    ],
    ["security or billing tickets", { category: ["billing", "security"] }],
  ];
  for (const [q, expected] of cases) test(q, () => assert.deepEqual(filters(q), expected));
});

describe("typos in filter words", () => {
  const cases: [string, TicketFilters][] = [
    ["Show crtical securty tikets", { priority: "critical", category: "security" }],
    ["biling tickets that are pendng", { category: "billing", status: "pending" }],
    ["rejcted technicl tickets", { status: "rejected", category: "technical" }],
    ["Найди критичиские тикеты по безопастности", { priority: "critical", category: "security" }],
    ["закрытые тикеты по аутентификацыи", { status: "closed", category: "authentication" }],
  ];
  for (const [q, expected] of cases) test(q, () => assert.deepEqual(filters(q), expected));

  test("the corrections are reported, as written", () => {
    const parsed = parseTicketQuestion("Show crtical securty tickets", { now: NOW });
    assert.deepEqual(parsed.corrections, [
      { from: "crtical", to: "critical" },
      { from: "securty", to: "security" },
    ]);
    const ru = parseTicketQuestion("тикеты по безопастности", { now: NOW });
    assert.deepEqual(ru.corrections, [{ from: "безопастности", to: "безопасности" }]);
  });

  test("distance: transpositions count once; the threshold grows with length", () => {
    assert.equal(editDistance("securtiy", "security"), 1);
    assert.equal(editDistance("crtical", "critical"), 1);
    assert.equal(editDistance("biling", "billing"), 1);
    assert.equal(editDistance("authentcaton", "authentication"), 2);
  });

  test("ordinary near misses and short words are never mapped to filters", () => {
    for (const word of [
      "closes",
      "sending",
      "filling",
      "secure",
      "critic",
      "technician",
      "statistics",
      "статистика",
      "medium".slice(0, 4),
      "hig",
      "lo",
      "open",
      "pens",
      "billion",
      "feathers",
      "вопросы",
      "закрывать",
    ]) {
      assert.equal(correctWord(word), undefined, word);
    }
    assert.deepEqual(filters("tickets where emails are not sending"), {});
    assert.deepEqual(filters("tickets about filling forms"), { keyword: "filling form" });
  });
});

describe("words that look like filters but map to nothing are reported", () => {
  test("before the ticket noun, after a field name, after 'по' (EN and RU)", () => {
    const read = (q: string) => parseTicketQuestion(q, { now: NOW });
    assert.deepEqual(read("show blorp tickets").unrecognised, [{ word: "blorp" }]);
    assert.deepEqual(read("tickets with status foo").unrecognised, [
      { word: "foo", field: "status" },
    ]);
    assert.deepEqual(read("critical tickets with priority urgentish").unrecognised, [
      { word: "urgentish", field: "priority" },
    ]);
    assert.deepEqual(read("тикеты по фуфлу").unrecognised, [{ word: "фуфлу" }]);
    assert.deepEqual(read("фиолетовые тикеты").unrecognised, [{ word: "фиолетовые" }]);
  });

  test("ordinary words in those places are not reported", () => {
    for (const q of [
      "Show me all open tickets",
      "List my support tickets",
      "Покажи все тикеты по безопасности",
      "high priority tickets",
      "tickets with status open",
      "What tickets does user123 have?",
    ]) {
      assert.deepEqual(parseTicketQuestion(q, { now: NOW }).unrecognised, [], q);
    }
  });
});

describe("conditions it cannot send are named, never dropped silently", () => {
  const parse = (q: string) => parseTicketQuestion(q, { now: NOW });

  test("a negated assignee or user: searched without it, and said so (EN, RU)", () => {
    const en = parse("tickets not assigned to dev_team");
    assert.deepEqual(filtersOf(en.intent), {});
    assert.deepEqual(en.dropped, [{ kind: "not-assignee", text: "not assigned to dev_team" }]);
    const ru = parse("открытые тикеты кроме назначенных на qa_team");
    assert.deepEqual(filtersOf(ru.intent), { status: "open" });
    assert.equal(ru.dropped[0]?.kind, "not-assignee");
    const user = parse("critical tickets not from user123");
    assert.deepEqual(filtersOf(user.intent), { priority: "critical" });
    assert.deepEqual(user.dropped, [{ kind: "not-user", text: "not from user123" }]);
  });

  test("an 'or' across two fields becomes two searches, one per side (EN, RU)", () => {
    const en = parse("critical or pending tickets");
    assert.ok(en.intent.kind === "search");
    assert.deepEqual(en.intent.either, [{ priority: "critical" }, { status: "pending" }]);
    assert.deepEqual(en.dropped, [{ kind: "either", text: "critical or pending" }]);
    const ru = parse("критические или ожидающие тикеты по оплате");
    assert.ok(ru.intent.kind === "search");
    assert.deepEqual(ru.intent.either, [
      { priority: "critical", category: "billing" },
      { status: "pending", category: "billing" },
    ]);
    const high = parse("high priority or open");
    assert.ok(high.intent.kind === "search");
    assert.deepEqual(high.intent.either, [{ priority: "high" }, { status: "open" }]);
    const count = parse("how many critical or pending tickets?");
    assert.ok(count.intent.kind === "stats" && count.intent.either?.length === 2);
    // an "or" inside one field is a list, an "and" across fields is both
    for (const q of ["open or pending tickets", "critical and pending tickets"]) {
      const p = parse(q);
      assert.ok(p.intent.kind === "search" && p.intent.either === undefined, q);
      assert.deepEqual(p.dropped, [], q);
    }
  });

  test("'tickets that are X', 'in the X category', and short near misses are named", () => {
    assert.deepEqual(parse("tickets that are purple").unrecognised, [{ word: "purple" }]);
    assert.deepEqual(parse("closed tickets in the foo category").unrecognised, [
      { word: "foo", field: "category" },
    ]);
    assert.deepEqual(parse("hgih priority tickets").unrecognised, [
      { word: "hgih", field: "priority", suggestion: "high" },
    ]);
    const opne = parse("securty tickets that are opne");
    assert.deepEqual(filtersOf(opne.intent), { category: "security" });
    assert.deepEqual(opne.unrecognised, [{ word: "opne", suggestion: "open" }]);
    for (const q of [
      "tickets that are still open",
      "tickets that are neither closed nor rejected",
      "на ком больше всего тикетов?",
      "tickets in the billing category",
      "how many tickets per priority?",
      "which priority has the most tickets?",
    ]) {
      assert.deepEqual(parse(q).unrecognised, [], q);
    }
  });

  test("a second assignee or user is named: the tools take one", () => {
    const p = parse("tickets assigned to dev_team or qa_team");
    assert.deepEqual(filtersOf(p.intent), { assigned_to: "dev_team" });
    assert.deepEqual(p.dropped, [{ kind: "extra-assignee", text: "qa_team" }]);
    const u = parse("тикеты user110 и user112");
    assert.deepEqual(filtersOf(u.intent), { user_id: "user110" });
    assert.deepEqual(u.dropped, [{ kind: "extra-user", text: "user112" }]);
  });

  test("a date phrase it cannot read is named (EN, RU)", () => {
    assert.deepEqual(parse("тикеты в позапрошлом квартале").dropped, [
      { kind: "date", text: "позапрошлом квартале" },
    ]);
    assert.deepEqual(parse("tickets from two fortnights ago").dropped, [
      { kind: "date", text: "two fortnights ago" },
    ]);
  });
});

describe("relative dates mean the same in English and Russian; a year is that year", () => {
  // NOW is Sunday 2025-06-15: this week began on Monday 2025-06-09.
  const lastWeek = { created_after: "2025-06-02", created_before: "2025-06-09" };
  const cases: [string, TicketFilters][] = [
    ["Which tickets were created last week?", lastWeek],
    ["какие тикеты созданы на прошлой неделе?", lastWeek],
    ["критические тикеты за прошлую неделю", { ...lastWeek, priority: "critical" }],
    ["тикеты на позапрошлой неделе", { created_after: "2025-05-26", created_before: "2025-06-02" }],
    ["tickets from last month", { created_after: "2025-05-01", created_before: "2025-06-01" }],
    ["тикеты за прошлый месяц", { created_after: "2025-05-01", created_before: "2025-06-01" }],
    [
      "show me tickets from last year",
      { created_after: "2024-01-01", created_before: "2025-01-01" },
    ],
    ["тикеты в прошлом году", { created_after: "2024-01-01", created_before: "2025-01-01" }],
    ["тикеты за прошлый год", { created_after: "2024-01-01", created_before: "2025-01-01" }],
    // rolling windows end today: "the past week", "in the last 7 days", "за последнюю неделю"
    ["tickets from the past week", { created_after: "2025-06-08" }],
    ["tickets created in the last week", { created_after: "2025-06-08" }],
    ["тикеты за последнюю неделю", { created_after: "2025-06-08" }],
    ["tickets from the last 7 days", { created_after: "2025-06-08" }],
    // "from 2024" is the year 2024; "since 2024" / "с 2024 года" is from then on
    ["tickets from 2024", { created_after: "2024-01-01", created_before: "2025-01-01" }],
    ["tickets from March", { created_after: "2025-03-01", created_before: "2025-04-01" }],
    ["tickets since 2024", { created_after: "2024-01-01" }],
    ["тикеты с 2024 года", { created_after: "2024-01-01" }],
    ["tickets from yesterday", { created_after: "2025-06-14", created_before: "2025-06-15" }],
    ["тикеты за позавчера", { created_after: "2025-06-13", created_before: "2025-06-14" }],
    [
      "tickets created between March and May",
      { created_after: "2025-03-01", created_before: "2025-06-01" },
    ],
  ];
  for (const [q, expected] of cases) test(q, () => assert.deepEqual(filters(q), expected));
});

describe("'who has the most' counts by assignee; a named dimension wins", () => {
  test("у кого из пользователей больше всего тикетов? → by user", () => {
    const { intent } = parseTicketQuestion("у кого из пользователей больше всего тикетов?", {
      now: NOW,
    });
    assert.ok(intent.kind === "stats" && intent.group_by === "user_id", JSON.stringify(intent));
  });
  for (const q of [
    "who has the most open tickets?",
    "у кого больше всего открытых тикетов?",
    "кто больше всего получил открытых тикетов?",
    "which agent has the most open tickets?",
  ]) {
    test(q, () =>
      assert.deepEqual(parseTicketQuestion(q, { now: NOW }).intent, {
        kind: "stats",
        group_by: "assigned_to",
        filters: { status: "open" },
      }),
    );
  }
});

describe("assignees and users in any position; counts through ticket_stats", () => {
  const cases: [string, TicketFilters][] = [
    [
      "What does support_agent2 have in progress?",
      { assigned_to: "support_agent2", status: "in_progress" },
    ],
    ["support_agent1's open tickets", { assigned_to: "support_agent1", status: "open" }],
    ["открытые тикеты у support_agent3", { assigned_to: "support_agent3", status: "open" }],
    ["user115 critical tickets", { user_id: "user115", priority: "critical" }],
    ["критические тикеты, которые создал user115", { user_id: "user115", priority: "critical" }],
  ];
  for (const [q, expected] of cases) test(q, () => assert.deepEqual(filters(q), expected));

  test("'how many' / 'сколько' ask ticket_stats with the filters", () => {
    for (const [q, expected] of [
      [
        "How many unresolved tickets does user112 have?",
        { user_id: "user112", status: UNFINISHED },
      ],
      [
        "Сколько критических тикетов у dev_team?",
        { priority: "critical", assigned_to: "dev_team" },
      ],
    ] as const) {
      const { intent } = parseTicketQuestion(q, { now: NOW });
      assert.equal(intent.kind, "stats", q);
      assert.deepEqual(filtersOf(intent), expected);
    }
  });
});

describe("follow-ups refine the previous question; a new question starts afresh", () => {
  const conversation = (...turns: string[]) =>
    parseInConversation(turns.slice(0, -1), turns.at(-1)!, { now: NOW }).intent;
  const cases: [string[], TicketFilters][] = [
    [["tickets of user110", "а какие из них закрыты?"], { user_id: "user110", status: "closed" }],
    [["tickets of user110", "which of them are closed?"], { user_id: "user110", status: "closed" }],
    [["Show open tickets", "only the security ones"], { status: "open", category: "security" }],
    [["open billing tickets", "and the pending ones?"], { status: "pending", category: "billing" }],
    [
      ["открытые тикеты по оплате", "а теперь только с высоким приоритетом"],
      { status: "open", category: "billing", priority: "high" },
    ],
    [
      ["открытые тикеты по оплате", "а теперь только с высоким приоритетом", "а закрытые?"],
      { status: "closed", category: "billing", priority: "high" },
    ],
    [["tickets of user110", "Show open billing tickets"], { status: "open", category: "billing" }],
    [["Тикеты по безопасности", "Покажи тикеты пользователя user123"], { user_id: "user123" }],
  ];
  for (const [turns, expected] of cases) {
    test(turns.join(" → "), () => assert.deepEqual(filtersOf(conversation(...turns)), expected));
  }

  test("'how many of them?' counts the previous search, grouped by a field it leaves open", () => {
    assert.deepEqual(conversation("open billing tickets", "how many of them?"), {
      kind: "stats",
      group_by: "priority",
      filters: { status: "open", category: "billing" },
    });
    assert.equal(conversation("тикеты user110", "сколько из них открыты?").kind, "stats");
  });

  test("a follow-up needs no cue word when it names no ticket noun of its own", () => {
    const cases: [string[], TicketIntent][] = [
      [
        ["тикеты по оплате", "покажи закрытые"],
        { kind: "search", filters: { status: "closed", category: "billing" } },
      ],
      [
        ["critical security tickets", "покажи только открытые"],
        { kind: "search", filters: { status: "open", priority: "critical", category: "security" } },
      ],
      [
        ["tickets of user110", "what about user112?", "closed ones?"],
        { kind: "search", filters: { user_id: "user112", status: "closed" } },
      ],
      [
        ["critical tickets", "which ones are assigned to security_team?"],
        { kind: "search", filters: { priority: "critical", assigned_to: "security_team" } },
      ],
      [
        ["open security tickets", "sort them by priority"],
        { kind: "search", filters: { status: "open", category: "security" }, sort: "priority" },
      ],
      [
        ["open security tickets", "show the 3 newest"],
        {
          kind: "search",
          filters: { status: "open", category: "security" },
          sort: "newest",
          limit: 3,
        },
      ],
      [
        ["unresolved tickets", "show 50"],
        { kind: "search", filters: { status: UNFINISHED }, limit: 50 },
      ],
      [
        ["unresolved tickets", "show more"],
        { kind: "search", filters: { status: UNFINISHED }, limit: 50 },
      ],
      [
        ["unresolved tickets", "ещё"],
        { kind: "search", filters: { status: UNFINISHED }, limit: 50 },
      ],
      [
        ["unresolved tickets", "покажи все"],
        { kind: "search", filters: { status: UNFINISHED }, limit: 100 },
      ],
      [["open tickets", "what's the weather in Moscow?"], { kind: "unknown" }],
      [["open tickets", "hello"], { kind: "unknown" }],
      // naming a user or assignee without a cue word is a question of its own
      [
        ["critical tickets", "What does support_agent2 have in progress?"],
        { kind: "search", filters: { status: "in_progress", assigned_to: "support_agent2" } },
      ],
    ];
    for (const [turns, expected] of cases) {
      assert.deepEqual(conversation(...turns), expected, turns.join(" → "));
    }
  });

  test("'what about last month' is a date, not a keyword", () => {
    assert.deepEqual(filtersOf(conversation("critical tickets", "what about last month?")), {
      priority: "critical",
      created_after: "2025-05-01",
      created_before: "2025-06-01",
    });
  });

  test("a follow-up count that names its group-by keeps it", () => {
    assert.deepEqual(conversation("open tickets", "статистика по статусам"), {
      kind: "stats",
      group_by: "status",
      filters: { status: "open" },
    });
  });

  test("a long chain keeps its first question: from the questions, or from the carried state", () => {
    const chain = [
      "tickets of user110",
      "а закрытые?",
      "а открытые?",
      "а в работе?",
      "а в ожидании?",
    ];
    const turns = [...chain, ...chain.slice(1), ...chain.slice(1), "а закрытые?"];
    assert.deepEqual(filtersOf(conversation(...turns)), { user_id: "user110", status: "closed" });
    // The offline model keeps the effective question with its answer: no questions needed.
    let state = readInConversation([], "tickets of user110", { now: NOW }).state;
    for (const q of [...chain.slice(1), ...chain.slice(1), ...chain.slice(1)]) {
      state = readInConversation([], q, { now: NOW }, state).state;
    }
    const last = readInConversation([], "а закрытые?", { now: NOW }, state);
    assert.deepEqual(filtersOf(last.parsed.intent), { user_id: "user110", status: "closed" });
    // A question that is not about tickets keeps the state for the next one.
    const after = readInConversation([], "hello", { now: NOW }, last.state);
    assert.deepEqual(after.state, last.state);
  });

  test("what counts as a follow-up", () => {
    for (const q of [
      "а закрытые?",
      "only the billing ones",
      "which of them are open?",
      "из них критические",
    ]) {
      assert.ok(isFollowUp(q), q);
    }
    for (const q of [
      "Show open tickets",
      "feature requests except critical ones",
      "Тикеты по оплате",
    ]) {
      assert.ok(!isFollowUp(q), q);
    }
  });
});
