/** Something that can be released; same shape as vscode.Disposable. */
export interface Disposable {
  dispose(): void;
}

/** Subscribe to an event; same call shape as vscode.Event, so core events feed VS Code APIs directly. */
export type Event<T> = (listener: (e: T) => unknown, thisArgs?: unknown, disposables?: Disposable[]) => Disposable;

/** Private to the class that owns it; expose `emitter.event` only. */
export class Emitter<T> implements Disposable {
  private listeners = new Set<(e: T) => unknown>();

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
      } catch {
        // A failing listener must not stop the others, nor the request that fired the event.
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
