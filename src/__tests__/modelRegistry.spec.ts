/**
 * Tests of the model registry tab models against faked SageMaker and S3 clients: paging of a group's versions,
 * the client-side filter and sort, authors, approval updates and the comment checks, metrics reports, and the
 * endpoints found to serve a version.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import {
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  DescribeModelPackageCommand,
  ListEndpointsCommand,
  ListModelPackagesCommand,
  UpdateModelPackageCommand
} from '@aws-sdk/client-sagemaker';
import { nullTranslator } from '@jupyterlab/translation';

import { AwsServiceError, describeAwsError } from '../aws/errors';
import {
  authorOf,
  checkApprovalComment,
  flattenMetrics,
  ModelPackageModel,
  parseModelPackageArn,
  type ISender,
  VersionsModel
} from '../registry/details/modelRegistry';

const trans = nullTranslator.load('jupyterlab_sagemaker_studio');
const describeError = (err: unknown) => describeAwsError(err, trans);
const GROUP = 'churn-models';
const arnOf = (v: number) =>
  `arn:aws:sagemaker:us-east-1:123456789012:model-package/${GROUP}/${v}`;
const APPROVALS = ['Approved', 'Rejected', 'PendingManualApproval'];

/** A faked client answering commands by class; every command is recorded. */
function fakeClient(
  handlers: Array<[new (...args: any[]) => any, (input: any) => any]>
): ISender & { sent: any[] } {
  const sent: any[] = [];
  return {
    sent,
    async send(command: any) {
      sent.push(command);
      await new Promise(r => setTimeout(r, 1));
      for (const [type, handle] of handlers) {
        if (command instanceof type) {
          return handle(command.input);
        }
      }
      throw new Error(`unexpected command ${command.constructor.name}`);
    }
  };
}

/** ListModelPackages over versions 1…n (newest first unless Ascending), paged by an index token. */
function listPackages(n: number) {
  return (input: any) => {
    const versions = Array.from({ length: n }, (_, i) => i + 1);
    if (input.SortOrder !== 'Ascending') {
      versions.reverse();
    }
    const start = Number(input.NextToken ?? 0);
    const end = start + (input.MaxResults ?? 10);
    return {
      ModelPackageSummaryList: versions.slice(start, end).map(v => ({
        ModelPackageGroupName: GROUP,
        ModelPackageVersion: v,
        ModelPackageArn: arnOf(v),
        ModelPackageDescription:
          v % 10 === 0 ? `xgboost round ${v}` : `run ${v}`,
        CreationTime: new Date(1700000000000 + v * 1000),
        ModelPackageStatus: 'Completed',
        ModelApprovalStatus: APPROVALS[v % 3]
      })),
      NextToken: end < n ? String(end) : undefined
    };
  };
}

describe('VersionsModel', () => {
  it('lists the group newest first and pages in with NextToken', async () => {
    const client = fakeClient([[ListModelPackagesCommand, listPackages(250)]]);
    const model = new VersionsModel({
      client: async () => client,
      groupName: GROUP,
      describeError
    });
    await model.refresh();
    expect(client.sent[0].input).toEqual({
      ModelPackageGroupName: GROUP,
      SortBy: 'CreationTime',
      SortOrder: 'Descending',
      MaxResults: 100,
      NextToken: undefined
    });
    expect(model.items).toHaveLength(100);
    expect(model.items[0].version).toBe(250);
    expect(model.hasMore).toBe(true);
    await model.loadMore();
    await model.loadMore();
    expect(client.sent[2].input.NextToken).toBe('200');
    expect(model.loaded).toHaveLength(250);
    expect(model.items[249].version).toBe(1);
    expect(model.hasMore).toBe(false);
    await model.loadMore();
    expect(client.sent).toHaveLength(3);
  });

  it('filters the loaded rows by version, approval, status and description', async () => {
    const client = fakeClient([[ListModelPackagesCommand, listPackages(90)]]);
    const model = new VersionsModel({
      client: async () => client,
      groupName: GROUP,
      describeError
    });
    await model.refresh();
    model.setFilter('8');
    expect(model.items.map(r => r.version)).toEqual([
      89, 88, 87, 86, 85, 84, 83, 82, 81, 80, 78, 68, 58, 48, 38, 28, 18, 8
    ]);
    // Narrowing keeps only rows that also match the longer text.
    model.setFilter('88');
    expect(model.items.map(r => r.version)).toEqual([88]);
    model.setFilter('pending');
    expect(model.items.every(r => r.approval === 'PendingManualApproval')).toBe(
      true
    );
    expect(model.items).toHaveLength(30);
    model.setFilter('xgboost approved');
    expect(model.items.map(r => r.version)).toEqual([90, 60, 30]);
    model.setFilter('completed');
    expect(model.items).toHaveLength(90);
    model.setFilter('nothing like this');
    expect(model.items).toHaveLength(0);
    model.setFilter('');
    expect(model.items).toHaveLength(90);
  });

  it('sorts loaded rows, and fetches again in the server order when more are on the server', async () => {
    const client = fakeClient([[ListModelPackagesCommand, listPackages(150)]]);
    const model = new VersionsModel({
      client: async () => client,
      groupName: GROUP,
      describeError
    });
    await model.refresh();
    model.setSort({ by: 'approval', order: 'asc' });
    expect(model.items[0].approval).toBe('Approved');
    expect(model.items[99].approval).toBe('Rejected');
    expect(client.sent).toHaveLength(1);
    model.setSort({ by: 'version', order: 'asc' });
    await new Promise(r => setTimeout(r, 10));
    expect(client.sent[1].input.SortOrder).toBe('Ascending');
    expect(model.items[0].version).toBe(1);
  });

  it('shows a failed first page as a sentence and keeps later errors next to the rows', async () => {
    let fail = true;
    const client = fakeClient([
      [
        ListModelPackagesCommand,
        input => {
          if (fail) {
            throw new AwsServiceError(
              'AccessDeniedException',
              'User: arn:aws:iam::1:user/x is not authorized to perform: sagemaker:ListModelPackages on resource: y',
              { httpStatusCode: 400 }
            );
          }
          return listPackages(150)(input);
        }
      ]
    ]);
    const model = new VersionsModel({
      client: async () => client,
      groupName: GROUP,
      describeError
    });
    await model.refresh();
    expect(model.status).toBe('error');
    expect(model.error).toContain('sagemaker:ListModelPackages');
    fail = false;
    await model.refresh();
    expect(model.status).toBe('ready');
    expect(model.error).toBeNull();
  });

  it('updates one row in place after an approval and finds authors of the rows in view', async () => {
    let approval = 'PendingManualApproval';
    const client = fakeClient([
      [ListModelPackagesCommand, listPackages(5)],
      [
        DescribeModelPackageCommand,
        input => {
          const { version } = parseModelPackageArn(input.ModelPackageName)!;
          return {
            ModelPackageArn: input.ModelPackageName,
            ModelPackageGroupName: GROUP,
            ModelPackageVersion: version,
            ModelPackageStatus: 'Completed',
            ModelApprovalStatus: version === 2 ? approval : 'Rejected',
            CreationTime: new Date(1700000000000 + version * 1000),
            CreatedBy:
              version % 2
                ? { UserProfileName: 'alice' }
                : {
                    IamIdentity: {
                      Arn: 'arn:aws:sts::123456789012:assumed-role/MLOps/bob'
                    }
                  }
          };
        }
      ]
    ]);
    const model = new VersionsModel({
      client: async () => client,
      groupName: GROUP,
      describeError
    });
    await model.refresh();
    approval = 'Approved';
    await model.updateRow(arnOf(2));
    expect(model.loaded.find(r => r.version === 2)!.approval).toBe('Approved');
    let changes = 0;
    model.changed.connect(() => changes++);
    model.requestAuthors([arnOf(5), arnOf(4)]);
    await new Promise(r => setTimeout(r, 80));
    expect(model.author(arnOf(5))).toBe('alice');
    expect(model.author(arnOf(4))).toBe('MLOps/bob');
    expect(model.author(arnOf(1))).toBeUndefined();
    // Both answers arrive in one change.
    expect(changes).toBe(1);
  });
});

describe('approval comments', () => {
  it('accepts up to 1024 characters on one line, nothing else', () => {
    expect(checkApprovalComment('')).toBeNull();
    expect(checkApprovalComment('Looks good: AUC 0.93 ✓')).toBeNull();
    expect(checkApprovalComment('x'.repeat(1024))).toBeNull();
    expect(checkApprovalComment('x'.repeat(1025))).toEqual({
      kind: 'too-long',
      length: 1025,
      max: 1024
    });
    expect(checkApprovalComment('first\nsecond')).toEqual({
      kind: 'control-characters'
    });
    expect(checkApprovalComment('a\tb')).toEqual({
      kind: 'control-characters'
    });
  });

  it('names authors by user profile, else IAM identity', () => {
    expect(authorOf(undefined)).toBeNull();
    expect(authorOf({})).toBeNull();
    expect(authorOf({ UserProfileName: 'ann' })).toBe('ann');
    expect(
      authorOf({ IamIdentity: { Arn: 'arn:aws:iam::123456789012:user/carol' } })
    ).toBe('carol');
  });
});

/** A version description with two metrics reports. */
const DESCRIBED = {
  ModelPackageArn: arnOf(3),
  ModelPackageGroupName: GROUP,
  ModelPackageVersion: 3,
  ModelApprovalStatus: 'PendingManualApproval',
  ModelPackageStatus: 'Completed',
  ModelMetrics: {
    ModelQuality: {
      Statistics: {
        ContentType: 'application/json',
        S3Uri: 's3://bucket/eval/evaluation.json'
      }
    },
    Bias: {
      Report: {
        ContentType: 'application/json',
        S3Uri: 's3://bucket/missing.json'
      },
      PreTrainingReport: {
        ContentType: 'text/html',
        S3Uri: 's3://bucket/bias.html'
      }
    }
  }
};

function packageModel(sagemaker: ISender, s3: ISender) {
  return new ModelPackageModel({
    arn: arnOf(3),
    sagemaker: async () => sagemaker,
    s3: async () => s3,
    describeError,
    describeCommentProblem: p => `problem ${p.kind}`
  });
}

describe('ModelPackageModel', () => {
  const s3 = fakeClient([
    [
      GetObjectCommand,
      input => {
        if (input.Key === 'eval/evaluation.json') {
          return {
            Body: {
              transformToString: async () =>
                JSON.stringify({
                  binary_classification_metrics: {
                    auc: { value: 0.93, standard_deviation: 0.01 }
                  }
                })
            }
          };
        }
        throw new AwsServiceError(
          'NoSuchKey',
          'The specified key does not exist.',
          { httpStatusCode: 404 }
        );
      }
    ]
  ]);

  it('reads JSON reports, explains unreadable ones and skips the rest', async () => {
    const sagemaker = fakeClient([
      [DescribeModelPackageCommand, () => DESCRIBED],
      [ListEndpointsCommand, () => ({ Endpoints: [] })]
    ]);
    const model = packageModel(sagemaker, s3);
    await model.refresh();
    await new Promise(r => setTimeout(r, 20));
    const byKind = Object.fromEntries(model.reports.map(r => [r.kind, r]));
    expect(byKind['ModelQuality.Statistics'].state).toBe('ready');
    expect(byKind['ModelQuality.Statistics'].metrics).toEqual([
      { name: 'binary_classification_metrics.auc.value', value: 0.93 },
      {
        name: 'binary_classification_metrics.auc.standard_deviation',
        value: 0.01
      }
    ]);
    expect(byKind['Bias.Report'].state).toBe('unreadable');
    expect(byKind['Bias.Report'].reason).toContain('NoSuchKey');
    expect(byKind['Bias.PreTrainingReport'].state).toBe('skipped');
    expect(model.info.data?.ModelPackageVersion).toBe(3);
  });

  it('sends the approval with its trimmed comment, and refuses what AWS would refuse', async () => {
    const sagemaker = fakeClient([
      [DescribeModelPackageCommand, () => DESCRIBED],
      [
        UpdateModelPackageCommand,
        input => ({ ModelPackageArn: input.ModelPackageArn })
      ]
    ]);
    const model = packageModel(sagemaker, s3);
    expect(await model.setApproval('Approved', '  AUC is fine  ')).toBe(true);
    expect(sagemaker.sent[0].input).toEqual({
      ModelPackageArn: arnOf(3),
      ModelApprovalStatus: 'Approved',
      ApprovalDescription: 'AUC is fine'
    });
    expect(await model.setApproval('Rejected', 'x'.repeat(2000))).toBe(false);
    expect(model.updateError).toBe('problem too-long');
    expect(sagemaker.sent).toHaveLength(1);
  });

  it('reports a refused update as a sentence', async () => {
    const sagemaker = fakeClient([
      [
        UpdateModelPackageCommand,
        () => {
          throw new AwsServiceError(
            'AccessDeniedException',
            'User: arn:aws:iam::1:user/x is not authorized to perform: sagemaker:UpdateModelPackage on resource: y',
            { httpStatusCode: 400 }
          );
        }
      ]
    ]);
    const model = packageModel(sagemaker, s3);
    expect(await model.setApproval('Approved', '')).toBe(false);
    expect(model.updateError).toBe(
      'You are not allowed to perform sagemaker:UpdateModelPackage. Ask your AWS administrator to grant this permission.'
    );
    expect(model.isUpdating).toBe(false);
  });

  it('finds the endpoints whose models reference the version, a few describes at a time', async () => {
    let inFlight = 0;
    let most = 0;
    const slow =
      <T>(fn: (input: any) => T) =>
      async (input: any) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise(r => setTimeout(r, 5));
        inFlight--;
        return fn(input);
      };
    const endpoints = Array.from({ length: 12 }, (_, i) => `ep-${i}`);
    const sagemaker = fakeClient([
      [DescribeModelPackageCommand, () => DESCRIBED],
      [
        ListEndpointsCommand,
        () => ({ Endpoints: endpoints.map(EndpointName => ({ EndpointName })) })
      ],
      [
        DescribeEndpointCommand,
        slow(input => {
          if (input.EndpointName === 'ep-11') {
            throw new AwsServiceError(
              'ValidationException',
              'Could not find endpoint "ep-11".',
              { httpStatusCode: 400 }
            );
          }
          return {
            EndpointName: input.EndpointName,
            EndpointStatus: 'InService',
            EndpointConfigName: `${input.EndpointName}-config`
          };
        })
      ],
      [
        DescribeEndpointConfigCommand,
        slow(input => ({
          ProductionVariants: [
            {
              VariantName: 'AllTraffic',
              ModelName: input.EndpointConfigName.replace('-config', '-model')
            }
          ]
        }))
      ],
      [
        DescribeModelCommand,
        slow(input => {
          switch (input.ModelName) {
            case 'ep-1-model':
              return { PrimaryContainer: { ModelPackageName: arnOf(3) } };
            case 'ep-2-model':
              return {
                Containers: [{ Image: 'x' }, { ModelPackageName: `${GROUP}/3` }]
              };
            case 'ep-3-model':
              return { PrimaryContainer: { ModelPackageName: arnOf(4) } };
            default:
              return { PrimaryContainer: { Image: 'y' } };
          }
        })
      ]
    ]);
    const model = packageModel(sagemaker, s3);
    await model.refresh();
    const found = model.deployments.data!;
    expect(found.endpoints.map(e => e.endpoint)).toEqual(['ep-1', 'ep-2']);
    expect(found.endpoints[0]).toEqual({
      endpoint: 'ep-1',
      status: 'InService',
      variant: 'AllTraffic',
      model: 'ep-1-model'
    });
    expect(found.checked).toBe(12);
    expect(found.problems).toHaveLength(1);
    expect(found.problems[0]).toContain('ep-11');
    expect(most).toBeLessThanOrEqual(4);
    expect(most).toBeGreaterThan(1);
  });
});

describe('flattenMetrics', () => {
  it('lists scalar leaves with dotted paths, up to a limit', () => {
    expect(
      flattenMetrics({ a: { b: 1, c: [2, { d: true }] }, e: 'x' })
    ).toEqual([
      { name: 'a.b', value: 1 },
      { name: 'a.c[0]', value: 2 },
      { name: 'a.c[1].d', value: true },
      { name: 'e', value: 'x' }
    ]);
    expect(flattenMetrics({ a: [1, 2, 3, 4] }, 2)).toHaveLength(2);
  });
});
