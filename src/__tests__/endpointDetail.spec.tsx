/**
 * Tests of the endpoint tab (model with fake SDK clients, the rendered view) and of the Endpoints section's search,
 * sort and open buttons.
 *
 * @jest-environment-options {"customExportConditions": ["node", "require"]}
 */
import {
  DeleteEndpointCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeMonitoringScheduleCommand,
  ListMonitoringSchedulesCommand
} from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand } from '@aws-sdk/client-sagemaker-runtime';
import { nullTranslator } from '@jupyterlab/translation';
import { Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';

import { AwsServiceError, describeAwsError, ProxyError } from '../aws/errors';
import { createSageMakerRuntimeClient } from '../aws/sagemakerRuntimeClient';
import { EndpointDetailView } from '../registry/details/endpoint';
import { EndpointDetailModel } from '../registry/details/endpointModel';
import { EndpointsView } from '../registry/EndpointsView';
import { EndpointsModel } from '../registry/model';
import { fakeServer, json } from './fakeServer';

const trans = nullTranslator.load('jupyterlab_sagemaker_studio');

/** Let React commit what the widget asked for. */
const settle = () => new Promise(r => setTimeout(r, 50));

const LOCAL_MODEL_ERROR =
  'Endpoint prod is InService, but model containers do not run in local mode, so nothing can answer this invocation. Connect to an AWS account to test inference.';

/** A SageMaker account with one endpoint, answering the commands the tab sends. */
function fakeAccount(
  options: {
    status?: string[];
    schedules?: string[];
    monitoringError?: Error;
    deleteError?: Error;
  } = {}
) {
  const calls: string[] = [];
  const statuses = [...(options.status ?? ['InService'])];
  let deleted = false;
  const sagemaker = {
    send: async (command: any) => {
      const input = command.input;
      calls.push(command.constructor.name);
      if (command instanceof DescribeEndpointCommand) {
        if (deleted && statuses.length === 0) {
          throw new AwsServiceError(
            'ValidationException',
            `Could not find endpoint "arn:aws:sagemaker:us-east-1:123456789012:endpoint/${input.EndpointName}".`,
            { httpStatusCode: 400 }
          );
        }
        const status =
          statuses.length > 1 ? statuses.shift()! : (statuses[0] ?? 'Deleting');
        if (deleted && statuses.length === 1 && status === 'Deleting') {
          statuses.shift();
        }
        return {
          EndpointName: input.EndpointName,
          EndpointArn: `arn:aws:sagemaker:us-east-1:123456789012:endpoint/${input.EndpointName}`,
          EndpointStatus: status,
          EndpointConfigName: 'prod-config',
          CreationTime: new Date(1700000000000),
          LastModifiedTime: new Date(1700000100000),
          ProductionVariants: [
            {
              VariantName: 'AllTraffic',
              CurrentInstanceCount: 2,
              DesiredInstanceCount: 2,
              CurrentWeight: 1
            }
          ],
          DataCaptureConfig: {
            EnableCapture: true,
            CaptureStatus: 'Started',
            CurrentSamplingPercentage: 20,
            DestinationS3Uri: 's3://bucket/capture'
          }
        };
      }
      if (command instanceof DescribeEndpointConfigCommand) {
        return {
          EndpointConfigName: input.EndpointConfigName,
          EndpointConfigArn: 'arn:config',
          CreationTime: new Date(1699999999000),
          ProductionVariants: [
            {
              VariantName: 'AllTraffic',
              ModelName: 'prod-model',
              InstanceType: 'ml.m5.large',
              InitialInstanceCount: 1,
              InitialVariantWeight: 1
            },
            {
              VariantName: 'Shadow',
              ModelName: 'shadow-model',
              InstanceType: 'ml.m5.xlarge',
              InitialInstanceCount: 1,
              InitialVariantWeight: 0.5
            }
          ],
          DataCaptureConfig: {
            EnableCapture: true,
            InitialSamplingPercentage: 20,
            DestinationS3Uri: 's3://bucket/capture',
            CaptureOptions: [
              { CaptureMode: 'Input' },
              { CaptureMode: 'Output' }
            ]
          }
        };
      }
      if (command instanceof ListMonitoringSchedulesCommand) {
        if (options.monitoringError) {
          throw options.monitoringError;
        }
        expect(input.EndpointName).toBe('prod');
        return {
          MonitoringScheduleSummaries: (options.schedules ?? []).map(name => ({
            MonitoringScheduleName: name,
            MonitoringScheduleArn: `arn:schedule/${name}`,
            MonitoringScheduleStatus: 'Scheduled',
            MonitoringType: 'DataQuality',
            EndpointName: 'prod'
          }))
        };
      }
      if (command instanceof DescribeMonitoringScheduleCommand) {
        return {
          LastMonitoringExecutionSummary: {
            MonitoringExecutionStatus: 'CompletedWithViolations'
          }
        };
      }
      if (command instanceof DeleteEndpointCommand) {
        if (options.deleteError) {
          throw options.deleteError;
        }
        deleted = true;
        statuses.splice(0, statuses.length, 'Deleting');
        return {};
      }
      throw new Error(`unexpected command ${command.constructor.name}`);
    }
  };
  const invocations: any[] = [];
  let invokeAnswer: (() => any) | null = null;
  const runtime = {
    send: async (command: any) => {
      expect(command).toBeInstanceOf(InvokeEndpointCommand);
      invocations.push(command.input);
      if (!invokeAnswer) {
        const err: any = new Error(LOCAL_MODEL_ERROR);
        err.name = 'ModelError';
        err.$metadata = { httpStatusCode: 424 };
        err.OriginalStatusCode = 424;
        throw err;
      }
      return invokeAnswer();
    }
  };
  return {
    calls,
    invocations,
    answerWith: (answer: () => any) => (invokeAnswer = answer),
    finishDeleting: () => statuses.splice(0, statuses.length),
    sagemaker,
    runtime
  };
}

function fakeConnection(
  account: ReturnType<typeof fakeAccount>,
  mode: 'local' | 'aws' = 'local'
) {
  return {
    mode,
    region: 'us-east-1',
    changed: new Signal<any, void>({}),
    sagemaker: async () => account.sagemaker,
    sagemakerRuntime: async () => account.runtime,
    describeError: (err: unknown) => describeAwsError(err, trans, { mode })
  } as any;
}

describe('EndpointDetailModel', () => {
  let model: EndpointDetailModel | null = null;
  afterEach(() => {
    model?.dispose();
    model = null;
  });

  it('merges the endpoint, its config, data capture and monitoring schedules', async () => {
    const account = fakeAccount({ schedules: ['prod-quality'] });
    model = new EndpointDetailModel({
      connection: fakeConnection(account),
      name: 'prod',
      trans
    });
    await model.refresh();
    const endpoint = model.endpoint!;
    expect(endpoint).toMatchObject({
      name: 'prod',
      status: 'InService',
      configName: 'prod-config',
      configArn: 'arn:config',
      created: 1700000000000,
      monitoringError: null
    });
    expect(endpoint.variants).toEqual([
      {
        name: 'AllTraffic',
        modelName: 'prod-model',
        instanceType: 'ml.m5.large',
        initialInstanceCount: 1,
        currentInstanceCount: 2,
        desiredInstanceCount: 2,
        weight: 1,
        serverlessMemoryMB: null
      },
      {
        name: 'Shadow',
        modelName: 'shadow-model',
        instanceType: 'ml.m5.xlarge',
        initialInstanceCount: 1,
        currentInstanceCount: null,
        desiredInstanceCount: null,
        weight: 0.5,
        serverlessMemoryMB: null
      }
    ]);
    expect(endpoint.dataCapture).toEqual({
      enabled: true,
      status: 'Started',
      samplingPercentage: 20,
      destination: 's3://bucket/capture',
      captureModes: ['Input', 'Output']
    });
    expect(endpoint.monitoring).toEqual([
      {
        name: 'prod-quality',
        arn: 'arn:schedule/prod-quality',
        type: 'DataQuality',
        status: 'Scheduled',
        lastExecutionStatus: 'CompletedWithViolations'
      }
    ]);
    expect(model.consoleLinks).toBeNull();
  });

  it('keeps the endpoint when the schedules cannot be listed, with the reason', async () => {
    const account = fakeAccount({
      monitoringError: new AwsServiceError(
        'AccessDeniedException',
        'User: x is not authorized to perform: sagemaker:ListMonitoringSchedules',
        { httpStatusCode: 400 }
      )
    });
    model = new EndpointDetailModel({
      connection: fakeConnection(account),
      name: 'prod',
      trans
    });
    await model.refresh();
    expect(model.endpoint?.status).toBe('InService');
    expect(model.endpoint?.monitoring).toBeNull();
    expect(model.endpoint?.monitoringError).toBe(
      'You are not allowed to perform sagemaker:ListMonitoringSchedules. Ask your AWS administrator to grant this permission.'
    );
  });

  it('refuses invalid JSON without sending, and shows local mode’s ModelError as its sentence', async () => {
    const account = fakeAccount();
    model = new EndpointDetailModel({
      connection: fakeConnection(account),
      name: 'prod',
      trans
    });
    await model.invoke('{"instances": [1, 2', 'application/json');
    expect(model.inference.status).toBe('invalid');
    expect(model.inference.message).toMatch(
      /^The body is not valid JSON, so nothing was sent: /
    );
    await model.invoke('   ', 'text/csv');
    expect(model.inference.message).toBe('Enter a request body to send.');
    expect(account.invocations).toEqual([]);

    await model.invoke('{"instances": [[1, 2]]}', 'application/json');
    expect(account.invocations).toHaveLength(1);
    expect(account.invocations[0]).toMatchObject({
      EndpointName: 'prod',
      ContentType: 'application/json'
    });
    expect(new TextDecoder().decode(account.invocations[0].Body)).toBe(
      '{"instances": [[1, 2]]}'
    );
    expect(model.inference).toMatchObject({
      status: 'failed',
      message: LOCAL_MODEL_ERROR
    });
  });

  it('shows an answer, pretty-printed when it is JSON; CSV is sent as it is', async () => {
    const account = fakeAccount();
    account.answerWith(() => ({
      Body: new TextEncoder().encode('{"predictions":[0.91]}'),
      ContentType: 'application/json',
      InvokedProductionVariant: 'AllTraffic'
    }));
    model = new EndpointDetailModel({
      connection: fakeConnection(account, 'aws'),
      name: 'prod',
      trans
    });
    await model.invoke('1,2,3\n', 'text/csv');
    expect(account.invocations[0].ContentType).toBe('text/csv');
    expect(model.inference).toEqual({
      status: 'answered',
      message: null,
      output: '{\n  "predictions": [\n    0.91\n  ]\n}',
      contentType: 'application/json',
      variant: 'AllTraffic'
    });
  });

  it('deletes, announces it, follows Deleting and then says the endpoint is gone', async () => {
    const account = fakeAccount();
    const notified: unknown[] = [];
    model = new EndpointDetailModel({
      connection: fakeConnection(account),
      name: 'prod',
      trans,
      notify: change => notified.push(change),
      refreshInterval: 20
    });
    await model.refresh();
    expect(await model.delete()).toBe(true);
    expect(notified).toEqual([
      { kind: 'endpoint', name: 'prod', change: 'deleted' }
    ]);
    expect(model.endpoint?.status).toBe('Deleting');
    expect(model.actionError).toBeNull();
    // The poll keeps refreshing while the endpoint is Deleting; once DescribeEndpoint cannot find it, it is gone.
    account.finishDeleting();
    const deadline = Date.now() + 2000;
    while (!model.gone && Date.now() < deadline) {
      await new Promise(r => setTimeout(r, 20));
    }
    expect(model.gone).toBe(true);
    expect(model.endpoint).toBeNull();
    // Gone is announced too, so lists that still show the endpoint (as Deleting) refresh.
    expect(notified).toHaveLength(2);
    expect(model.resource.error).toBeNull();
    // Gone is not a changing state: the poll stops asking.
    const describes = account.calls.filter(
      c => c === 'DescribeEndpointCommand'
    ).length;
    await new Promise(r => setTimeout(r, 100));
    expect(
      account.calls.filter(c => c === 'DescribeEndpointCommand').length
    ).toBe(describes);
  });

  it('explains a refused delete (read-only server) and keeps the endpoint', async () => {
    const account = fakeAccount({
      deleteError: new ProxyError(
        'ReadOnly',
        'This JupyterLab server is read-only, so DeleteEndpoint (sagemaker) is not allowed.',
        403
      )
    });
    const notified: unknown[] = [];
    model = new EndpointDetailModel({
      connection: fakeConnection(account),
      name: 'prod',
      trans,
      notify: change => notified.push(change)
    });
    await model.refresh();
    expect(await model.delete()).toBe(false);
    expect(model.actionError).toBe(
      'This connection is read-only, so the change was not sent. Turn off `SageMakerStudio.read_only` on the server to make changes.'
    );
    expect(notified).toEqual([]);
    expect(model.endpoint?.status).toBe('InService');
  });

  it('gives console and CloudWatch links in AWS mode only', async () => {
    const account = fakeAccount();
    model = new EndpointDetailModel({
      connection: fakeConnection(account, 'aws'),
      name: 'prod',
      trans
    });
    expect(model.consoleLinks).toEqual({
      console:
        'https://us-east-1.console.aws.amazon.com/sagemaker/home?region=us-east-1#/endpoints/prod',
      metrics:
        'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#metricsV2:graph=~();namespace=AWS/SageMaker;dimensions=EndpointName,VariantName;search=prod'
    });
    expect(EndpointDetailModel.consoleLinks('cn-north-1', 'a').console).toBe(
      'https://console.amazonaws.cn/sagemaker/home?region=cn-north-1#/endpoints/a'
    );
  });
});

describe('createSageMakerRuntimeClient', () => {
  it('sends InvokeEndpoint through the sagemaker-runtime proxy route', async () => {
    const server = fakeServer();
    server.answers.push(json({ predictions: [1] }));
    const client = createSageMakerRuntimeClient({
      serverSettings: server.settings,
      region: 'eu-west-1',
      retry: { maxAttempts: 1 } as any
    });
    // Jest loads the SDK's node build, whose stream collector cannot read the fetch answer; the request is the
    // point here (the answer is read in the browser, which the Galata spec covers).
    await client
      .send(
        new InvokeEndpointCommand({
          EndpointName: 'my endpoint',
          ContentType: 'text/csv',
          Accept: 'application/json',
          Body: new TextEncoder().encode('1,2\n')
        })
      )
      .catch(() => undefined);
    const sent = server.requests[0];
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe(
      'http://localhost:8888/lab/base/sagemaker-studio/aws/sagemaker-runtime/eu-west-1/endpoints/my%20endpoint/invocations'
    );
    expect(sent.headers.get('content-type')).toBe('text/csv');
    expect(sent.headers.get('accept')).toBe('application/json');
    expect(sent.headers.get('authorization')).toBe('token test-token');
    expect(server.bodies[0]).toBe('1,2\n');
    client.destroy();
  });
});

describe('EndpointDetailView', () => {
  it('shows variants, data capture, monitoring and the invalid-JSON sentence', async () => {
    const account = fakeAccount();
    const model = new EndpointDetailModel({
      connection: fakeConnection(account),
      name: 'prod',
      trans
    });
    await model.refresh();
    const view = new EndpointDetailView({ model, trans });
    Widget.attach(view, document.body);
    view.update();
    await settle();
    const part = (id: string) =>
      view.node.querySelector(`[data-testid="sagemaker-endpoint-${id}"]`);
    expect(
      part('variants')?.querySelector('[data-variant="AllTraffic"]')
        ?.textContent
    ).toBe('AllTrafficprod-modelml.m5.large121');
    expect(part('data-capture')?.textContent).toContain('20 %');
    expect(part('data-capture')?.textContent).toContain('Requests, Responses');
    expect(part('monitoring-empty')?.textContent).toContain(
      'No monitoring schedule watches this endpoint.'
    );
    // No console links in local mode.
    expect(view.node.querySelector('a[href*="console"]')).toBeNull();
    await model.invoke('not json', 'application/json');
    await settle();
    expect(part('inference-message')?.textContent).toMatch(
      /^The body is not valid JSON, so nothing was sent/
    );
    view.dispose();
    expect(model.isDisposed).toBe(true);
  });
});

describe('EndpointDetailView and Model Monitor', () => {
  it('offers the Model Monitor dashboard when schedules watch the endpoint', async () => {
    const account = fakeAccount({ schedules: ['prod-quality'] });
    const model = new EndpointDetailModel({
      connection: fakeConnection(account),
      name: 'prod',
      trans
    });
    await model.refresh();
    const opened: string[] = [];
    const view = new EndpointDetailView({
      model,
      trans,
      openMonitor: () => opened.push('prod')
    });
    Widget.attach(view, document.body);
    view.update();
    await settle();
    const button = view.node.querySelector<HTMLButtonElement>(
      '[data-testid="sagemaker-endpoint-open-monitor"]'
    );
    expect(button?.textContent).toBe('Open Model Monitor dashboard');
    button!.click();
    expect(opened).toEqual(['prod']);
    view.dispose();
  });

  it('has no dashboard button without schedules or without the monitor plugin', async () => {
    const account = fakeAccount({ schedules: ['prod-quality'] });
    const model = new EndpointDetailModel({
      connection: fakeConnection(account),
      name: 'prod',
      trans
    });
    await model.refresh();
    const view = new EndpointDetailView({ model, trans });
    Widget.attach(view, document.body);
    view.update();
    await settle();
    expect(
      view.node.querySelector('[data-testid="sagemaker-endpoint-open-monitor"]')
    ).toBeNull();
    view.dispose();
  });
});

describe('Endpoints section', () => {
  function endpoint(name: string, created: number) {
    return {
      name,
      arn: `arn:${name}`,
      status: 'InService',
      created,
      modified: created,
      variants: [],
      failureReason: null,
      detailsError: null
    };
  }

  function sectionModel() {
    const fetch = jest.fn(async (_client: unknown, options: any) => {
      const all = [
        endpoint('alpha-prod', 3),
        endpoint('beta-staging', 1),
        endpoint('gamma-prod', 2)
      ];
      return {
        endpoints: all.filter(e => e.name.includes(options.nameContains)),
        truncated: false
      };
    });
    const model = new EndpointsModel({
      connection: {
        changed: new Signal<any, void>({}),
        state: { mode: 'local', region: 'us-east-1', profile: null },
        region: 'us-east-1',
        sagemaker: async () => ({}),
        describeError: String
      } as any,
      load: async () => ({ fetchEndpoints: fetch }) as any,
      searchDelay: 10
    });
    return { model, fetch };
  }

  it('filters at once, then asks the server with NameContains; sorts by creation', async () => {
    const { model, fetch } = sectionModel();
    await model.refresh();
    expect(model.items.map(e => e.name)).toEqual([
      'alpha-prod',
      'beta-staging',
      'gamma-prod'
    ]);
    model.setSearch('prod');
    expect(model.items.map(e => e.name)).toEqual(['alpha-prod', 'gamma-prod']);
    await new Promise(r => setTimeout(r, 50));
    await model.refresh();
    expect(fetch.mock.calls.map(c => (c[1] as any).nameContains)).toContain(
      'prod'
    );
    expect(model.endpoints).toHaveLength(2);
    model.setSort({ by: 'created', order: 'desc' });
    expect(model.items.map(e => e.name)).toEqual(['alpha-prod', 'gamma-prod']);
    model.setSort({ by: 'created', order: 'asc' });
    expect(model.items.map(e => e.name)).toEqual(['gamma-prod', 'alpha-prod']);
    model.dispose();
  });

  it('rows open the endpoint tab with a keyboard-reachable button', async () => {
    const { model } = sectionModel();
    await model.refresh();
    const opened: string[] = [];
    const view = new EndpointsView({
      model,
      trans,
      onOpen: name => opened.push(name)
    });
    Widget.attach(view, document.body);
    view.update();
    await settle();
    const buttons = view.node.querySelectorAll<HTMLButtonElement>(
      'button.jp-SageMakerRegistry-rowOpen'
    );
    expect([...buttons].map(b => b.textContent)).toEqual([
      'alpha-prod',
      'beta-staging',
      'gamma-prod'
    ]);
    buttons[1].click();
    expect(opened).toEqual(['beta-staging']);
    const search = view.node.querySelector<HTMLInputElement>(
      '[data-testid="sagemaker-studio-endpoints-search"]'
    );
    expect(search).not.toBeNull();
    view.dispose();
    model.dispose();
  });

  it('marks endpoints whose latest monitoring execution found violations', async () => {
    const fetch = jest.fn(async () => ({
      endpoints: [endpoint('alpha-prod', 1), endpoint('beta-prod', 2)],
      truncated: false
    }));
    const violations = jest.fn(async () => new Set(['beta-prod']));
    const model = new EndpointsModel({
      connection: {
        changed: new Signal<any, void>({}),
        state: { mode: 'local', region: 'us-east-1', profile: null },
        region: 'us-east-1',
        sagemaker: async () => ({}),
        describeError: String
      } as any,
      load: async () =>
        ({
          fetchEndpoints: fetch,
          fetchMonitoringViolations: violations
        }) as any
    });
    await model.refresh();
    await settle();
    expect(model.hasMonitoringViolations('beta-prod')).toBe(true);
    expect(model.hasMonitoringViolations('alpha-prod')).toBe(false);
    const view = new EndpointsView({ model, trans });
    Widget.attach(view, document.body);
    view.update();
    await settle();
    const badges = view.node.querySelectorAll(
      '[data-testid="sagemaker-endpoint-monitor-violations"]'
    );
    expect(badges).toHaveLength(1);
    expect(
      badges[0]
        .closest('[data-endpoint-name]')
        ?.getAttribute('data-endpoint-name')
    ).toBe('beta-prod');
    view.dispose();
    model.dispose();
  });

  it('shows no badges when the schedules cannot be read', async () => {
    const model = new EndpointsModel({
      connection: {
        changed: new Signal<any, void>({}),
        state: { mode: 'local', region: 'us-east-1', profile: null },
        region: 'us-east-1',
        sagemaker: async () => ({}),
        describeError: String
      } as any,
      load: async () =>
        ({
          fetchEndpoints: async () => ({
            endpoints: [endpoint('alpha-prod', 1)],
            truncated: false
          }),
          fetchMonitoringViolations: async () => {
            throw new Error('AccessDenied');
          }
        }) as any
    });
    await model.refresh();
    await settle();
    expect(model.status).toBe('ready');
    expect(model.error).toBeNull();
    expect(model.hasMonitoringViolations('alpha-prod')).toBe(false);
    model.dispose();
  });
});
