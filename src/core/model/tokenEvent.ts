/** What happened to a session's OAuth2 token. */
export type TokenEventKind = 'issued' | 'refreshed' | 'expired' | 'revoked' | 'used';

/** One step in a token's lifetime, as the session cookie's lifecycle keeps them. Holds no token value: the panel shows it. */
export interface TokenEvent {
  readonly kind: TokenEventKind;
  readonly at: number;
  readonly configName: string;
  /** The grant that issued it (`client_credentials`…) or `refresh_token`. */
  readonly grant?: string;
  readonly scope?: string;
  readonly expiresAt?: number;
}
