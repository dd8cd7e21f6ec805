/**
 * `triage_tickets`: a ready-made request for clients that offer prompts (slash commands):
 * review the open urgent tickets of one category or user with the tools above.
 */
import { completable } from "@modelcontextprotocol/sdk/server/completable.js";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { CATEGORIES } from "../../tickets/ticket.js";

export const name = "triage_tickets";

export function register(server: McpServer): void {
  server.registerPrompt(
    name,
    {
      title: "Triage urgent tickets",
      description: "Review open critical and high-priority tickets, optionally for one category.",
      argsSchema: {
        category: completable(
          z
            .string()
            .optional()
            .describe(`One of ${CATEGORIES.join(", ")}; empty for all.`),
          (value) => CATEGORIES.filter((c) => c.startsWith((value ?? "").toLowerCase())),
        ),
      },
    },
    ({ category }) => {
      const scope = category ? ` in the ${category} category` : "";
      return {
        messages: [
          {
            role: "user",
            content: {
              type: "text",
              text:
                `Use search_tickets to find open and in_progress tickets with priority critical or high${scope}. ` +
                "List them most urgent first (id, title, user, assignee, age), point out any that look " +
                "stalled (not updated for a week or more) and suggest who should act next.",
            },
          },
        ],
      };
    },
  );
}
