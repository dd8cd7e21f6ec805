/**
 * OAuth 2.1 resource server, as the MCP authorization spec asks: access tokens are JWTs
 * checked against the issuer's JWKS for signature, issuer, audience (this server's
 * resource URL) and expiry, and must carry the required scope. A configurable claim
 * (default `user_id`) makes the caller a customer bound to that user.
 */
import { createRemoteJWKSet, jwtVerify, errors, type JWTPayload } from "jose";
import { AuthError, type Authenticator, type Principal } from "./principal.js";

export interface OAuthOptions {
  issuer: string;
  jwksUrl: string;
  audience: string;
  scope: string;
  userClaim: string;
}

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
      );
    }
    const user = (payload as Record<string, unknown>)[this.options.userClaim];
    const sub = typeof payload.sub === "string" ? payload.sub : "unknown";
    return {
      id: `oauth:${sub}`,
      name: sub,
      role: typeof user === "string" && user !== "" ? "customer" : "agent",
      scopes,
      ...(typeof user === "string" && user !== "" ? { userId: user.toLowerCase() } : {}),
    };
  }
}
