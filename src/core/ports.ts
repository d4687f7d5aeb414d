/** The few things the outside world provides to the core; the CLI, the extension and tests each pass their own. */

/** Reads files for body includes, env files and .env. Paths are absolute. */
export interface FileReader {
  readFile(path: string): Promise<Uint8Array>;
  /** Undefined when the file does not exist. */
  readTextIfExists(path: string): Promise<string | undefined>;
  /** The absolute path with every symlink resolved; undefined when it does not exist. */
  realPath(path: string): Promise<string | undefined>;
}

/** Where a session's state is kept between runs (workspace state, a JSON file). */
export interface SessionStorage {
  /** What `save` stored, or undefined; rejects with HS_STATE when what is stored cannot be read at all (not JSON). */
  load(): Promise<unknown>;
  save(state: unknown): Promise<void>;
  /** Moves what is stored out of the way, kept for the user to look at; resolves with where it went. */
  setAside(): Promise<string>;
}

/** The name a set-aside state gets: `<name>.corrupt-<UTC time>`, sortable and safe in a file name. */
export function setAsideName(name: string, now: number): string {
  return `${setAsidePrefix(name)}${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
}

/** What every set-aside name of `name` starts with. */
export function setAsidePrefix(name: string): string {
  return `${name}.corrupt-`;
}

/**
 * Where each session's OAuth2 tokens are kept between runs, apart from its state: a store private to the user
 * (VS Code's SecretStorage). What is kept is secret; the session checks what it loads.
 */
export interface TokenVault {
  /** What `save` kept for the session, or undefined. */
  load(sessionName: string): Promise<unknown>;
  /** Replaces what is kept for the session; undefined deletes it. */
  save(sessionName: string, kept: unknown): Promise<void>;
}

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A log with levels; secrets are masked before lines reach it (see core/secrets.ts). */
export interface Logger {
  trace(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = { trace() {}, info() {}, warn() {}, error() {} };

/**
 * Where the user signs in for a grant that needs a person: the system browser (VS Code), a line on stderr
 * (the CLI). `userCode` is the code the user confirms on the page (Device Authorization).
 */
export interface AuthorizationPrompt {
  openAuthorizationUrl(url: string, about: { readonly configName: string; readonly userCode?: string }): void | Promise<void>;
}
