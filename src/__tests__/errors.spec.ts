/**
 * Tests of the mapping from errors to user-facing sentences.
 */
import { ServerConnection } from '@jupyterlab/services';
import { nullTranslator } from '@jupyterlab/translation';

import {
  AwsServiceError,
  ProxyError,
  describeAwsError,
  parseDeniedAction
} from '../aws/errors';

const trans = nullTranslator.load('jupyterlab_sagemaker_studio');
const aws = (code: string, message = '', status = 400) =>
  new AwsServiceError(code, message, { httpStatusCode: status });

describe('describeAwsError', () => {
  it.each(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired'])(
    'explains expired credentials (%s)',
    code => {
      expect(
        describeAwsError(
          aws(code, 'The security token included in the request is expired'),
          trans
        )
      ).toMatch(/credentials have expired.*aws sso login/);
    }
  );

  it('explains missing credentials on the server', () => {
    const text = describeAwsError(
      new ProxyError('NoCredentials', '', 401),
      trans
    );
    expect(text).toMatch(/found no AWS credentials/);
  });

  it("keeps the server's reason for unusable credentials", () => {
    const text = describeAwsError(
      new ProxyError(
        'NoCredentials',
        "The server's AWS credentials could not be loaded: The config profile (ml-team) could not be found",
        401
      ),
      trans
    );
    expect(text).toBe(
      "The server's AWS credentials could not be loaded: The config profile (ml-team) could not be found."
    );
  });

  it.each([
    'InvalidSignatureException',
    'MissingAuthenticationToken',
    'UnrecognizedClientException'
  ])('explains credentials AWS or the local backend refuse (%s)', code => {
    expect(describeAwsError(aws(code, 'x', 403), trans)).toMatch(
      new RegExp(`did not accept the credentials.*\\(${code}\\)`)
    );
  });

  it('names the denied action', () => {
    const err = aws(
      'AccessDeniedException',
      'User: arn:aws:sts::123456789012:assumed-role/Dev/me is not authorized to perform: sagemaker:ListEndpoints on resource: arn:aws:sagemaker:us-east-1:123456789012:endpoint/* because no identity-based policy allows the sagemaker:ListEndpoints action'
    );
    expect(describeAwsError(err, trans)).toBe(
      'You are not allowed to perform sagemaker:ListEndpoints. Ask your AWS administrator to grant this permission.'
    );
  });

  it('falls back to the message when no action is named', () => {
    expect(
      describeAwsError(aws('AccessDenied', 'Access Denied', 403), trans)
    ).toBe(
      'AWS denied access: Access Denied. Ask your AWS administrator for the missing permission.'
    );
  });

  it('explains throttling', () => {
    expect(
      describeAwsError(aws('ThrottlingException', 'Rate exceeded'), trans)
    ).toMatch(/limiting the request rate \(ThrottlingException\)/);
  });

  it('explains network failures', () => {
    const err = new ServerConnection.NetworkError(
      new TypeError('Failed to fetch')
    );
    expect(describeAwsError(err, trans)).toMatch(
      /Could not reach the Jupyter server/
    );
    expect(
      describeAwsError(new ProxyError('UpstreamUnreachable', 'x', 502), trans)
    ).toMatch(/could not reach AWS/);
  });

  it('explains unsupported operations in local mode only', () => {
    const err = aws(
      'UnknownOperationException',
      'The local backend does not serve this request.'
    );
    expect(describeAwsError(err, trans, { mode: 'local' })).toMatch(
      /not supported in local mode/
    );
    expect(describeAwsError(err, trans, { mode: 'aws' })).toBe(
      'AWS returned UnknownOperationException: The local backend does not serve this request.'
    );
    expect(
      describeAwsError(
        aws(
          'NotImplemented',
          'Local mode does not implement bucket versioning.',
          501
        ),
        trans,
        { mode: 'local' }
      )
    ).toMatch(/not supported in local mode/);
  });

  it('names the local backend, not AWS, for its errors in local mode', () => {
    expect(
      describeAwsError(
        aws('ResourceNotFound', 'Could not find endpoint "x"'),
        trans,
        { mode: 'local' }
      )
    ).toBe(
      'The local backend returned ResourceNotFound: Could not find endpoint "x".'
    );
  });

  it('explains read-only refusals', () => {
    expect(
      describeAwsError(new ProxyError('ReadOnly', 'no', 403), trans)
    ).toMatch(/read-only/);
  });

  it('names the AWS code for anything else', () => {
    expect(
      describeAwsError(
        aws('ResourceNotFound', 'Could not find endpoint "x"'),
        trans
      )
    ).toBe('AWS returned ResourceNotFound: Could not find endpoint "x".');
  });

  it('uses the message of non-AWS errors and handles cancellations', () => {
    expect(describeAwsError(new Error('Something broke'), trans)).toBe(
      'Something broke.'
    );
    const abort = new Error('x');
    abort.name = 'AbortError';
    expect(describeAwsError(abort, trans)).toBe('The request was cancelled.');
  });

  it('reads SDK v3 errors by name and $metadata', () => {
    const sdkError = Object.assign(new Error('Rate exceeded'), {
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400 }
    });
    expect(describeAwsError(sdkError, trans)).toMatch(
      /limiting the request rate/
    );
  });
});

describe('parseDeniedAction', () => {
  it('finds the action with or without the colon after "perform"', () => {
    expect(
      parseDeniedAction(
        'is not authorized to perform: s3:GetObject on resource'
      )
    ).toBe('s3:GetObject');
    expect(
      parseDeniedAction('is not authorized to perform sts:GetCallerIdentity')
    ).toBe('sts:GetCallerIdentity');
    expect(parseDeniedAction('Access Denied')).toBeNull();
  });
});
