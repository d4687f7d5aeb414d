import { capResponseBody, type Exchange, type ResponseRecord } from '../model/exchange';
import type { OAuth2Token } from '../auth/oauth2';
import type { LifecycleState } from './lifecycle';
import { checkSessionState } from './stateShape';

/** Bumped when the stored shape changes; a state of another version is set aside, like an unreadable one. */
export const sessionStateVersion = 1;

/** Response body bytes kept per stored exchange. */
export const storedBodyBytes = 4096;

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
  /** `client.global` of the session's scripts (JetBrains); absent when empty. */
  readonly globals?: Readonly<Record<string, string>>;
  /** OAuth2 tokens by auth configuration, only for a storage private to the user (`keepTokens`); absent when none. */
  readonly tokens?: Readonly<Record<string, OAuth2Token>>;
}

/** The JSON-safe form of an exchange, its body capped to `maxBodyBytes` so the state stays small. */
export function exchangeToState(exchange: Exchange, maxBodyBytes = storedBodyBytes): StoredExchange {
  if (!exchange.response) return { ...exchange, response: undefined };
  const { body, ...response } = capResponseBody(exchange.response, maxBodyBytes);
  return { ...exchange, response: { ...response, body: Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('base64') } };
}

export function exchangeFromState(stored: StoredExchange): Exchange {
  if (!stored.response) {
    const { response: _omitted, ...rest } = stored;
    return rest;
  }
  return { ...stored, response: { ...stored.response, body: new Uint8Array(Buffer.from(stored.response.body, 'base64')) } };
}

/** Checks stored state deeply, every field; throws HS_STATE naming the first wrong one. */
export function parseSessionState(data: unknown): SessionState {
  checkSessionState(data, sessionStateVersion);
  return data as SessionState;
}
