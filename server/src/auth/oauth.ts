/**
 * OAuth 2.1 resource server, as the MCP authorization spec asks: access tokens are JWTs
 * checked against the issuer's JWKS for signature, issuer, audience (this server's
 * resource URL) and expiry, must carry the required scope and a subject.
 *
 * The role is granted, never assumed: a token is a customer's when it carries the user
 * claim (default `user_id`) as a proper user id, an agent's when it carries the agent
 * scope (default `tickets:read:all`) and no user claim. A user claim that is present
 * but not a user id (a number, a list, "", null) is refused, and so is a token that
 * says neither. A customer's claim wins over the agent scope: the narrower grant.
 */
import { createRemoteJWKSet, jwtVerify, errors, type JWTPayload } from "jose";
import { quoteValue } from "../tickets/errors.js";
import {
  AuthError,
  VerifierUnavailableError,
  type Authenticator,
  type Principal,
} from "./principal.js";

export interface OAuthOptions {
  issuer: string;
  jwksUrl: string;
  audience: string;
  scope: string;
  /** The scope that makes a token without a user claim an agent (sees every ticket). */
  agentScope: string;
  userClaim: string;
}

/** What a user id in a token may look like: the ids tickets carry. */
const USER_ID = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$/;

function scopesOf(payload: JWTPayload): string[] {
  const { scope, scp } = payload as { scope?: unknown; scp?: unknown };
  if (typeof scope === "string") return scope.split(/\s+/).filter(Boolean);
  if (Array.isArray(scp)) return scp.filter((s): s is string => typeof s === "string");
  return [];
}

export class OAuthAuthenticator implements Authenticator {
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly options: OAuthOptions) {
    this.jwks = createRemoteJWKSet(new URL(options.jwksUrl), { timeoutDuration: 5000 });
  }

  async authenticate(token: string): Promise<Principal | undefined> {
    // Only JWTs are ours to judge; anything else may be a static token.
    if (token.split(".").length !== 3) return undefined;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.jwks, {
        issuer: this.options.issuer,
        audience: this.options.audience,
      }));
    } catch (err) {
      // The keys could not be fetched (timeout, refused, not a JWKS): nothing is known
      // about the token yet.
      if (
        err instanceof errors.JWKSTimeout ||
        err instanceof errors.JWKSInvalid ||
        !(err instanceof errors.JOSEError)
      ) {
        throw new VerifierUnavailableError(
          `the identity provider's signing keys cannot be fetched (${(err as Error).message})`,
        );
      }
      const why =
        err instanceof errors.JWTExpired
          ? "the token has expired"
          : err instanceof errors.JWTClaimValidationFailed
            ? `the token's ${err.claim} claim is not accepted here`
            : "the token's signature or format is not valid";
      throw new AuthError(401, "invalid_token", `Invalid access token: ${why}.`);
    }
    const scopes = scopesOf(payload);
    if (!scopes.includes(this.options.scope)) {
      throw new AuthError(
        403,
        "insufficient_scope",
        `The access token lacks the scope ${this.options.scope}.`,
        this.options.scope,
      );
    }
    if (typeof payload.sub !== "string" || payload.sub === "") {
      throw new AuthError(401, "invalid_token", "Invalid access token: it has no sub claim.");
    }
    const { userClaim, agentScope } = this.options;
    const claims = payload as Record<string, unknown>;
    const base = { id: `oauth:${payload.iss ?? ""}#${payload.sub}`, name: payload.sub, scopes };
    if (Object.hasOwn(claims, userClaim)) {
      const user = claims[userClaim];
      if (typeof user !== "string" || !USER_ID.test(user)) {
        throw new AuthError(
          403,
          "invalid_token",
          `The access token's ${userClaim} claim must be a user id such as user123 ` +
            `(got ${quoteValue(user)}); no access without a valid one.`,
        );
      }
      return { ...base, role: "customer", userId: user.toLowerCase() };
    }
    if (!scopes.includes(agentScope)) {
      throw new AuthError(
        403,
        "insufficient_scope",
        `The access token names no customer (no ${userClaim} claim) and lacks the agent scope ${agentScope}.`,
        agentScope,
      );
    }
    return { ...base, role: "agent" };
  }
}
