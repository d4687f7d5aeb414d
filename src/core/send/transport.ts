import { setImmediate as nextMacrotask } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import { HttpSessionError } from '../errors';
import type { HeaderList, ResponseRecord } from '../model/exchange';
import type { Logger } from '../ports';
import type { ConnectionInfo, ConnectionProbe } from './connectionProbe';
import type { HopRequest } from './redirect';
import { type ReadBody, ResponseBodyReader } from './responseBody';
import { toHttpSessionError } from './transportError';

/** What came back from one hop: the response as recorded (less the URL the caller knows) and how the connection went. */
export interface HopResponse extends Omit<ResponseRecord, 'url'> {
  readonly connectionReused: boolean;
  readonly connectMs?: number;
  readonly tlsMs?: number;
  readonly firstByteMs: number;
  readonly downloadMs: number;
}

export interface HopOptions {
  readonly dispatcher: Dispatcher;
  readonly probe: ConnectionProbe;
  readonly logger: Logger;
  readonly maxBodyBytes: number;
  /** Aborted with an HttpSessionError reason (cancelled, total timeout). */
  readonly signal: AbortSignal;
  readonly connectTimeoutMs?: number;
}

/** A failed attempt, with what is needed to decide on a retry. */
class AttemptError extends Error {
  constructor(
    readonly error: HttpSessionError,
    readonly reusedConnection: boolean,
    readonly responseStarted: boolean,
  ) {
    super(error.message);
  }
}

const idempotent = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

/**
 * Sends one hop. A pooled connection that the server closed while idle (the keep-alive timeout race) fails
 * before any response byte; idempotent requests are then retried once on a fresh connection.
 */
export async function sendHop(request: HopRequest, options: HopOptions): Promise<HopResponse> {
  try {
    return await attempt(request, options);
  } catch (failure) {
    if (!(failure instanceof AttemptError)) throw failure;
    const stale = failure.error.code === 'HS_CONNECTION_RESET' && failure.reusedConnection && !failure.responseStarted;
    if (!stale || !idempotent.has(request.method.toUpperCase()) || options.signal.aborted) throw failure.error;
    options.logger.info(`${request.method} ${request.url}: the pooled connection was closed by the server; retrying once on a new connection`);
    try {
      return await attempt(request, options);
    } catch (retryFailure) {
      throw retryFailure instanceof AttemptError ? retryFailure.error : retryFailure;
    }
  }
}

function flatHeaders(headers: HeaderList): string[] {
  return headers.flatMap(([name, value]) => [name, value]);
}

function attempt(request: HopRequest, options: HopOptions): Promise<HopResponse> {
  const url = new URL(request.url);
  const started = performance.now();
  let connection: ConnectionInfo = { reused: false };
  let abortRequest: ((reason: Error) => void) | undefined;
  let settled = false;
  let headersAt: number | undefined;
  let status = 0;
  let statusText = '';
  const headers: (readonly [string, string])[] = [];
  let body: ResponseBodyReader | undefined;
  let wireComplete = false;
  let connectTimer: NodeJS.Timeout | undefined;

  return new Promise<HopResponse>((resolve, reject) => {
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      cleanup();
      body?.destroy();
      reject(new AttemptError(toHttpSessionError(error, request.url), connection.reused, headersAt !== undefined));
    };
    const onAbort = () => {
      const reason = options.signal.reason instanceof Error ? options.signal.reason : new HttpSessionError('HS_ABORTED', 'The request was cancelled.');
      abortRequest?.(reason);
      fail(reason);
    };
    const cleanup = () => {
      clearTimeout(connectTimer);
      options.signal.removeEventListener('abort', onAbort);
    };
    if (options.signal.aborted) return onAbort();
    options.signal.addEventListener('abort', onAbort, { once: true });
    if (options.connectTimeoutMs !== undefined) {
      connectTimer = setTimeout(() => {
        const error = new HttpSessionError('HS_CONNECT_TIMEOUT', `Could not connect to ${url.host} within ${options.connectTimeoutMs} ms.`);
        abortRequest?.(error);
        fail(error);
      }, options.connectTimeoutMs);
    }

    const handler: Dispatcher.DispatchHandler = {
      onConnect(abort) {
        // Called once the request has a connected socket: the connect phase is over.
        clearTimeout(connectTimer);
        abortRequest = abort;
        if (settled) abort(new HttpSessionError('HS_ABORTED', 'The request was cancelled.'));
      },
      onHeaders(statusCode, rawHeaders, resume, message) {
        headersAt = performance.now();
        status = statusCode;
        statusText = message ?? '';
        for (let i = 0; i + 1 < rawHeaders.length; i += 2) headers.push([rawHeaders[i].toString('latin1'), rawHeaders[i + 1].toString('latin1')]);
        const contentEncoding = headers.filter(([name]) => name.toLowerCase() === 'content-encoding').map(([, value]) => value);
        body = new ResponseBodyReader(contentEncoding.length ? contentEncoding.join(', ') : undefined, options.maxBodyBytes, { resume, done: finish });
        return true;
      },
      onData(chunk) {
        return body?.write(chunk) ?? true;
      },
      onComplete() {
        wireComplete = true;
        body?.end();
      },
      onError: fail,
    };

    function finish(read: ReadBody): void {
      if (settled) return;
      settled = true;
      cleanup();
      // Stopped at the cap (or at a broken encoding) with more on the wire: close this connection instead of draining it.
      if (!wireComplete) abortRequest?.(new HttpSessionError('HS_ABORTED', 'The rest of the body was not read.'));
      const ended = performance.now();
      const firstByte = headersAt ?? ended;
      const response: HopResponse = {
        status,
        statusText,
        httpVersion: '1.1',
        headers,
        ...read,
        bodySize: read.body.length,
        connectionReused: connection.reused,
        ...(connection.connectMs !== undefined ? { connectMs: connection.connectMs } : {}),
        ...(connection.tlsMs !== undefined ? { tlsMs: connection.tlsMs } : {}),
        firstByteMs: firstByte - started,
        downloadMs: ended - firstByte,
      };
      // undici gives a keep-alive socket back to its pool only in a setImmediate after the response ends
      // (client-h1: "wait a full event loop cycle"); a request dispatched before that finds the client busy
      // and the pool opens a SECOND connection. Resolving after our own setImmediate — queued once the parser
      // callback has returned (hence the microtask), so behind undici's — keeps sequential requests on ONE
      // connection without capping the pool (`connections: 1` would serialize parallel requests).
      queueMicrotask(() => void nextMacrotask().then(() => resolve(response)));
    }

    try {
      options.probe.dispatch(
        (info) => (connection = info),
        () =>
          options.dispatcher.dispatch(
            {
              origin: url.origin,
              path: `${url.pathname}${url.search}`,
              method: request.method,
              headers: flatHeaders(request.headers),
              body: request.body ?? null,
            },
            handler,
          ),
      );
    } catch (error) {
      fail(error);
    }
  });
}
