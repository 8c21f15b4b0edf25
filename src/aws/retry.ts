/**
 * The suite's single retry policy: exponential backoff with full jitter on throttling, 5xx, proxy time-outs and
 * network failures.
 *
 * The SDK clients run with `maxAttempts: 1` and get this policy as a middleware, and the small typed clients call
 * {@link withRetries} directly, so every AWS call retries the same way and attempts never multiply.
 */
import {
  ProxyError,
  isAbortError,
  isNetworkError,
  isThrottlingError
} from './errors';

/** Options of the retry policy. */
export interface IRetryOptions {
  /** Total attempts including the first one (1 disables retries). */
  maxAttempts: number;
  /** Backoff base for 5xx and network failures, in milliseconds. */
  baseDelayMs?: number;
  /** Backoff base for throttling, in milliseconds (AWS asks for a longer pause). */
  throttlingBaseDelayMs?: number;
  /** Upper bound of one pause, in milliseconds. */
  maxDelayMs?: number;
  /** Random source in [0, 1), replaceable in tests. */
  random?: () => number;
}

/** Defaults: AWS SDK standard mode's bases (100 ms, 500 ms for throttling) and cap (20 s). */
export const DEFAULT_RETRY_OPTIONS: Required<IRetryOptions> = {
  maxAttempts: 4,
  baseDelayMs: 100,
  throttlingBaseDelayMs: 500,
  maxDelayMs: 20000,
  random: Math.random
};

/** Proxy error codes after which the same request may well succeed. */
const TRANSIENT_PROXY_CODES = new Set([
  'UpstreamTimeout',
  'UpstreamUnreachable'
]);

/** Whether a failed attempt is worth repeating. */
export function isRetryableError(err: unknown): boolean {
  if (isAbortError(err)) {
    return false;
  }
  if (err instanceof ProxyError) {
    return TRANSIENT_PROXY_CODES.has(err.code);
  }
  if (isNetworkError(err)) {
    return true;
  }
  if (isThrottlingError(err)) {
    return true;
  }
  const meta = (err as { $metadata?: { httpStatusCode?: number } } | null)
    ?.$metadata;
  const status = meta?.httpStatusCode;
  // 501 Not Implemented will not change on a retry.
  return status !== undefined && status >= 500 && status !== 501;
}

/** The pause before retry number `retry` (1 = first retry): full jitter over an exponentially growing window. */
export function retryDelay(
  retry: number,
  err: unknown,
  options: IRetryOptions
): number {
  const o = { ...DEFAULT_RETRY_OPTIONS, ...options };
  const base = isThrottlingError(err) ? o.throttlingBaseDelayMs : o.baseDelayMs;
  const window = Math.min(o.maxDelayMs, base * 2 ** (retry - 1));
  return Math.floor(o.random() * window);
}

/**
 * Run `attempt` until it succeeds, fails with an error that is not retryable, or runs out of attempts.
 * The pause between attempts ends early (with an AbortError) when `signal` fires.
 */
export async function withRetries<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  options: IRetryOptions,
  signal?: AbortSignal
): Promise<T> {
  const maxAttempts = Math.max(1, Math.floor(options.maxAttempts));
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      if (n >= maxAttempts || !isRetryableError(err)) {
        throw err;
      }
      await sleep(retryDelay(n, err, options), signal);
    }
  }
}

/** Wait `ms` milliseconds, or reject with an AbortError when the signal fires first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const cancelled = () => {
      const err = new Error('The request was cancelled.');
      err.name = 'AbortError';
      return err;
    };
    if (signal?.aborted) {
      reject(cancelled());
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
