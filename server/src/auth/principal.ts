/**
 * Who is calling. An `agent` (support staff, a bot) sees every ticket; a `customer` is
 * bound to one user_id and sees only that user's tickets. Without authentication
 * configured every caller is the anonymous agent (the local, single-user default).
 */
export type Role = "agent" | "customer";

export interface Principal {
  /** Stable key for sessions and rate limits, e.g. "token:support-bot" or "oauth:<sub>". */
  id: string;
  name: string;
  role: Role;
  /** Set for customers: the only user whose tickets they may see. */
  userId?: string;
  /** Scopes granted (OAuth), for logging and checks. */
  scopes: string[];
}

export const ANONYMOUS: Principal = {
  id: "anonymous",
  name: "anonymous",
  role: "agent",
  scopes: [],
};

/**
 * The token could not be checked at all (the identity provider's keys are out of
 * reach): not the caller's fault, so 503 "retry", never charged as a bad token.
 */
export class VerifierUnavailableError extends Error {
  override readonly name = "VerifierUnavailableError";
}

/** Raised by an authenticator; the HTTP layer turns it into 401 or 403. */
export class AuthError extends Error {
  override readonly name = "AuthError";
  constructor(
    readonly status: 401 | 403,
    /** RFC 6750 error code for WWW-Authenticate. */
    readonly code: "invalid_request" | "invalid_token" | "insufficient_scope",
    message: string,
    /** With insufficient_scope: the scope that would be enough. */
    readonly scope?: string,
  ) {
    super(message);
  }
}

/**
 * The whole identity a session belongs to: who (issuer and subject, or the token's
 * name), in which role, and for a customer which user. Two tokens that differ in any of
 * these never share a session, even with the same subject.
 */
export function identityKey(principal: Principal): string {
  return JSON.stringify([principal.id, principal.role, principal.userId ?? null]);
}

/** Checks a bearer token; undefined means "not mine" (let the next authenticator try). */
export interface Authenticator {
  authenticate(token: string): Promise<Principal | undefined>;
}
