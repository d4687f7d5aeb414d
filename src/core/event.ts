/** Something that can be released; same shape as vscode.Disposable. */
export interface Disposable {
  dispose(): void;
}

/** Subscribe to an event; same call shape as vscode.Event, so core events feed VS Code APIs directly. */
export type Event<T> = (listener: (e: T) => unknown, thisArgs?: unknown, disposables?: Disposable[]) => Disposable;

/** Private to the class that owns it; expose `emitter.event` only. */
export class Emitter<T> implements Disposable {
  private listeners = new Set<(e: T) => unknown>();

  /** `onListenerError` hears what a listener threw (the owner logs it); the other listeners still run. */
  constructor(private readonly onListenerError: (error: unknown) => void) {}

  readonly event: Event<T> = (listener, thisArgs, disposables) => {
    const bound = thisArgs ? listener.bind(thisArgs) : listener;
    this.listeners.add(bound);
    const subscription = { dispose: () => void this.listeners.delete(bound) };
    disposables?.push(subscription);
    return subscription;
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (error) {
        // A failing listener must not stop the others, nor the request that fired the event.
        this.onListenerError(error);
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}

/** Holds disposables and releases them all, newest first, once; what is added after that is released at once. */
export class DisposableStore implements Disposable {
  private readonly items = new Set<Disposable>();
  private disposed = false;

  constructor(...items: Disposable[]) {
    this.addAll(...items);
  }

  add<T extends Disposable>(item: T): T {
    if (this.disposed) item.dispose();
    else this.items.add(item);
    return item;
  }

  addAll(...items: Disposable[]): void {
    for (const item of items) this.add(item);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const items = [...this.items].reverse();
    this.items.clear();
    for (const item of items) item.dispose();
  }
}
