// The panel's history: the last exchanges, kept in workspace state within a size budget so a
// window reload still shows them. What is stored is the exchange's storable copy: credentials masked,
// body cut to `maxBodyBytes`, and nothing at all of a `# @no-log` request. The live ones (this window's
// last few) keep their full bodies in memory for Save/Open.
import type * as vscode from 'vscode';
import type { CookieRecord, Exchange, SessionCookieLifecycle } from '../../core/model/exchange';
import { maskCookieRecord, redactExchange } from '../../core/secrets';
import { exchangeFromState, exchangeToState, type StoredExchange } from '../../core/session/sessionState';
import { checkStoredCookieRecords, checkStoredExchange, checkStoredLifecycles, checkStoredTokenEvents } from '../../core/session/stateShape';
import type { TokenEvent } from '../../core/model/tokenEvent';

export interface HistoryEntry {
  readonly exchange: Exchange;
  readonly lifecycles: readonly SessionCookieLifecycle[];
  readonly jarCookies: readonly CookieRecord[];
  readonly tokenEvents?: readonly TokenEvent[];
}

export interface HistoryBudget {
  /** Exchanges kept (newest first). */
  readonly maxEntries: number;
  /** Body bytes kept per stored exchange. */
  readonly maxBodyBytes: number;
  /** Body bytes kept across all stored exchanges; older bodies are dropped first. */
  readonly maxTotalBodyBytes: number;
  /** How many of the newest exchanges keep their full body in memory (not persisted). */
  readonly liveFullBodies: number;
}

export const defaultHistoryBudget: HistoryBudget = {
  maxEntries: 20,
  maxBodyBytes: 256 * 1024,
  maxTotalBodyBytes: 2 * 1024 * 1024,
  liveFullBodies: 3,
};

/** An exchange in the session's own stored form (core/session/sessionState.ts), with what the panel showed beside it. */
interface StoredEntry {
  readonly exchange: StoredExchange;
  readonly lifecycles: readonly SessionCookieLifecycle[];
  readonly jarCookies: readonly CookieRecord[];
  /** Absent in entries stored before tokens were shown. */
  readonly tokenEvents?: readonly TokenEvent[];
}
/** Version 1 (0.1.x) named the body `bodyBase64`; it is read once and written back as version 2. */
const storedHistoryVersion = 2;
interface StoredHistory {
  readonly version: number;
  readonly entries: readonly unknown[];
}

export const historyStateKey = 'httpSession.panel.history';

/** The copy of an exchange that may be stored, body cut to `maxBodyBytes`; undefined keeps it out of the stored history. */
export type StorableExchange = (exchange: Exchange, maxBodyBytes: number) => Exchange | undefined;

/** Without the session's knowledge (its secret values, `@no-log`): the masking by name alone. */
const maskedByName: StorableExchange = (exchange, maxBodyBytes) => redactExchange(exchange, { maxBodyBytes });

export class PanelHistoryStore {
  private entries: HistoryEntry[];
  /** Full-body copies of the newest exchanges, by id. */
  private readonly live = new Map<string, HistoryEntry>();
  private readonly budget: HistoryBudget;

  constructor(
    private readonly memento: Pick<vscode.Memento, 'get' | 'update'>,
    budget: Partial<HistoryBudget> = {},
    private readonly storable: StorableExchange = maskedByName,
  ) {
    this.budget = { ...defaultHistoryBudget, ...budget };
    this.entries = this.load();
  }

  /** Newest first. */
  list(): readonly HistoryEntry[] {
    return this.entries;
  }

  /** The entry with its full body when this window still holds it, else the stored (capped) copy. */
  get(exchangeId: string): HistoryEntry | undefined {
    return this.live.get(exchangeId) ?? this.entries.find((entry) => entry.exchange.id === exchangeId);
  }

  latest(): HistoryEntry | undefined {
    return this.entries[0];
  }

  /** Adds an exchange (or replaces one with the same id) and persists the budgeted history; a `@no-log` one is only kept live. */
  add(entry: HistoryEntry): Thenable<void> {
    const id = entry.exchange.id;
    this.live.delete(id);
    this.live.set(id, entry);
    while (this.live.size > this.budget.liveFullBodies) this.live.delete(this.live.keys().next().value as string);

    const exchange = this.storable(entry.exchange, this.budget.maxBodyBytes);
    if (!exchange) return Promise.resolve();
    const others = this.entries.filter((e) => e.exchange.id !== id);
    this.entries = this.applyBudget([storedEntry({ ...entry, exchange }), ...others].slice(0, this.budget.maxEntries));
    return this.memento.update(historyStateKey, this.serialize(this.entries));
  }

  clear(): Thenable<void> {
    this.entries = [];
    this.live.clear();
    return this.memento.update(historyStateKey, undefined);
  }

  /** Keeps the newest bodies within the total budget; older ones lose their body (not their metadata). */
  private applyBudget(entries: HistoryEntry[]): HistoryEntry[] {
    let total = 0;
    return entries.map((entry) => {
      const response = entry.exchange.response;
      if (!response) return entry;
      total += response.body.length;
      if (total <= this.budget.maxTotalBodyBytes) return entry;
      return { ...entry, exchange: { ...entry.exchange, response: { ...response, body: new Uint8Array(0), truncated: response.bodySize > 0 } } };
    });
  }

  private serialize(entries: readonly HistoryEntry[]): StoredHistory {
    return {
      version: storedHistoryVersion,
      entries: entries.map((entry): StoredEntry => ({
        exchange: exchangeToState(entry.exchange, this.budget.maxBodyBytes),
        lifecycles: entry.lifecycles,
        jarCookies: entry.jarCookies,
        tokenEvents: entry.tokenEvents,
      })),
    };
  }

  private load(): HistoryEntry[] {
    const raw = this.memento.get<StoredHistory | undefined>(historyStateKey);
    if (!raw || !Array.isArray(raw.entries) || (raw.version !== 1 && raw.version !== storedHistoryVersion)) return [];
    const entries: HistoryEntry[] = [];
    for (const [index, stored] of (raw.version === 1 ? raw.entries.map(fromVersion1) : raw.entries).entries()) {
      try {
        const { exchange, lifecycles = [], jarCookies = [], tokenEvents = [] } = stored as Partial<StoredEntry>;
        checkStoredExchange(exchange, `entries[${index}].exchange`);
        checkStoredLifecycles(lifecycles, `entries[${index}].lifecycles`);
        checkStoredCookieRecords(jarCookies, `entries[${index}].jarCookies`);
        checkStoredTokenEvents(tokenEvents, `entries[${index}].tokenEvents`);
        entries.push({ exchange: exchangeFromState(exchange as StoredExchange), lifecycles, jarCookies, tokenEvents });
      } catch {
        // A damaged entry is dropped, not the history.
      }
    }
    const kept = entries.slice(0, this.budget.maxEntries);
    // A history stored before credentials were masked is masked now, and rewritten at once.
    if (raw.version === storedHistoryVersion && kept.every((entry) => entry.exchange.redacted)) return kept;
    const masked = kept.map((entry) =>
      entry.exchange.redacted ? entry : storedEntry({ ...entry, exchange: redactExchange(entry.exchange, { maxBodyBytes: this.budget.maxBodyBytes }) }),
    );
    // Not awaited (a constructor): should it fail, the next `add` writes the masked history anyway.
    void Promise.resolve(this.memento.update(historyStateKey, this.serialize(masked))).catch(() => undefined);
    return masked;
  }
}

/** The stored form of an entry whose exchange is already storable: the jar's cookie values masked too. */
function storedEntry(entry: HistoryEntry): HistoryEntry {
  return { ...entry, jarCookies: entry.jarCookies.map(maskCookieRecord) };
}

/** A version 1 entry in the version 2 shape: only the body's field name changed. */
function fromVersion1(entry: unknown): unknown {
  const response = (entry as { exchange?: { response?: { bodyBase64?: unknown } } } | null)?.exchange?.response;
  if (!response || typeof response !== 'object') return entry;
  const { bodyBase64, ...rest } = response;
  const typed = entry as { exchange: object };
  return { ...typed, exchange: { ...typed.exchange, response: { ...rest, body: bodyBase64 } } };
}
