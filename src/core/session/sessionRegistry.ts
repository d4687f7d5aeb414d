import { describeError, HttpSessionError } from '../errors';
import { Emitter, type Disposable, type Event } from '../event';
import type { SessionStorage } from '../ports';
import { Session, type SessionOptions } from './session';

export const defaultSessionName = 'default';
const registryVersion = 1;

/** What every session of the registry is built with (name and state come from the registry). */
export type RegistryOptions = Omit<SessionOptions, 'name' | 'state'>;

interface StoredRegistry {
  readonly version: number;
  readonly sessions: Record<string, unknown>;
}

/** The workspace's sessions: the default one and named ones (`# @session admin`), kept in ONE SessionStorage. */
export class SessionRegistry implements Disposable {
  private readonly changed = new Emitter<void>((error) =>
    this.options.logger?.error(`sessions: a listener failed: ${describeError(error)}`),
  );
  readonly onDidChange: Event<void> = this.changed.event;
  private readonly byName = new Map<string, { session: Session; subscription: Disposable }>();

  private constructor(
    private readonly storage: SessionStorage,
    private options: RegistryOptions,
  ) {}

  /**
   * Loads every stored session. Never throws: state that is unreadable in any part — not JSON, a foreign
   * version, one wrong field — is set aside whole (the storage keeps it elsewhere) and described in `problem`,
   * and the registry starts fresh. Nothing is half-loaded.
   */
  static async restore(storage: SessionStorage, options: RegistryOptions = {}): Promise<{ registry: SessionRegistry; problem?: string }> {
    const registry = new SessionRegistry(storage, options);
    let problem: string | undefined;
    let stored: unknown;
    try {
      stored = await storage.load();
    } catch (error) {
      // HS_STATE: read but not JSON. Anything else (permissions…) was not read at all: nothing to judge or set aside.
      problem =
        error instanceof HttpSessionError
          ? await SessionRegistry.setAside(storage, error.message)
          : `The saved sessions could not be loaded (${messageOf(error)}); a fresh session was started.`;
    }
    if (stored !== undefined && stored !== null) {
      try {
        for (const session of SessionRegistry.sessionsOf(stored, options)) registry.add(session);
      } catch (error) {
        problem = await SessionRegistry.setAside(storage, messageOf(error));
      }
    }
    if (!registry.byName.has(defaultSessionName)) registry.add(new Session({ ...options, name: defaultSessionName }));
    return problem ? { registry, problem } : { registry };
  }

  /** Every session of the stored state, or a throw naming what is unreadable. */
  private static sessionsOf(stored: unknown, options: RegistryOptions): Session[] {
    const shape = stored as Partial<StoredRegistry>;
    if (shape.version !== registryVersion || typeof shape.sessions !== 'object' || shape.sessions === null || Array.isArray(shape.sessions)) {
      throw new HttpSessionError('HS_STATE', `not in this version's format (version ${String(shape.version)}, expected ${registryVersion})`);
    }
    const sessions: Session[] = [];
    for (const [name, state] of Object.entries(shape.sessions)) {
      try {
        sessions.push(new Session({ ...options, name, state }));
      } catch (error) {
        for (const session of sessions) session.dispose();
        throw new HttpSessionError('HS_STATE', `session "${name}": ${messageOf(error)}`, { cause: error });
      }
    }
    return sessions;
  }

  /** Has the storage keep the unreadable state elsewhere, and says why and where. */
  private static async setAside(storage: SessionStorage, reason: string): Promise<string> {
    try {
      const where = await storage.setAside();
      return `The saved sessions could not be read (${reason}). They were moved to ${where}; a fresh session was started.`;
    } catch (error) {
      return `The saved sessions could not be read (${reason}) nor moved aside (${messageOf(error)}); a fresh session was started and will replace them when saved.`;
    }
  }

  /** The session with this name (created on first use); the default session when no name is given. */
  get(name: string = defaultSessionName): Session {
    return this.byName.get(name)?.session ?? this.add(new Session({ ...this.options, name }));
  }

  get sessions(): readonly Session[] {
    return [...this.byName.values()].map((entry) => entry.session);
  }

  /** New settings: applied to every session, and to sessions created later. */
  updateDefaults(defaults: NonNullable<RegistryOptions['defaults']>): void {
    this.options = { ...this.options, defaults };
    for (const { session } of this.byName.values()) session.updateDefaults(defaults);
  }

  /** Writes every session to storage (the adapter debounces calls). */
  async save(): Promise<void> {
    // fromEntries defines the keys: a session named `__proto__` is kept, not turned into a prototype.
    const sessions = Object.fromEntries([...this.byName].map(([name, { session }]) => [name, session.serialize()]));
    await this.storage.save({ version: registryVersion, sessions } satisfies StoredRegistry);
  }

  dispose(): void {
    for (const { session, subscription } of this.byName.values()) {
      subscription.dispose();
      session.dispose();
    }
    this.byName.clear();
    this.changed.dispose();
  }

  private add(session: Session): Session {
    const subscription = session.onDidChange(() => this.changed.fire());
    this.byName.set(session.name, { session, subscription });
    this.changed.fire();
    return session;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
