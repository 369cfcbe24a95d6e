import { DfnsHttpError } from '../http/errors';
import { randomToken } from '../state/ids';
import type { JwtCodec } from './jwt';
import { verifyKeyAssertion, type KeyCredentialAssertion } from './key-assertion';
import type { Credential } from '../state/sandbox-state';

/** Dfns does not publish its challenge and token lifetimes; five minutes covers any SDK round trip. */
export const CHALLENGE_TTL_MS = 5 * 60_000;
/** How long an issued user-action token stays usable (once). */
export const USER_ACTION_TTL_MS = 5 * 60_000;

/** How many accepted user actions the log keeps; older ones are forgotten first. */
export const ACCEPTED_LOG_CAPACITY = 10_000;

/**
 * A signed request the sandbox carried out: who signed it, with which credential, and the public key the signature
 * was verified against (`GET /_sandbox/user-actions`), so a test can tell which key signed what.
 */
export interface AcceptedUserAction {
  userId: string;
  credId: string;
  publicKey: string;
  method: string;
  path: string;
  /** Sandbox time the request was accepted (ISO 8601). */
  date: string;
}

/** The request a user action is bound to: method, pathname and the exact raw body string. */
export interface BoundRequest {
  method: string;
  path: string;
  payload: string;
}

/** Dependencies of the user-action handshake. */
export interface UserActionDeps {
  now: () => number;
  jwt: JwtCodec;
  credentialsOf: (userId: string) => Credential[];
  challengeTtlMs?: number;
  tokenTtlMs?: number;
}

interface Pending extends BoundRequest {
  userId: string;
  challenge: string;
  expiresAt: number;
}

interface Issued extends BoundRequest {
  userId: string;
  credId: string;
  publicKey: string;
  expiresAt: number;
  used: boolean;
}

/**
 * The user-action signing handshake (https://docs.dfns.co/api-reference/auth/signing-flows), kept in memory (it never
 * outlives a restart).
 */
export function createUserActions(deps: UserActionDeps) {
  const challenges = new Map<string, Pending>();
  const issued = new Map<string, Issued>();
  let accepted: AcceptedUserAction[] = [];
  const forbid = (message: string) => new DfnsHttpError(403, message);
  const unauthorized = (message: string) => new DfnsHttpError(401, message);

  const purge = () => {
    const now = deps.now();
    for (const [key, entry] of challenges) if (entry.expiresAt <= now) challenges.delete(key);
    for (const [key, entry] of issued) if (entry.expiresAt <= now) issued.delete(key);
  };

  return {
    /** `POST /auth/action/init`: remembers what is about to be signed and returns the challenge. */
    createChallenge(userId: string, request: BoundRequest) {
      purge();
      const challenge = randomToken();
      const expiresAt = deps.now() + (deps.challengeTtlMs ?? CHALLENGE_TTL_MS);
      const exp = Math.floor(expiresAt / 1000);
      const challengeIdentifier = deps.jwt.sign({ sub: userId, jti: randomToken(16), exp });
      challenges.set(challengeIdentifier, { ...request, userId, challenge, expiresAt });
      const keys = deps.credentialsOf(userId).filter((credential) => credential.isActive);
      return {
        challenge,
        challengeIdentifier,
        supportedCredentialKinds: [{ kind: 'Key', factor: 'either', requiresSecondFactor: false }],
        userVerification: 'required',
        attestation: 'none',
        allowCredentials: {
          key: keys.map((credential) => ({ type: 'public-key', id: credential.credId })),
          webauthn: [],
        },
        externalAuthenticationUrl: '',
      };
    },

    /** `POST /auth/action`: verifies the Key assertion and issues a one-time user-action token. */
    sign(userId: string, challengeIdentifier: string, assertion: KeyCredentialAssertion) {
      purge();
      const pending = challenges.get(challengeIdentifier);
      if (!pending || pending.userId !== userId) throw unauthorized('Invalid or expired challenge identifier');
      challenges.delete(challengeIdentifier); // one signing attempt per challenge
      const credential = deps.credentialsOf(userId).find((c) => c.credId === assertion.credId && c.isActive);
      if (!credential) throw unauthorized('Credential not found');
      if (!verifyKeyAssertion(assertion, pending.challenge, credential.publicKey)) {
        throw unauthorized('Invalid signature');
      }
      const userAction = randomToken();
      const { method, path, payload } = pending;
      const expiresAt = deps.now() + (deps.tokenTtlMs ?? USER_ACTION_TTL_MS);
      const { credId, publicKey } = credential;
      issued.set(userAction, { method, path, payload, userId, credId, publicKey, expiresAt, used: false });
      return { userAction };
    },

    /** Checks and burns the `x-dfns-useraction` token of a mutating request; 403 on any mismatch. */
    consume(userId: string, token: string | undefined, actual: BoundRequest): void {
      purge();
      if (!token) throw forbid('Missing X-DFNS-USERACTION header: this request requires user action signing');
      const entry = issued.get(token);
      if (!entry) throw forbid('User action token is invalid or expired');
      if (entry.userId !== userId) throw forbid('User action token was issued to another user');
      if (entry.used) throw forbid('User action token has already been used');
      // Burnt on first presentation by its owner, even when it does not match: a tampered request
      // must not leave a valid token behind.
      entry.used = true;
      if (entry.method !== actual.method || entry.path !== actual.path || entry.payload !== actual.payload) {
        throw forbid(
          'User action token does not match this request (method, path or body differ from the signed ones)',
        );
      }
      const { credId, publicKey, method, path } = entry;
      accepted.push({ userId, credId, publicKey, method, path, date: new Date(deps.now()).toISOString() });
      if (accepted.length > ACCEPTED_LOG_CAPACITY) accepted = accepted.slice(-ACCEPTED_LOG_CAPACITY);
    },

    /** The signed requests carried out since start or the last reset, oldest first (not persisted). */
    accepted(): readonly AcceptedUserAction[] {
      return accepted;
    },

    /** Forgets the accepted-action log (an admin reset). */
    clearAccepted(): void {
      accepted = [];
    },
  };
}

/** The user-action handshake service. */
export type UserActions = ReturnType<typeof createUserActions>;
