/**
 * Hard deadlines around one SDK request: connect, first byte (the response headers) and the whole
 * response, each enforced by aborting the request, so an endpoint that accepts and never answers, or
 * answers a byte a second, costs at most the whole-response deadline. The SDK's own requestTimeout only
 * logs a warning; this handler wraps its NodeHttpHandler instead. The body is read here, bounded, and
 * kept, so a 200 the SDK cannot parse can still be salvaged by the caller.
 */
import { Readable } from 'node:stream';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Env } from '../context.js';

export interface Deadlines {
  connectMs: number;
  firstByteMs: number;
  totalMs: number;
}

export type DeadlinePhase = 'connect' | 'first-byte' | 'response';

export const DEFAULT_DEADLINES: Deadlines = { connectMs: 5_000, firstByteMs: 10_000, totalMs: 15_000 };

/** BEDROCK_PROFILE_NETWORK_TIMEOUT (seconds, 1-120) shortens or lengthens the whole-response deadline. */
export function deadlinesFromEnv(env: Env): Deadlines {
  const s = Number(env.BEDROCK_PROFILE_NETWORK_TIMEOUT);
  if (!Number.isFinite(s) || s < 1 || s > 120) return DEFAULT_DEADLINES;
  const totalMs = Math.round(s * 1000);
  // In the defaults' proportions, so each phase's deadline is the one that fires for it.
  return {
    connectMs: Math.min(DEFAULT_DEADLINES.connectMs, Math.round(totalMs / 3)),
    firstByteMs: Math.min(DEFAULT_DEADLINES.firstByteMs, Math.round((totalMs * 2) / 3)),
    totalMs,
  };
}

const secs = (ms: number) => `${Math.round(ms / 100) / 10} s`;

export class DeadlineError extends Error {
  constructor(phase: DeadlinePhase, d: Deadlines, endpoint: string) {
    super(
      phase === 'connect'
        ? `could not connect to ${endpoint} within ${secs(d.connectMs)} (connect deadline)`
        : phase === 'first-byte'
          ? `${endpoint} accepted the connection but sent no answer within ${secs(d.firstByteMs)} (first-byte deadline)`
          : `the answer from ${endpoint} did not complete within ${secs(d.totalMs)} (whole-response deadline; it arrived too slowly)`,
    );
    this.name = 'DeadlineError';
  }
}

type HandlerArgs = Parameters<NodeHttpHandler['handle']>;
type HandlerResult = Awaited<ReturnType<NodeHttpHandler['handle']>>;

export class DeadlineHandler {
  readonly metadata = { handlerProtocol: 'http/1.1' };
  readonly maxBodyBytes = 64 * 1024;
  private readonly controller = new AbortController();
  private readonly inner: NodeHttpHandler;
  private readonly total: NodeJS.Timeout;
  private hit: DeadlinePhase | undefined;
  private readonly onStop = () => this.controller.abort();
  lastStatus: number | undefined;
  lastBody: Buffer | undefined;
  tooLarge = false;

  constructor(
    private readonly d: Deadlines,
    private readonly stop?: AbortSignal,
  ) {
    // The connect deadline is the SDK's (it does destroy the socket); the others are ours.
    this.inner = new NodeHttpHandler({ connectionTimeout: d.connectMs });
    this.total = setTimeout(() => this.fire('response'), d.totalMs);
    if (stop?.aborted) this.controller.abort();
    else stop?.addEventListener('abort', this.onStop, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  deadlineHit(): DeadlinePhase | undefined {
    return this.hit;
  }

  private fire(phase: DeadlinePhase): void {
    if (this.controller.signal.aborted) return;
    this.hit = phase;
    this.controller.abort();
  }

  async handle(request: HandlerArgs[0], _options?: HandlerArgs[1]): Promise<HandlerResult> {
    const firstByte = setTimeout(() => this.fire('first-byte'), this.d.firstByteMs);
    let result: HandlerResult;
    try {
      result = await this.inner.handle(request, { abortSignal: this.signal });
    } catch (err) {
      const e = err as { name?: string; message?: string };
      if (e?.name === 'TimeoutError' && /connection/i.test(String(e.message))) this.hit ??= 'connect';
      throw err;
    } finally {
      clearTimeout(firstByte);
    }
    const { response } = result;
    this.lastStatus = response.statusCode;
    const body = response.body as Readable;
    const onAbort = () => body.destroy(new Error('aborted: deadline'));
    this.signal.addEventListener('abort', onAbort, { once: true });
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const c of body) {
        const chunk = Buffer.isBuffer(c) ? c : Buffer.from(c as Uint8Array);
        size += chunk.length;
        if (size > this.maxBodyBytes) {
          this.tooLarge = true;
          body.destroy();
          throw new Error(`the answer is larger than ${this.maxBodyBytes} bytes`);
        }
        chunks.push(chunk);
      }
    } finally {
      this.signal.removeEventListener('abort', onAbort);
    }
    if (this.signal.aborted) throw new Error('aborted: deadline');
    this.lastBody = Buffer.concat(chunks);
    response.body = Readable.from([this.lastBody]);
    return { response };
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  /** Clear the timers (the request is over). */
  finish(): void {
    clearTimeout(this.total);
    this.stop?.removeEventListener('abort', this.onStop);
  }

  destroy(): void {
    this.finish();
    this.inner.destroy();
  }
}
