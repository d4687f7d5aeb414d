import diagnosticsChannel from 'node:diagnostics_channel';
import { EventEmitter } from 'node:events';
import type { buildConnector } from 'undici';
import type { Disposable } from '../event';

/** What the probe learnt about the connection one dispatched request went out on. */
export interface ConnectionInfo {
  readonly reused: boolean;
  readonly connectMs?: number;
  readonly tlsMs?: number;
}

interface SocketRecord {
  connectMs?: number;
  tlsMs?: number;
  requests: number;
}

type Listener = (info: ConnectionInfo) => void;

/**
 * Tells, per request, whether undici reused a pooled connection and how long a new one took to connect.
 * undici publishes the socket of each request on diagnostics_channel (`undici:client:sendHeaders`); the
 * request object is matched to our call because `undici:request:create` fires synchronously inside dispatch().
 */
export class ConnectionProbe implements Disposable {
  private readonly sockets = new WeakMap<object, SocketRecord>();
  private readonly listeners = new WeakMap<object, Listener>();
  private capturing: Listener | undefined;

  private readonly onCreate = (message: unknown) => {
    const request = (message as { request?: object }).request;
    if (this.capturing && request) this.listeners.set(request, this.capturing);
  };

  private readonly onSendHeaders = (message: unknown) => {
    const { request, socket } = message as { request?: object; socket?: object };
    const listener = request && this.listeners.get(request);
    if (!listener || !socket) return;
    const record = this.sockets.get(socket) ?? { requests: 0 };
    this.sockets.set(socket, record);
    record.requests++;
    listener(record.requests > 1 ? { reused: true } : { reused: false, connectMs: record.connectMs, tlsMs: record.tlsMs });
  };

  constructor() {
    diagnosticsChannel.subscribe('undici:request:create', this.onCreate);
    diagnosticsChannel.subscribe('undici:client:sendHeaders', this.onSendHeaders);
  }

  /** Runs a synchronous dispatch; `listener` hears about the connection of the request it creates. */
  dispatch<T>(listener: Listener, run: () => T): T {
    this.capturing = listener;
    try {
      return run();
    } finally {
      this.capturing = undefined;
    }
  }

  /** Wraps an undici connector so new sockets carry their TCP connect and TLS handshake durations. */
  timeConnector(connector: buildConnector.connector): buildConnector.connector {
    return (options, callback) => {
      const started = performance.now();
      let connectedAt: number | undefined;
      // undici's connector returns the socket it is opening (its type says void), which lets us see TCP come up before TLS.
      const opening: unknown = (connector as (...args: Parameters<buildConnector.connector>) => unknown)(options, (...args) => {
        const [error, socket] = args;
        if (!error && socket) {
          const now = performance.now();
          const tcpDone = connectedAt ?? now;
          this.sockets.set(socket, {
            requests: 0,
            connectMs: tcpDone - started,
            ...(options.protocol === 'https:' ? { tlsMs: now - tcpDone } : {}),
          });
        }
        callback(...args);
      });
      if (opening instanceof EventEmitter) opening.once('connect', () => (connectedAt = performance.now()));
    };
  }

  dispose(): void {
    diagnosticsChannel.unsubscribe('undici:request:create', this.onCreate);
    diagnosticsChannel.unsubscribe('undici:client:sendHeaders', this.onSendHeaders);
  }
}
