import { HttpSessionError } from '../errors';
import { capResponseBody, type Exchange, type ResponseRecord } from '../model/exchange';
import { type LifecycleState, SessionCookieTracker } from './lifecycle';

/** Bumped when the stored shape changes; other versions are reported as foreign and replaced. */
export const sessionStateVersion = 1;

const storedBodyBytes = 4096;

/** An exchange as stored: the body is base64 and capped. */
export type StoredExchange = Omit<Exchange, 'response'> & { readonly response?: Omit<ResponseRecord, 'body'> & { readonly body: string } };

/** What `Session.serialize()` returns: JSON-safe. */
export interface SessionState {
  readonly version: number;
  readonly name: string;
  /** tough-cookie's own serialization. */
  readonly jar: unknown;
  readonly lifecycles: LifecycleState;
  readonly history: readonly StoredExchange[];
}

/** Stores an exchange with its body capped, so the state stays small. */
export function exchangeToState(exchange: Exchange): StoredExchange {
  if (!exchange.response) return { ...exchange, response: undefined };
  const { body, ...response } = capResponseBody(exchange.response, storedBodyBytes);
  return { ...exchange, response: { ...response, body: Buffer.from(body).toString('base64') } };
}

export function exchangeFromState(stored: StoredExchange): Exchange {
  if (!stored.response) {
    const { response: _omitted, ...rest } = stored;
    return rest;
  }
  return { ...stored, response: { ...stored.response, body: new Uint8Array(Buffer.from(stored.response.body, 'base64')) } };
}

function isStoredExchange(value: unknown): value is StoredExchange {
  if (typeof value !== 'object' || value === null) return false;
  const exchange = value as Partial<StoredExchange>;
  return (
    typeof exchange.id === 'string' &&
    typeof exchange.startedAt === 'number' &&
    typeof exchange.request?.url === 'string' &&
    Array.isArray(exchange.redirects) &&
    Array.isArray(exchange.sessionEvents) &&
    (exchange.response === undefined || (typeof exchange.response.status === 'number' && typeof exchange.response.body === 'string'))
  );
}

/** Checks the shape of stored state; throws HS_STATE with what is wrong. */
export function parseSessionState(data: unknown): SessionState {
  if (typeof data !== 'object' || data === null) throw new HttpSessionError('HS_STATE', 'The stored session is not an object.');
  const state = data as Partial<SessionState>;
  if (state.version !== sessionStateVersion) throw new HttpSessionError('HS_STATE', `The stored session has version ${String(state.version)}, expected ${sessionStateVersion}.`);
  if (typeof state.name !== 'string') throw new HttpSessionError('HS_STATE', 'The stored session has no name.');
  const lifecycles = SessionCookieTracker.parseState(state.lifecycles);
  if (!lifecycles) throw new HttpSessionError('HS_STATE', 'The stored session-cookie lifecycles are unreadable.');
  if (!Array.isArray(state.history) || !state.history.every(isStoredExchange)) throw new HttpSessionError('HS_STATE', 'The stored history is unreadable.');
  return { version: state.version, name: state.name, jar: state.jar, lifecycles, history: state.history };
}
