/**
 * Errors of the AWS access layer and their translation into sentences a user can act on.
 *
 * Three kinds of failure reach the panels: errors AWS (or the local backend) returned, which the SDK turns into
 * exceptions named after the AWS error code; errors of our own signing proxy, which carry the
 * `X-SageMaker-Studio-Proxy-Error` header; and network failures between the browser and the Jupyter server.
 */
import { ServerConnection } from '@jupyterlab/services';
import type { TranslationBundle } from '@jupyterlab/translation';

/** Response header with which the Jupyter server marks errors of the proxy itself (not of AWS). */
export const PROXY_ERROR_HEADER = 'X-SageMaker-Studio-Proxy-Error';

/** Codes of the proxy's own errors. */
export type ProxyErrorCode =
  | 'NoCredentials'
  | 'ServiceNotAllowed'
  | 'ReadOnly'
  | 'BodyTooLarge'
  | 'UpstreamTimeout'
  | 'UpstreamUnreachable'
  | 'ProxyError';

/** An error the signing proxy on the Jupyter server produced before or instead of reaching AWS. */
export class ProxyError extends Error {
  /** Create the error from the proxy's JSON body. */
  constructor(
    readonly code: ProxyErrorCode | string,
    message: string,
    readonly statusCode: number
  ) {
    super(message);
    this.name = code;
  }
}

/** The metadata the AWS SDK v3 attaches to service errors; our small clients attach the same. */
export interface IAwsErrorMetadata {
  /** HTTP status of the response. */
  httpStatusCode?: number;
  /** The AWS request id, useful in support cases. */
  requestId?: string;
}

/** An AWS service error raised by the small typed clients (STS, sagemaker-metrics), shaped like SDK v3 errors. */
export class AwsServiceError extends Error {
  /** Metadata of the failed response. */
  readonly $metadata: IAwsErrorMetadata;
  /** Whether AWS blames the caller ('client') or itself ('server'). */
  readonly $fault: 'client' | 'server';

  /** Create an error named after the AWS error code. */
  constructor(code: string, message: string, metadata: IAwsErrorMetadata) {
    super(message);
    this.name = code;
    this.$metadata = metadata;
    this.$fault = (metadata.httpStatusCode ?? 500) >= 500 ? 'server' : 'client';
  }
}

/** AWS error codes meaning the caller's credentials expired. */
const EXPIRED_CODES = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'RequestExpired',
  'TokenRefreshRequired'
]);

/** AWS error codes meaning the credentials are not valid at all. */
const INVALID_CREDENTIAL_CODES = new Set([
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'InvalidSignatureException',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'MissingAuthenticationTokenException',
  'InvalidToken'
]);

/** AWS error codes meaning the caller lacks a permission. */
const ACCESS_DENIED_CODES = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedAccess',
  'NotAuthorized'
]);

/** AWS error codes of throttling, across the protocols the suite uses. */
export const THROTTLING_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'TransactionInProgressException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'LimitExceededException',
  'SlowDown',
  'PriorRequestNotComplete',
  'EC2ThrottledException'
]);

/** Error codes with which a backend says it does not know an operation. */
const UNSUPPORTED_CODES = new Set([
  'UnknownOperationException',
  'NotImplemented',
  'InvalidAction'
]);

/** The AWS error code of an error (its name for SDK and our errors), or '' if it is not an AWS error. */
export function awsErrorCode(err: unknown): string {
  if (err instanceof Error) {
    return err.name;
  }
  return '';
}

/** The HTTP status of an AWS or proxy error, if known. */
export function awsErrorStatus(err: unknown): number | undefined {
  if (err instanceof ProxyError) {
    return err.statusCode;
  }
  const meta = (err as { $metadata?: IAwsErrorMetadata } | null)?.$metadata;
  return meta?.httpStatusCode;
}

/** Whether the error is a throttling refusal. */
export function isThrottlingError(err: unknown): boolean {
  return (
    THROTTLING_CODES.has(awsErrorCode(err)) ||
    awsErrorStatus(err) === 429 ||
    (err as { $retryable?: { throttling?: boolean } } | null)?.$retryable
      ?.throttling === true
  );
}

/** Whether the request never got an answer: the browser could not reach the Jupyter server. */
export function isNetworkError(err: unknown): boolean {
  // makeRequest wraps fetch's TypeError; other TypeErrors are bugs, not network trouble, and are not retried.
  return err instanceof ServerConnection.NetworkError;
}

/** Whether the request was cancelled by its caller. */
export function isAbortError(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}

/** Options of {@link describeAwsError}. */
export interface IDescribeOptions {
  /** The connection mode: in local mode unknown operations are explained as "not in local mode yet". */
  mode?: 'local' | 'aws' | null;
}

/**
 * Turn any error of the AWS access layer into one sentence for the user: what failed and what to do.
 *
 * Never includes stack traces or raw response bodies; the AWS error code is named where it helps a search.
 */
export function describeAwsError(
  err: unknown,
  trans: TranslationBundle,
  options: IDescribeOptions = {}
): string {
  const code = awsErrorCode(err);
  const message = err instanceof Error ? err.message.trim() : String(err);

  if (isAbortError(err)) {
    return trans.__('The request was cancelled.');
  }
  if (err instanceof ProxyError) {
    return Private.describeProxyError(err, trans);
  }
  if (isNetworkError(err)) {
    return trans.__(
      'Could not reach the Jupyter server. Check your network connection and that JupyterLab is still running, then try again.'
    );
  }
  if (EXPIRED_CODES.has(code)) {
    return trans.__(
      'Your AWS credentials have expired. Renew them (for example with `aws sso login`) and try again.'
    );
  }
  if (INVALID_CREDENTIAL_CODES.has(code)) {
    return trans.__(
      'AWS did not accept the credentials of the Jupyter server (%1). Check the configured profile and keys.',
      code
    );
  }
  if (ACCESS_DENIED_CODES.has(code)) {
    const action = parseDeniedAction(message);
    return action
      ? trans.__(
          'You are not allowed to perform %1. Ask your AWS administrator to grant this permission.',
          action
        )
      : trans.__(
          'AWS denied access: %1 Ask your AWS administrator for the missing permission.',
          Private.sentence(message)
        );
  }
  if (isThrottlingError(err)) {
    return trans.__(
      'AWS is limiting the request rate (%1). Wait a moment and try again.',
      code || '429'
    );
  }
  if (
    options.mode === 'local' &&
    (UNSUPPORTED_CODES.has(code) || /not (yet )?implemented/i.test(message))
  ) {
    return trans.__(
      'This operation is not supported in local mode yet. Connect to an AWS account to use it.'
    );
  }
  if (code && code !== 'Error' && awsErrorStatus(err) !== undefined) {
    // In local mode the answer comes from the embedded backend, and saying "AWS" would mislead.
    if (options.mode === 'local') {
      return message
        ? trans.__(
            'The local backend returned %1: %2',
            code,
            Private.sentence(message)
          )
        : trans.__('The local backend returned %1.', code);
    }
    return message
      ? trans.__('AWS returned %1: %2', code, Private.sentence(message))
      : trans.__('AWS returned %1.', code);
  }
  return message
    ? Private.sentence(message)
    : trans.__('The request failed for an unknown reason.');
}

/**
 * The IAM action named in an access-denied message, e.g. "sagemaker:ListEndpoints" from
 * "User: arn:aws:iam::1:user/x is not authorized to perform: sagemaker:ListEndpoints on resource: ...".
 */
export function parseDeniedAction(message: string): string | null {
  const match =
    /not authorized to perform:?\s+([A-Za-z0-9-]+:[A-Za-z0-9*]+)/.exec(message);
  return match ? match[1] : null;
}

namespace Private {
  /** Make a message end like a sentence so it can be followed by advice. */
  export function sentence(message: string): string {
    const text = message.trim();
    return /[.!?]$/.test(text) ? text : `${text}.`;
  }

  /** Sentences for the proxy's own error codes. */
  export function describeProxyError(
    err: ProxyError,
    trans: TranslationBundle
  ): string {
    switch (err.code) {
      case 'NoCredentials':
        // The server's sentence says what is wrong (no credentials at all, a missing profile, an expired SSO
        // token) and what to do, which a fixed sentence here could not.
        return err.message
          ? sentence(err.message)
          : trans.__(
              'The Jupyter server found no AWS credentials. Configure a profile (`aws configure` or `aws sso login`) and restart JupyterLab, or use local mode.'
            );
      case 'ServiceNotAllowed':
        return trans.__(
          'The Jupyter server does not allow this AWS service. Add it to `SageMakerStudio.allowed_services` if it is needed.'
        );
      case 'ReadOnly':
        return trans.__(
          'This connection is read-only, so the change was not sent. Turn off `SageMakerStudio.read_only` on the server to make changes.'
        );
      case 'BodyTooLarge':
        return trans.__(
          'The request is larger than the Jupyter server accepts (`SageMakerStudio.max_body_size`).'
        );
      case 'UpstreamTimeout':
        return trans.__(
          'AWS did not answer in time. Try again; if it keeps happening, raise `SageMakerStudio.upstream_timeout`.'
        );
      case 'UpstreamUnreachable':
        return trans.__(
          'The Jupyter server could not reach AWS. Check the server’s network connection and proxy settings.'
        );
      default:
        return err.message
          ? sentence(err.message)
          : trans.__('The Jupyter server refused the request (%1).', err.code);
    }
  }
}
