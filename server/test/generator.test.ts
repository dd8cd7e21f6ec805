import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ASSIGNEES,
  DEFAULT_COUNT,
  DEFAULT_SEED,
  generateTickets,
  userCountFor,
} from "../../data/generator.js";
import {
  CATEGORIES,
  PRIORITIES,
  STATUSES,
  TicketSchema,
  type Category,
  type Ticket,
} from "../src/tickets/ticket.js";

const sample = (seed = DEFAULT_SEED, count = DEFAULT_COUNT) => [
  ...generateTickets({ count, seed }),
];
const distinct = <T>(values: readonly T[]) => new Set(values);
const text = (t: Ticket) => `${t.title} ${t.description}`.toLowerCase();

test("the same seed gives the same tickets; another seed gives others", () => {
  assert.deepEqual(sample(), sample());
  assert.deepEqual(sample(7, 500), sample(7, 500));
  const other = sample(DEFAULT_SEED + 1);
  assert.notDeepEqual(other, sample());
  // Not just the dates: the random tickets' content differs too.
  const titles = (ts: Ticket[]) => ts.map((t) => t.title).join("|");
  assert.notEqual(titles(other), titles(sample()));
});

test("the default seed is used when none is given", () => {
  assert.deepEqual([...generateTickets({ count: DEFAULT_COUNT })], sample(DEFAULT_SEED));
});

test("generation reads neither the clock nor Math.random", () => {
  const { random } = Math;
  const { now } = Date;
  Math.random = () => assert.fail("Math.random was called");
  Date.now = () => assert.fail("Date.now was called");
  try {
    assert.equal(sample(123, 200).length, 200);
  } finally {
    Math.random = random;
    Date.now = now;
  }
});

test("every generated ticket is valid and already in TicketSchema's normal form", () => {
  for (const seed of [DEFAULT_SEED, 1, 99]) {
    for (const ticket of sample(seed, 300)) assert.deepEqual(TicketSchema.parse(ticket), ticket);
  }
});

test("the default 50 have exactly 20 users, including user123 and user110", () => {
  const users = distinct(sample().map((t) => t.user_id));
  assert.equal(users.size, 20);
  assert.ok(users.has("user123"));
  assert.ok(users.has("user110"));
  for (const user of users) assert.match(user, /^user\d{3}$/);
});

test("larger sets use one user per 50 tickets, still including user123 and user110", () => {
  assert.equal(userCountFor(1000), 20);
  assert.equal(userCountFor(5000), 100);
  const users = distinct(sample(DEFAULT_SEED, 5000).map((t) => t.user_id));
  assert.equal(users.size, 100);
  assert.ok(users.has("user123") && users.has("user110"));
});

test("every status, priority, category and assignee occurs in the default 50", () => {
  const tickets = sample();
  assert.deepEqual(distinct(tickets.map((t) => t.status)), distinct(STATUSES));
  assert.deepEqual(distinct(tickets.map((t) => t.priority)), distinct(PRIORITIES));
  assert.deepEqual(distinct(tickets.map((t) => t.category)), distinct(CATEGORIES));
  assert.deepEqual(distinct(tickets.map((t) => t.assigned_to)), distinct(ASSIGNEES));
});

test("assignees fit the category", () => {
  const allowed: Record<Category, readonly string[]> = {
    authentication: [
      "support_agent1",
      "support_agent2",
      "support_agent3",
      "support_agent4",
      "tech_lead",
    ],
    billing: [
      "billing_team",
      "support_agent1",
      "support_agent2",
      "support_agent3",
      "support_agent4",
    ],
    feature: ["dev_team", "tech_lead", "qa_team"],
    technical: [
      "dev_team",
      "tech_lead",
      "qa_team",
      "support_agent1",
      "support_agent2",
      "support_agent3",
      "support_agent4",
    ],
    security: ["security_team", "tech_lead"],
  };
  for (const t of sample(DEFAULT_SEED, 2000)) {
    assert.ok(
      allowed[t.category].includes(t.assigned_to),
      `${t.ticket_id}: ${t.category} -> ${t.assigned_to}`,
    );
  }
});

test("ids are TKT-0001.. in order, unique, and wide enough to sort as text", () => {
  const tickets = sample();
  assert.deepEqual(
    tickets.map((t) => t.ticket_id),
    Array.from({ length: 50 }, (_, i) => `TKT-${String(i + 1).padStart(4, "0")}`),
  );
  const large = sample(DEFAULT_SEED, 10_000).map((t) => t.ticket_id);
  assert.equal(large[0], "TKT-00001");
  assert.equal(large.at(-1), "TKT-10000");
  assert.equal(distinct(large).size, large.length);
  assert.deepEqual([...large].sort(), large);
});

test("dates are ISO UTC within 2025, updated >= created, and grow with the id", () => {
  const tickets = sample(DEFAULT_SEED, 2000);
  const iso = /^2025-\d{2}-\d{2}T\d{2}:\d{2}:00Z$/;
  let previous = "";
  for (const t of tickets) {
    assert.match(t.created_date, iso);
    assert.match(t.updated_date, iso);
    assert.ok(t.updated_date >= t.created_date, t.ticket_id);
    assert.ok(t.created_date >= previous, t.ticket_id);
    previous = t.created_date;
  }
});

test("titles vary and read like support requests", () => {
  const tickets = sample();
  assert.ok(distinct(tickets.map((t) => t.title)).size >= 30);
  for (const t of tickets) {
    assert.ok(t.title.length >= 10 && t.description.length >= 40, t.ticket_id);
    assert.match(t.description, /[.?!]$/);
  }
});

// The README's example searches and the cases the other tests and the agent rely on; they
// hold for any seed because scenario tickets are placed by construction.
const scenarios: Record<string, (t: Ticket) => boolean> = {
  "open + critical + security": (t) =>
    t.status === "open" && t.priority === "critical" && t.category === "security",
  user123: (t) => t.user_id === "user123",
  "open + high + billing": (t) =>
    t.status === "open" && t.priority === "high" && t.category === "billing",
  "user110 + critical": (t) => t.user_id === "user110" && t.priority === "critical",
  pending: (t) => t.status === "pending",
  "authentication + closed": (t) => t.category === "authentication" && t.status === "closed",
  medium: (t) => t.priority === "medium",
  "feature + in_progress": (t) => t.category === "feature" && t.status === "in_progress",
  "rejected + technical": (t) => t.status === "rejected" && t.category === "technical",
  "open + low + technical": (t) =>
    t.status === "open" && t.priority === "low" && t.category === "technical",
  "login in an authentication ticket": (t) =>
    t.category === "authentication" && text(t).includes("login"),
  "export in a feature or technical ticket": (t) =>
    (t.category === "feature" || t.category === "technical") && text(t).includes("export"),
};

test("every scenario search finds a ticket in the default 50 and for other seeds", () => {
  for (const seed of [DEFAULT_SEED, 0, 1, 42, 4294967295]) {
    const tickets = sample(seed);
    for (const [name, matches] of Object.entries(scenarios)) {
      assert.ok(tickets.some(matches), `seed ${seed}: no ticket for ${name}`);
    }
    assert.ok(
      tickets.filter(scenarios.user123!).length >= 3,
      `seed ${seed}: user123 has < 3 tickets`,
    );
  }
});

test("the words people search for occur in the default 50", () => {
  const all = sample().map(text).join("\n");
  for (const word of [
    "login",
    "export",
    "password",
    "invoice",
    "refund",
    "payment",
    "2fa",
    "api",
    "timeout",
    "dashboard",
  ]) {
    assert.ok(all.includes(word), `"${word}" missing`);
  }
});

test("small counts keep the first scenarios; zero gives nothing; bad options are refused", () => {
  const three = sample(DEFAULT_SEED, 3);
  assert.deepEqual(
    three.map((t) => t.user_id),
    ["user123", "user110", "user123"],
  );
  assert.equal(sample(DEFAULT_SEED, 0).length, 0);
  assert.throws(() => sample(DEFAULT_SEED, -1), /count must be a whole number >= 0, got -1/);
  assert.throws(() => sample(DEFAULT_SEED, 1.5), /count must be a whole number/);
  assert.throws(() => sample(-3), /seed must be a whole number from 0 to 4294967295, got -3/);
  assert.throws(() => sample(2 ** 32), /seed must be/);
});
