// The panel's history: the last exchanges, kept in workspace state within a size budget so a
// window reload still shows them. Bodies are cut to `maxBodyBytes` when stored; the live ones
// (this window's last few) keep their full bodies in memory for Save/Open.
import type * as vscode from 'vscode';
import { capResponseBody, type CookieRecord, type Exchange, type ResponseRecord, type SessionCookieLifecycle } from '../../core/model/exchange';

export interface HistoryEntry {
  readonly exchange: Exchange;
  readonly lifecycles: readonly SessionCookieLifecycle[];
  readonly jarCookies: readonly CookieRecord[];
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

type StoredResponse = Omit<ResponseRecord, 'body'> & { readonly bodyBase64: string };
interface StoredEntry {
  readonly exchange: Omit<Exchange, 'response'> & { readonly response?: StoredResponse };
  readonly lifecycles: readonly SessionCookieLifecycle[];
  readonly jarCookies: readonly CookieRecord[];
}
interface StoredHistory {
  readonly version: 1;
  readonly entries: readonly StoredEntry[];
}

export const historyStateKey = 'httpSession.panel.history';

function base64ToBytes(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}

function bytesToBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Cuts a body to `max` bytes; a cut body is marked truncated (bodySize keeps the real size). */
export class PanelHistoryStore {
  private entries: HistoryEntry[];
  /** Full-body copies of the newest exchanges, by id. */
  private readonly live = new Map<string, HistoryEntry>();
  private readonly budget: HistoryBudget;

  constructor(
    private readonly memento: Pick<vscode.Memento, 'get' | 'update'>,
    budget: Partial<HistoryBudget> = {},
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

  /** Adds an exchange (or replaces one with the same id) and persists the budgeted history. */
  add(entry: HistoryEntry): Thenable<void> {
    const id = entry.exchange.id;
    this.live.delete(id);
    this.live.set(id, entry);
    while (this.live.size > this.budget.liveFullBodies) this.live.delete(this.live.keys().next().value as string);

    const others = this.entries.filter((e) => e.exchange.id !== id);
    this.entries = this.applyBudget([this.capEntry(entry), ...others].slice(0, this.budget.maxEntries));
    return this.memento.update(historyStateKey, this.serialize(this.entries));
  }

  clear(): Thenable<void> {
    this.entries = [];
    this.live.clear();
    return this.memento.update(historyStateKey, undefined);
  }

  private capEntry(entry: HistoryEntry): HistoryEntry {
    const response = entry.exchange.response;
    if (!response) return entry;
    return { ...entry, exchange: { ...entry.exchange, response: capResponseBody(response, this.budget.maxBodyBytes) } };
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
      version: 1,
      entries: entries.map((entry) => {
        const { response, ...rest } = entry.exchange;
        const stored: StoredEntry['exchange'] = response
          ? { ...rest, response: { ...withoutBody(response), bodyBase64: bytesToBase64(response.body) } }
          : rest;
        return { exchange: stored, lifecycles: entry.lifecycles, jarCookies: entry.jarCookies };
      }),
    };
  }

  private load(): HistoryEntry[] {
    const raw = this.memento.get<unknown>(historyStateKey);
    if (!isStoredHistory(raw)) return [];
    const entries: HistoryEntry[] = [];
    for (const stored of raw.entries) {
      try {
        const { response, ...rest } = stored.exchange;
        const exchange: Exchange = response
          ? { ...rest, response: { ...withoutBase64(response), body: base64ToBytes(response.bodyBase64) } }
          : rest;
        entries.push({ exchange, lifecycles: stored.lifecycles ?? [], jarCookies: stored.jarCookies ?? [] });
      } catch {
        // A damaged entry is dropped, not the history.
      }
    }
    return entries.slice(0, this.budget.maxEntries);
  }
}

function withoutBody(response: ResponseRecord): Omit<ResponseRecord, 'body'> {
  const { body, ...rest } = response;
  void body;
  return rest;
}

function withoutBase64(response: StoredResponse): Omit<ResponseRecord, 'body'> {
  const { bodyBase64, ...rest } = response;
  void bodyBase64;
  return rest;
}

function isStoredHistory(value: unknown): value is StoredHistory {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { version?: unknown; entries?: unknown };
  return (
    candidate.version === 1 &&
    Array.isArray(candidate.entries) &&
    candidate.entries.every((e: unknown) => {
      if (typeof e !== 'object' || e === null) return false;
      const exchange = (e as { exchange?: unknown }).exchange as { id?: unknown; request?: unknown; response?: { bodyBase64?: unknown } } | undefined;
      return (
        typeof exchange === 'object' &&
        exchange !== null &&
        typeof exchange.id === 'string' &&
        typeof exchange.request === 'object' &&
        (exchange.response === undefined || typeof exchange.response.bodyBase64 === 'string')
      );
    })
  );
}
