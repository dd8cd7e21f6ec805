/**
 * Static API tokens for the simple case. The tokens file holds only SHA-256 hashes, each
 * with a name and a role (customers also a user_id):
 *
 *   { "tokens": [
 *       { "name": "support-bot", "role": "agent", "sha256": "<64 hex>" },
 *       { "name": "acme", "role": "customer", "user_id": "user123", "sha256": "<64 hex>" } ] }
 *
 * `npm run token:new` prints a new token and the entry to paste. Comparison is constant
 * time and touches every entry, so timing tells nothing about which hash came close.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { z } from "zod";
import type { Authenticator, Principal } from "./principal.js";

const EntrySchema = z
  .object({
    name: z.string().trim().min(1).max(64),
    role: z.enum(["agent", "customer"]),
    user_id: z.string().trim().min(1).max(64).optional(),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/i, "must be the 64 hex digits printed by npm run token:new"),
  })
  .refine((e) => e.role !== "customer" || e.user_id !== undefined, {
    message: 'a customer token needs "user_id"',
    path: ["user_id"],
  });

const FileSchema = z.object({ tokens: z.array(EntrySchema).min(1, "lists no tokens") });

export class TokensFileError extends Error {
  override readonly name = "TokensFileError";
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** A new random token (256 bits) and its hash. */
export function newToken(): { token: string; sha256: string } {
  const token = `mcpt_${randomBytes(32).toString("base64url")}`;
  return { token, sha256: hashToken(token) };
}

interface Entry {
  hash: Buffer;
  principal: Principal;
}

export class StaticTokenAuthenticator implements Authenticator {
  private constructor(private readonly entries: Entry[]) {}

  static fromFile(file: string): StaticTokenAuthenticator {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, "utf8"));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new TokensFileError(
        code === "ENOENT"
          ? `${file}: tokens file not found (AUTH_TOKENS_FILE). Create one with npm run token:new.`
          : `${file}: not a readable JSON tokens file (${code ?? (err as Error).message}).`,
      );
    }
    const parsed = FileSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new TokensFileError(`${file}: ${issue.path.join(".") || "file"} ${issue.message}.`);
    }
    const names = new Set<string>();
    const entries = parsed.data.tokens.map((e) => {
      if (names.has(e.name))
        throw new TokensFileError(`${file}: token name "${e.name}" is used twice.`);
      names.add(e.name);
      const principal: Principal = {
        id: `token:${e.name}`,
        name: e.name,
        role: e.role,
        scopes: ["tickets:read"],
        ...(e.role === "customer" && e.user_id ? { userId: e.user_id.toLowerCase() } : {}),
      };
      return { hash: Buffer.from(e.sha256.toLowerCase(), "hex"), principal };
    });
    return new StaticTokenAuthenticator(entries);
  }

  async authenticate(token: string): Promise<Principal | undefined> {
    const candidate = Buffer.from(hashToken(token), "hex");
    let found: Principal | undefined;
    for (const entry of this.entries) {
      if (timingSafeEqual(entry.hash, candidate) && !found) found = entry.principal;
    }
    return found;
  }
}
