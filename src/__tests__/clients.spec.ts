/**
 * Tests of the small typed clients (sagemaker-metrics, STS) and the connection model.
 */
import { nullTranslator } from '@jupyterlab/translation';

import { AwsConnection } from '../aws/connection';
import { MetricsClient } from '../aws/metrics';
import { StsClient } from '../aws/sts';
import { fakeServer, json } from './fakeServer';

const trans = nullTranslator.load('jupyterlab_sagemaker_studio');
const noRetry = { maxAttempts: 1 };

describe('MetricsClient', () => {
  it('PUTs BatchPutMetrics with epoch-second timestamps to the sagemaker-metrics route', async () => {
    const server = fakeServer();
    server.answers.push(json({}));
    const client = new MetricsClient({
      serverSettings: server.settings,
      region: 'eu-west-1',
      retry: noRetry
    });
    await client.batchPutMetrics({
      TrialComponentName: 'run-1',
      MetricData: [
        {
          MetricName: 'loss',
          Timestamp: new Date(1700000000500),
          Step: 3,
          Value: 0.25
        },
        { MetricName: 'acc', Timestamp: 1700000001, Value: 0.9 }
      ]
    });
    const sent = server.requests[0];
    expect(sent.method).toBe('PUT');
    expect(sent.url).toBe(
      'http://localhost:8888/lab/base/sagemaker-studio/aws/sagemaker-metrics/eu-west-1/BatchPutMetrics'
    );
    expect(sent.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(server.bodies[0])).toEqual({
      TrialComponentName: 'run-1',
      MetricData: [
        { MetricName: 'loss', Timestamp: 1700000000.5, Step: 3, Value: 0.25 },
        { MetricName: 'acc', Timestamp: 1700000001, Value: 0.9 }
      ]
    });
  });

  it('POSTs BatchGetMetrics and returns the typed results', async () => {
    const server = fakeServer();
    server.answers.push(
      json({
        MetricQueryResults: [
          { Status: 'Complete', XAxisValues: [0, 1], MetricValues: [0.5, 0.4] }
        ]
      })
    );
    const client = new MetricsClient({
      serverSettings: server.settings,
      region: 'us-east-1',
      retry: noRetry
    });
    const out = await client.batchGetMetrics({
      MetricQueries: [
        {
          MetricName: 'loss',
          ResourceArn:
            'arn:aws:sagemaker:us-east-1:123456789012:experiment-trial-component/run-1',
          MetricStat: 'Avg',
          Period: 'IterationNumber',
          XAxisType: 'IterationNumber'
        }
      ]
    });
    expect(server.requests[0].method).toBe('POST');
    expect(server.requests[0].url).toMatch(
      /\/sagemaker-metrics\/us-east-1\/BatchGetMetrics$/
    );
    expect(out.MetricQueryResults?.[0].MetricValues).toEqual([0.5, 0.4]);
  });

  it('raises REST-JSON errors named by x-amzn-errortype', async () => {
    const server = fakeServer();
    server.answers.push(
      json({ message: 'TrialComponentName is invalid' }, 400, {
        'x-amzn-errortype':
          'ValidationException:http://internal.amazon.com/coral/'
      })
    );
    const client = new MetricsClient({
      serverSettings: server.settings,
      region: 'us-east-1',
      retry: noRetry
    });
    const err = await client
      .batchPutMetrics({
        TrialComponentName: 'X',
        MetricData: [{ MetricName: 'a', Timestamp: 1, Value: 1 }]
      })
      .catch(e => e);
    expect(err.name).toBe('ValidationException');
    expect(err.message).toBe('TrialComponentName is invalid');
    expect(err.$metadata.httpStatusCode).toBe(400);
  });

  it('retries a throttled call', async () => {
    const server = fakeServer();
    server.answers.push(
      json({ __type: 'ThrottlingException', message: 'slow down' }, 400),
      json({})
    );
    const client = new MetricsClient({
      serverSettings: server.settings,
      region: 'us-east-1',
      retry: { maxAttempts: 3, random: () => 0 }
    });
    await client.batchPutMetrics({
      TrialComponentName: 'x',
      MetricData: [{ MetricName: 'a', Timestamp: 1, Value: 1 }]
    });
    expect(server.requests).toHaveLength(2);
  });

  it('refuses batches the service would reject', async () => {
    const server = fakeServer();
    const client = new MetricsClient({
      serverSettings: server.settings,
      region: 'us-east-1',
      retry: noRetry
    });
    const data = Array.from({ length: 11 }, (_, i) => ({
      MetricName: 'a',
      Timestamp: i,
      Value: i
    }));
    await expect(
      client.batchPutMetrics({ TrialComponentName: 'x', MetricData: data })
    ).rejects.toThrow('1 to 10 metric values, not 11');
    await expect(client.batchGetMetrics({ MetricQueries: [] })).rejects.toThrow(
      '1 to 100 metric queries'
    );
    expect(server.requests).toHaveLength(0);
  });
});

describe('StsClient', () => {
  it('reads GetCallerIdentity from the query-protocol XML', async () => {
    const server = fakeServer();
    server.answers.push(
      new Response(
        `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
           <GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/dev</Arn>
           <UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account></GetCallerIdentityResult>
           <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
        { status: 200, headers: { 'Content-Type': 'text/xml' } }
      )
    );
    const sts = new StsClient({
      serverSettings: server.settings,
      region: 'us-east-1',
      retry: noRetry
    });
    expect(await sts.getCallerIdentity()).toEqual({
      Account: '123456789012',
      Arn: 'arn:aws:iam::123456789012:user/dev',
      UserId: 'AIDAEXAMPLE'
    });
    expect(server.requests[0].url).toBe(
      'http://localhost:8888/lab/base/sagemaker-studio/aws/sts/us-east-1/'
    );
    expect(server.bodies[0]).toBe(
      'Action=GetCallerIdentity&Version=2011-06-15'
    );
  });

  it('raises the XML error code', async () => {
    const server = fakeServer();
    server.answers.push(
      new Response(
        '<ErrorResponse><Error><Type>Sender</Type><Code>ExpiredToken</Code><Message>The security token included in the request is expired</Message></Error><RequestId>r-2</RequestId></ErrorResponse>',
        { status: 403 }
      )
    );
    const sts = new StsClient({
      serverSettings: server.settings,
      region: 'us-east-1',
      retry: noRetry
    });
    const err = await sts.getCallerIdentity().catch(e => e);
    expect(err.name).toBe('ExpiredToken');
    expect(err.$metadata).toEqual({ httpStatusCode: 403, requestId: 'r-2' });
  });
});

describe('AwsConnection', () => {
  const localState = {
    mode: 'local',
    region: 'us-east-1',
    profile: null,
    profiles: [],
    regions: ['us-east-1', 'eu-west-1'],
    accountId: '123456789012',
    readOnly: false,
    services: ['sagemaker', 'sagemaker-metrics', 's3', 'sts']
  };

  function connectionWith(server: ReturnType<typeof fakeServer>) {
    const created: string[] = [];
    const connection = new AwsConnection({
      serverSettings: server.settings,
      trans,
      loaders: {
        sagemaker: async () =>
          ({
            createSageMakerClient: (o: { region: string }) => {
              created.push(`sagemaker@${o.region}`);
              return {
                region: o.region,
                destroy: () => created.push(`destroyed@${o.region}`)
              };
            }
          }) as any
      }
    });
    return { connection, created };
  }

  it('reads the state, then re-creates clients after a region switch', async () => {
    const server = fakeServer();
    server.answers.push(
      json(localState),
      json({ ...localState, region: 'eu-west-1' })
    );
    const { connection, created } = connectionWith(server);
    let changes = 0;
    connection.changed.connect(() => changes++);
    await connection.refresh();
    expect(connection.mode).toBe('local');
    expect(connection.accountId).toBe('123456789012');
    // makeRequest's cache buster is fine on this route (unlike on the AWS proxy route).
    expect(server.requests[0].url).toMatch(
      /^http:\/\/localhost:8888\/lab\/base\/sagemaker-studio\/connection(\?\d+)?$/
    );

    const first = await connection.sagemaker();
    expect(await connection.sagemaker()).toBe(first);
    expect(created).toEqual(['sagemaker@us-east-1']);

    await connection.switch({ region: 'eu-west-1' });
    expect(server.requests[1].method).toBe('PUT');
    expect(JSON.parse(server.bodies[1])).toEqual({ region: 'eu-west-1' });
    expect(connection.region).toBe('eu-west-1');
    const second = await connection.sagemaker();
    expect(second).not.toBe(first);
    expect(created).toEqual([
      'sagemaker@us-east-1',
      'destroyed@us-east-1',
      'sagemaker@eu-west-1'
    ]);
    expect(changes).toBeGreaterThanOrEqual(2);
    connection.dispose();
  });

  it('rejects a switch with the server’s sentence', async () => {
    const server = fakeServer();
    server.answers.push(
      json(localState),
      json({ message: 'Unknown region "mars-1".' }, 400)
    );
    const { connection } = connectionWith(server);
    await connection.refresh();
    await expect(connection.switch({ region: 'mars-1' })).rejects.toThrow(
      'Unknown region "mars-1".'
    );
    expect(connection.region).toBe('us-east-1');
  });

  it('explains a missing server extension', async () => {
    const server = fakeServer();
    server.answers.push(new Response('not found', { status: 404 }));
    const { connection } = connectionWith(server);
    await connection.refresh();
    expect(connection.state).toBeNull();
    expect(connection.error).toMatch(/server extension is not enabled/);
    await expect(connection.sagemaker()).rejects.toThrow(
      /server extension is not enabled/
    );
  });

  it('asks STS for the account in AWS mode', async () => {
    const server = fakeServer();
    server.answers.push(
      json({
        ...localState,
        mode: 'aws',
        accountId: null,
        profile: 'dev',
        profiles: ['dev']
      }),
      new Response(
        '<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::210987654321:user/x</Arn><UserId>U</UserId><Account>210987654321</Account></GetCallerIdentityResult></GetCallerIdentityResponse>',
        { status: 200 }
      )
    );
    const { connection } = connectionWith(server);
    await connection.refresh();
    expect(connection.accountId).toBe('210987654321');
    expect(connection.identity?.arn).toBe('arn:aws:iam::210987654321:user/x');
    expect(server.requests[1].url).toMatch(
      /\/sagemaker-studio\/aws\/sts\/us-east-1\/$/
    );
  });
});
