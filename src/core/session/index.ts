export { Session, defaultMaxBodyBytes, defaultMaxRedirects, type SessionOptions } from './session';
export type { CsrfDefaults, SessionDefaults, TlsOptions } from './defaults';
export { SessionCookieTracker, defaultSessionCookieNames, type LifecycleState } from './lifecycle';
export { sessionStateVersion, type SessionState, type StoredExchange } from './sessionState';
export type { ProxyEnvironment } from './dispatcher';
export { SessionRegistry, defaultSessionName, type RegistryOptions } from './sessionRegistry';
