import { Transform, type TransformCallback } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';

/** A response body as read off the wire: decoded from its Content-Encoding, cut at the cap. */
export interface ReadBody {
  /** Decoded bytes, at most the cap. */
  readonly body: Buffer;
  /** Bytes that came over the wire, when a Content-Encoding was decoded. */
  readonly encodedBodySize?: number;
  /** The body stops short: it reached the cap, or its encoded data broke off. */
  readonly truncated: boolean;
  /** Why the body is shown as received, or stops where decoding failed. */
  readonly decodingProblem?: string;
}

export interface BodyReaderEvents {
  /** The wire may flow again after `write` returned false. */
  readonly resume: () => void;
  /** Called once, when the body is complete, full or broken; the transport stops reading if the wire has more. */
  readonly done: (body: ReadBody) => void;
}

// Each stage is a stream; more stages are a resource-exhaustion attack (curl CVE-2022-32206, urllib3 GHSA-gm62-xv2j-4w53).
const maxEncodings = 5;

const decoders: Readonly<Record<string, () => Transform>> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: () => new DeflateDecoder(),
  br: createBrotliDecompress,
};

/**
 * Reads one response body: decodes `Content-Encoding` with zlib's streaming decoders and keeps at most `maxBytes`
 * of the wire and of the decoded output, so an endless body or a decompression bomb stops at the cap.
 * An encoding zlib cannot decode leaves the body as received, with a note.
 */
export class ResponseBodyReader {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  private wireBytes = 0;
  private wireEnded = false;
  private finished = false;
  private readonly encodings: readonly string[];
  private readonly unsupported?: string;
  /** Decoding stages in the order they run (the last-listed encoding first); made at the first body byte. */
  private stages: Transform[] | undefined;
  /** What came over the wire while nothing was decoded yet: shown as received if the first bytes do not decode. */
  private undecoded: Buffer[] | undefined = [];

  constructor(
    private readonly contentEncoding: string | undefined,
    private readonly maxBytes: number,
    private readonly events: BodyReaderEvents,
  ) {
    const listed = (contentEncoding ?? '')
      .split(',')
      .map((token) => token.trim().toLowerCase())
      .filter((token) => token !== '' && token !== 'identity');
    const unknown = listed.find((token) => !Object.hasOwn(decoders, token));
    if (unknown !== undefined) this.unsupported = `Content-Encoding '${unknown}' is not supported: the body is shown as received.`;
    else if (listed.length > maxEncodings) this.unsupported = `More than ${maxEncodings} Content-Encodings (${listed.length}): the body is shown as received.`;
    this.encodings = this.unsupported === undefined ? listed.reverse() : [];
  }

  /** Takes a chunk off the wire; false asks the transport to pause until `resume`. */
  write(chunk: Buffer): boolean {
    if (this.finished) return false;
    this.wireBytes += chunk.length;
    if (this.encodings.length === 0) {
      this.keep(chunk);
      return !this.finished;
    }
    if (this.wireBytes > this.maxBytes) {
      // An endless encoded stream can decode to next to nothing: the wire has the same cap.
      this.finish({ truncated: true });
      return false;
    }
    this.undecoded?.push(chunk);
    this.stages ??= this.startStages();
    return this.stages[0].write(chunk);
  }

  /** The wire ended. */
  end(): void {
    this.wireEnded = true;
    if (this.finished) return;
    if (this.stages) this.stages[0].end();
    else this.finish({ truncated: false });
  }

  /** Stops decoding without a result (the transport failed or was cancelled). */
  destroy(): void {
    this.finished = true;
    for (const stage of this.stages ?? []) stage.destroy();
  }

  private startStages(): Transform[] {
    const stages = this.encodings.map((encoding) => decoders[encoding]());
    stages.forEach((stage, index) => {
      stage.on('error', (error) => this.failDecoding(error));
      if (index > 0) stages[index - 1].pipe(stage);
    });
    stages[0].on('drain', () => this.events.resume());
    const last = stages[stages.length - 1];
    last.on('data', (chunk: Buffer) => {
      this.undecoded = undefined;
      this.keep(chunk);
    });
    last.on('end', () => this.finish({ truncated: false }));
    return stages;
  }

  private keep(chunk: Buffer): void {
    const room = this.maxBytes - this.kept;
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.chunks.push(part);
    this.kept += part.length;
    if (chunk.length > room) this.finish({ truncated: true });
  }

  private failDecoding(error: Error): void {
    if (this.finished) return;
    const encoding = this.contentEncoding?.trim();
    if (this.undecoded) {
      // Not one byte decoded: a server that labels a plain body as compressed. Show what it sent (so far).
      const received = Buffer.concat(this.undecoded);
      this.chunks.push(received.subarray(0, this.maxBytes));
      this.kept = Math.min(received.length, this.maxBytes);
      this.finish({ truncated: !this.wireEnded, decodingProblem: `The body does not decode as Content-Encoding '${encoding}' (${error.message}): it is shown as received.` });
    } else {
      this.finish({ truncated: true, decodingProblem: `The body's Content-Encoding '${encoding}' data broke off (${error.message}): it stops where decoding failed.` });
    }
  }

  private finish(outcome: { truncated: boolean; decodingProblem?: string }): void {
    if (this.finished) return;
    this.destroy();
    const problem = outcome.decodingProblem ?? this.unsupported;
    this.events.done({
      body: Buffer.concat(this.chunks, this.kept),
      ...(this.stages ? { encodedBodySize: this.wireBytes } : {}),
      truncated: outcome.truncated,
      ...(problem !== undefined ? { decodingProblem: problem } : {}),
    });
  }
}

/**
 * `deflate` as browsers read it: zlib-wrapped (RFC 1950) as the standard says, or raw (RFC 1951) as some servers
 * send it — told apart by the zlib header of the first bytes.
 */
class DeflateDecoder extends Transform {
  private inflate: Transform | undefined;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.inflate ??= this.startInflate(chunk);
    if (this.inflate.write(chunk)) callback();
    else this.inflate.once('drain', () => callback());
  }

  override _flush(callback: TransformCallback): void {
    if (!this.inflate) return callback();
    this.inflate.once('end', () => callback());
    this.inflate.end();
  }

  // Our reader wants more: let the inflater go on (it pauses when our buffer is full, so a bomb stays bounded).
  override _read(size: number): void {
    this.inflate?.resume();
    super._read(size);
  }

  override _destroy(error: Error | null, callback: (error: Error | null) => void): void {
    this.inflate?.destroy();
    callback(error);
  }

  private startInflate(first: Buffer): Transform {
    const inflate = isZlibHeader(first) ? createInflate() : createInflateRaw();
    inflate.on('data', (data: Buffer) => {
      if (!this.push(data)) inflate.pause();
    });
    inflate.on('error', (error) => this.destroy(error));
    return inflate;
  }
}

/** RFC 1950: method 8 (deflate), a window of at most 32 KiB, and a header that is a multiple of 31. */
function isZlibHeader([cmf, flg]: Buffer): boolean {
  return (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && (flg === undefined || ((cmf << 8) | flg) % 31 === 0);
}
