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
   * Loads every stored session. Corrupt or foreign state never throws: it is described in `problem`
   * and replaced by a fresh session.
   */
  static async restore(storage: SessionStorage, options: RegistryOptions = {}): Promise<{ registry: SessionRegistry; problem?: string }> {
    const registry = new SessionRegistry(storage, options);
    const problems: string[] = [];
    let stored: unknown;
    try {
      stored = await storage.load();
    } catch (error) {
      problems.push(`The stored sessions could not be loaded: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (stored !== undefined && stored !== null) {
      const shape = stored as Partial<StoredRegistry>;
      if (typeof stored !== 'object' || shape.version !== registryVersion || typeof shape.sessions !== 'object' || shape.sessions === null) {
        problems.push(`The stored sessions are not in this version's format (version ${String(shape.version)}, expected ${registryVersion}); starting fresh.`);
      } else {
        for (const [name, state] of Object.entries(shape.sessions)) {
          try {
            registry.add(new Session({ ...options, name, state }));
          } catch (error) {
            const reason = error instanceof HttpSessionError ? error.message : String(error);
            problems.push(`The stored session "${name}" was unreadable and has been replaced by a fresh one: ${reason}`);
          }
        }
      }
    }
    if (!registry.byName.has(defaultSessionName)) registry.add(new Session({ ...options, name: defaultSessionName }));
    return problems.length ? { registry, problem: problems.join('\n') } : { registry };
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
    const sessions: Record<string, unknown> = {};
    for (const [name, { session }] of this.byName) sessions[name] = session.serialize();
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
