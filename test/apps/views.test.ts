/**
 * The MCP Apps views in a real browser (Debian's chromium driven by playwright-core),
 * hosted by the playground exactly as a chat client hosts them (AppBridge, sandboxed
 * frame), against the real server over HTTP. Every expectation comes from the server's
 * own answer to the same call. Nothing may leave loopback: any other request fails the
 * test. Screenshots (light, dark, narrow; a bar's ticket list; the unassigned bar) go to
 * test/results/apps/.
 *
 * Needs chromium: apt-get install -y chromium (CHROMIUM_PATH overrides /usr/bin/chromium).
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { chromium, type Browser, type FrameLocator, type Page } from "playwright-core";
import { startPlayground, type Playground } from "../../apps/playground/server.js";
import { MemoryTicketStore } from "../../server/src/tickets/memoryStore.js";
import type { Ticket } from "../../server/src/tickets/ticket.js";
import { connectClient, startTestServer, type TestServer } from "../helpers/server.js";
import { ticket } from "../helpers/tickets.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const RESULTS = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "results", "apps");
const PRIORITIES = ["critical", "high", "medium", "low"] as const;
const STATUSES = ["open", "in_progress", "pending", "closed"] as const;
const COUNT_LIMIT = 24;

// 27 tickets: three pages of open ones would be too few, so status varies every third.
// Every eighth has no assignee (assigned_to ""), three of them open and critical, so
// they are on the first page of the open ones.
const TICKETS = Array.from({ length: 27 }, (_, i) =>
  ticket({
    title: `${["Login", "Invoice", "Crash", "Export", "Timeout"][i % 5]} issue ${27 - i}`,
    priority: PRIORITIES[i % 4],
    status: i % 3 === 2 ? STATUSES[(i + 1) % 4] : "open",
    category: i % 2 ? "billing" : "technical",
    user_id: `user${100 + (i % 6)}`,
    assigned_to: i % 8 === 0 ? "" : `support_agent${1 + (i % 4)}`,
    updated_date: `2025-03-${String(1 + i).padStart(2, "0")}T10:00:00Z`,
  }),
);

let server: TestServer;
let client: Client;
let playground: Playground;
let browser: Browser;
let page: Page;
const offLoopback: string[] = [];

before(async () => {
  assert.ok(
    existsSync(CHROMIUM),
    `chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`,
  );
  mkdirSync(RESULTS, { recursive: true });
  // Totals count up to 24: the 20 open tickets are counted exactly, all 27 are "at least 24".
  server = await startTestServer(
    new MemoryTicketStore(TICKETS, "memory", { countLimit: COUNT_LIMIT }),
  );
  ({ client } = await connectClient(server.url));
  playground = await startPlayground({ mcpUrl: server.url });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
  // Offline: the page and the views may load nothing but the playground itself.
  await page.route("**/*", async (route) => {
    const url = route.request().url();
    if (url.startsWith(playground.url) || /^(about|data):/.test(url)) return route.continue();
    offLoopback.push(url);
    return route.abort();
  });
  page.on("pageerror", (err) => offLoopback.push(`page error: ${err.message}`));
  await page.goto(playground.url);
});

after(async () => {
  await browser?.close();
  await playground?.close();
  await client?.close();
  await server?.close();
});

async function call<T>(name: string, args: Record<string, unknown>): Promise<T> {
  const result = await client.callTool({ name, arguments: args });
  assert.notEqual(result.isError, true, JSON.stringify(result.content));
  return result.structuredContent as T;
}

/** Runs a tool in the playground and waits until its view is on screen. */
async function show(tool: string, args: Record<string, unknown>): Promise<FrameLocator> {
  await page.selectOption("#theme", "light");
  await page.selectOption("#locale", "en-US");
  await page.selectOption("#width", "wide");
  await page.selectOption("#tool", tool);
  await page.fill("#args", JSON.stringify(args));
  const before = (await page.getAttribute("#frame", "data-run")) ?? "0";
  await page.click("#go");
  await page.locator(`#frame[data-run="${Number(before) + 1}"]`).waitFor();

  return page.frameLocator("#frame iframe");
}

async function shoot(name: string): Promise<void> {
  await page.waitForTimeout(150); // the frame's height follows the view's size notification
  await page.locator("#frame").screenshot({ path: path.join(RESULTS, `${name}.png`) });
}

/** Runs in the page (this file is type-checked without the DOM library). */
const backgroundOf = (node: unknown) =>
  (
    globalThis as unknown as { getComputedStyle(n: unknown): { backgroundColor: string } }
  ).getComputedStyle(node).backgroundColor;

const ids = (view: FrameLocator, scope = "") =>
  view.locator(`${scope} tr.row td.id`).allInnerTexts();

interface Search {
  total: number;
  total_exact: boolean;
  tickets: Ticket[];
  next_cursor?: string;
}
interface Stats {
  total: number;
  groups: { value: string; count: number }[];
}

const searches = () => server.logs.filter((l) => l.tool === "search_tickets").length;
const getTickets = () => server.logs.filter((l) => l.tool === "get_ticket").length;

test("search view: rows, sorting, next page, details via get_ticket, filter chips, themes", async () => {
  const args = { status: "open" };
  const first = await call<Search>("search_tickets", args);
  assert.ok(first.next_cursor, "the fixture has more than one page");
  const view = await show("search_tickets", args);

  await view.locator("tr.row").first().waitFor();
  assert.deepEqual(
    await ids(view),
    first.tickets.map((t) => t.ticket_id),
  );
  assert.equal(first.total_exact, true);
  assert.equal(await view.locator(".total").innerText(), `${first.total} tickets`);
  // A ticket with no assignee says so (as the text content does).
  const unassigned = first.tickets.filter((t) => t.assigned_to === "");
  assert.ok(unassigned.length > 0, "the first page has an unassigned ticket");
  for (const t of unassigned)
    assert.equal(
      await view.locator(`tr.row[data-id="${t.ticket_id}"] td:nth-child(7)`).innerText(),
      "unassigned",
    );
  assert.deepEqual(
    await view.locator("tr.row .badge.priority-critical").count(),
    first.tickets.filter((t) => t.priority === "critical").length,
  );
  await shoot("search-light");

  // Sort by title: ascending, then descending, on this page.
  const byTitle = [...first.tickets].sort((a, b) =>
    a.title.localeCompare(b.title, "en", { numeric: true }),
  );
  await view.locator('th[data-col="title"]').click();
  assert.deepEqual(
    await view.locator("tr.row td.title").allInnerTexts(),
    byTitle.map((t) => t.title),
  );
  await view.locator('th[data-col="title"]').click();
  assert.equal(await view.locator('th[data-col="title"]').getAttribute("aria-sort"), "descending");
  assert.deepEqual(
    await view.locator("tr.row td.title").allInnerTexts(),
    byTitle.map((t) => t.title).reverse(),
  );
  // Back to the server's order (priority column, ascending = critical first, as the server ranks).
  await view.locator('th[data-col="priority"]').click();
  const priorities = await view
    .locator("tr.row .badge.priority-critical, tr.row .badge[class*=priority-]")
    .evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-value")));
  assert.deepEqual(
    priorities,
    [...first.tickets]
      .map((t) => t.priority)
      .sort((a, b) => PRIORITIES.indexOf(a) - PRIORITIES.indexOf(b)),
  );

  // Next page: the server's second page (the view asks with next_cursor through the host).
  const second = await call<Search>("search_tickets", { ...args, cursor: first.next_cursor });
  await view.locator("button.next").click();
  await view.locator(".range", { hasText: `${first.tickets.length + 1}–` }).waitFor();
  assert.deepEqual([...(await ids(view))].sort(), second.tickets.map((t) => t.ticket_id).sort());
  await view.locator("button.prev").click();
  await view.locator(".range", { hasText: /^1–/ }).waitFor();

  // A row expands to the full ticket: a get_ticket call reaches the server.
  const target = first.tickets[1]!;
  const { ticket: full } = await call<{ ticket: Ticket }>("get_ticket", {
    ticket_id: target.ticket_id,
  });
  const callsBefore = getTickets();
  await view.locator(`tr.row[data-id="${target.ticket_id}"]`).click();
  const detail = view.locator(`tr[data-detail="${target.ticket_id}"] .description`);
  assert.equal(await detail.innerText(), full.description);
  assert.equal(getTickets(), callsBefore + 1);

  // Russian labels from the host's locale, the chips' keys included; dark theme from the
  // host's style variables.
  await page.selectOption("#locale", "ru-RU");
  await view.locator('th[data-col="status"]', { hasText: "Статус" }).waitFor();
  assert.equal(
    await view.locator('.chip[data-filter="status"] .chip-label').innerText(),
    "Статус: открыт",
  );
  await page.selectOption("#locale", "en-US");
  await page.selectOption("#theme", "dark");
  await view.locator('html[data-theme="dark"]').waitFor();
  assert.equal(
    await view.locator("body").evaluate(backgroundOf),
    "rgb(24, 24, 27)", // the playground's --color-background-primary for dark
  );
  await shoot("search-dark");
  await page.selectOption("#theme", "light");

  // 360 px: the secondary columns step aside and nothing overflows.
  await page.selectOption("#width", "narrow");
  await view.locator('th[data-col="category"]').waitFor({ state: "hidden" });
  const width = await view.locator("table").evaluate((t) => t.getBoundingClientRect().width);
  assert.ok(width <= 360, `table is ${width}px wide at 360px`);
  await shoot("search-narrow");
  await page.selectOption("#width", "wide");

  // Removing the status chip searches again without it: the server's unfiltered total,
  // which the server did not count to the end (total_exact false): "at least".
  const all = await call<Search>("search_tickets", {});
  assert.equal(all.total_exact, false, "the fixture has more tickets than the count limit");
  assert.equal(all.total, COUNT_LIMIT);
  await view.locator('.chip[data-filter="status"] button').click();
  await view.locator(".total", { hasText: `at least ${all.total} tickets` }).waitFor();
  assert.equal(await view.locator(".total").getAttribute("data-exact"), "false");
  assert.equal(await view.locator('.chip[data-filter="status"]').count(), 0);
  assert.deepEqual(
    await ids(view),
    all.tickets.map((t) => t.ticket_id),
  );
  assert.equal(await view.locator(".range").innerText(), `1–10 of at least ${all.total}`);
  await page.selectOption("#locale", "ru-RU");
  await view.locator(".total", { hasText: `Заявок: не менее ${all.total}` }).waitFor();
  assert.equal(await view.locator(".range").innerText(), `1–10 из не менее ${all.total}`);
  await page.selectOption("#locale", "en-US");
  assert.deepEqual(offLoopback, []);
});

test("stats view: a bar per group with its count; a bar opens the matching tickets", async () => {
  const args = { group_by: "priority", category: "billing" };
  const stats = await call<Stats>("ticket_stats", args);
  const view = await show("ticket_stats", args);
  await view.locator("button.bar-row").first().waitFor();

  const bars = await view.locator("button.bar-row").evaluateAll((nodes) =>
    nodes.map((n) => ({
      value: n.getAttribute("data-value"),
      count: Number(n.getAttribute("data-count")),
    })),
  );
  assert.deepEqual(bars, stats.groups);
  assert.deepEqual(
    await view.locator(".bar-count").allInnerTexts(),
    stats.groups.map((g) => String(g.count)),
  );
  // A zero is a number with no bar (billing has no critical or medium ticket here).
  assert.ok(stats.groups.some((g) => g.count === 0));
  assert.deepEqual(
    await view
      .locator("button.bar-row")
      .evaluateAll((nodes) => nodes.map((n) => n.querySelectorAll(".bar").length)),
    stats.groups.map((g) => (g.count > 0 ? 1 : 0)),
  );
  assert.equal(
    await view.locator('.chip[data-filter="category"]').innerText(),
    "Category: billing",
  );
  await shoot("stats-light");

  const group = stats.groups[1]!;
  const matching = await call<Search>("search_tickets", {
    category: "billing",
    priority: group.value,
  });
  assert.equal(matching.total, group.count);
  const searchesBefore = searches();
  await view.locator(`button.bar-row[data-value="${group.value}"]`).click();
  await view.locator(`.shown[data-total="${group.count}"]`).waitFor();
  assert.deepEqual(
    await ids(view, "section.list"),
    matching.tickets.map((t) => t.ticket_id),
  );
  assert.equal(searches(), searchesBefore + 1);
  await page.selectOption("#locale", "ru-RU");
  await view.locator('.chip[data-filter="category"]', { hasText: "Категория: billing" }).waitFor();
  await page.selectOption("#locale", "en-US");

  await page.selectOption("#theme", "dark");
  await view.locator('html[data-theme="dark"]').waitFor();
  await shoot("stats-dark");
  await page.selectOption("#theme", "light");
  await page.selectOption("#width", "narrow");
  const frameBox = await page.locator("#frame").boundingBox();
  assert.ok(frameBox && frameBox.width <= 362, `frame is ${frameBox?.width}px wide`);
  await shoot("stats-narrow");
  assert.deepEqual(offLoopback, []);
});

test("stats view by assignee: the unassigned bar is labelled and asks nothing", async () => {
  const args = { group_by: "assigned_to" };
  const stats = await call<Stats>("ticket_stats", args);
  const none = stats.groups.find((g) => g.value === "");
  assert.ok(none && none.count > 0, "the fixture has unassigned tickets");
  const view = await show("ticket_stats", args);
  await view.locator("button.bar-row").first().waitFor();
  assert.deepEqual(
    await view.locator("button.bar-row").evaluateAll((nodes) =>
      nodes.map((n) => ({
        value: n.getAttribute("data-value"),
        count: Number(n.getAttribute("data-count")),
      })),
    ),
    stats.groups,
  );
  const bar = view.locator('button.bar-row[data-value=""]');
  assert.equal(await bar.locator(".bar-label").innerText(), "unassigned");
  assert.equal(await bar.locator(".bar-count").innerText(), String(none.count));
  // search_tickets reads assigned_to "" as no filter at all: the bar must not ask it, and
  // says why (its title and the note under the chart).
  assert.equal(await bar.isDisabled(), true);
  assert.match((await bar.getAttribute("title")) ?? "", /no filter for an empty assignee/);
  assert.match(await view.locator("#unlisted-note").innerText(), /cannot be listed/);
  await shoot("stats-unassigned");
  const before = searches();
  await bar.click({ force: true });
  await page.waitForTimeout(200);
  assert.equal(searches(), before, "no search for the unassigned bar");
  assert.equal(await view.locator("section.list").count(), 0);
  await page.selectOption("#locale", "ru-RU");
  await bar.locator(".bar-label", { hasText: "не назначен" }).waitFor();
  await page.selectOption("#locale", "en-US");
  assert.deepEqual(offLoopback, []);
});

test("stats view: a bar's tickets page with next and expand through get_ticket", async () => {
  const args = { group_by: "status" };
  const stats = await call<Stats>("ticket_stats", args);
  const open = stats.groups.find((g) => g.value === "open")!;
  const first = await call<Search>("search_tickets", { status: "open" });
  assert.equal(first.total, open.count);
  assert.ok(first.next_cursor, "the open group has more than one page");
  const second = await call<Search>("search_tickets", {
    status: "open",
    cursor: first.next_cursor,
  });
  const view = await show("ticket_stats", args);
  await view.locator('button.bar-row[data-value="open"]').click();
  await view.locator(`.shown[data-total="${open.count}"]`).waitFor();
  const list = view.locator("section.list");
  assert.deepEqual(
    await ids(view, "section.list"),
    first.tickets.map((t) => t.ticket_id),
  );
  assert.equal(
    await list.locator(".range").innerText(),
    `1–${first.tickets.length} of ${first.total}`,
  );

  // Next page: the server's second page, asked through the host with next_cursor.
  const before = searches();
  await list.locator("button.next").click();
  await list.locator(".range", { hasText: `${first.tickets.length + 1}–` }).waitFor();
  assert.deepEqual(
    await ids(view, "section.list"),
    second.tickets.map((t) => t.ticket_id),
  );
  assert.equal(searches(), before + 1);
  assert.equal(await list.locator("button.next").isDisabled(), second.next_cursor === undefined);
  await list.locator("button.prev").click();
  await list.locator(".range", { hasText: /^1–/ }).waitFor();
  assert.deepEqual(
    await ids(view, "section.list"),
    first.tickets.map((t) => t.ticket_id),
  );

  // A row expands to the full ticket through get_ticket.
  const target = first.tickets[2]!;
  const { ticket: full } = await call<{ ticket: Ticket }>("get_ticket", {
    ticket_id: target.ticket_id,
  });
  const calls = getTickets();
  await list.locator(`tr.row[data-id="${target.ticket_id}"]`).click();
  assert.equal(
    await list.locator(`tr[data-detail="${target.ticket_id}"] .description`).innerText(),
    full.description,
  );
  assert.equal(getTickets(), calls + 1);
  await shoot("stats-list");
  assert.deepEqual(offLoopback, []);
});
