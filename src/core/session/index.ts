export { Session, defaultMaxBodyBytes, defaultMaxRedirects, type SessionDefaults, type SessionOptions, type TlsOptions } from './session';
export { SessionCookieTracker, defaultSessionCookieNames, type LifecycleState } from './lifecycle';
export { sessionStateVersion, type SessionState, type StoredExchange } from './sessionState';
export type { ProxyEnvironment } from './dispatcher';
export { SessionRegistry, defaultSessionName, type RegistryOptions } from './sessionRegistry';
