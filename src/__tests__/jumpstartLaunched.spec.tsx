/**
 * The "launched" list: two Search calls by the JumpStart model-id tag, merged newest first, statuses and failure
 * reasons kept, a failed read as a sentence (the last list stays), and the view's rows and links.
 */
import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { LaunchedModel } from '../jumpstart/launched';
import { LaunchedView } from '../jumpstart/LaunchedView';

const TAG = 'sagemaker-sdk:jumpstart-model-id';
const VERSION_TAG = 'sagemaker-sdk:jumpstart-model-version';

/** Let React commit what the widget asked for. */
const settle = () => new Promise(r => setTimeout(r, 50));

function fakeConnection() {
  const sent: any[] = [];
  let fail: Error | null = null;
  const client = {
    send: jest.fn(async (command: any) => {
      sent.push(command.input);
      if (fail) {
        throw fail;
      }
      if (command.input.Resource === 'Endpoint') {
        return {
          Results: [
            {
              Endpoint: {
                EndpointName: 'js-mobilenet',
                EndpointStatus: 'Creating',
                CreationTime: new Date('2026-12-03T10:00:00Z'),
                Tags: [
                  { Key: TAG, Value: 'pytorch-ic-mobilenet-v2' },
                  { Key: VERSION_TAG, Value: '3.0.6' }
                ]
              }
            }
          ]
        };
      }
      return {
        Results: [
          {
            TrainingJob: {
              TrainingJobName: 'js-tuned',
              TrainingJobStatus: 'Completed',
              CreationTime: new Date('2026-12-03T11:00:00Z'),
              ResourceConfig: { InstanceType: 'ml.g4dn.xlarge' },
              ModelArtifacts: { S3ModelArtifacts: 's3://b/out/model.tar.gz' },
              Tags: [{ Key: TAG, Value: 'pytorch-ic-mobilenet-v2' }]
            }
          },
          {
            TrainingJob: {
              TrainingJobName: 'js-broken',
              TrainingJobStatus: 'Failed',
              FailureReason: 'AlgorithmError: bad data',
              CreationTime: new Date('2026-12-03T09:00:00Z'),
              Tags: [{ Key: TAG, Value: 'huggingface-tc-bert' }]
            }
          }
        ]
      };
    })
  };
  const connection = {
    sagemaker: async () => client,
    describeError: (err: unknown) =>
      err instanceof Error ? err.message : String(err)
  } as any;
  return {
    connection,
    sent,
    failWith: (err: Error | null) => {
      fail = err;
    }
  };
}

describe('LaunchedModel', () => {
  it('searches endpoints and training jobs by the model-id tag, newest first', async () => {
    const { connection, sent } = fakeConnection();
    const model = new LaunchedModel({ connection });
    expect(model.status).toBe('idle');
    await model.start();
    expect(sent.map(i => i.Resource).sort()).toEqual([
      'Endpoint',
      'TrainingJob'
    ]);
    for (const input of sent) {
      expect(input.SearchExpression).toEqual({
        Filters: [{ Name: `Tags.${TAG}`, Operator: 'Exists' }]
      });
      expect(input.SortBy).toBe('CreationTime');
      expect(input.SortOrder).toBe('Descending');
    }
    expect(model.status).toBe('ready');
    expect(model.items.map(i => [i.kind, i.name, i.status])).toEqual([
      ['training-job', 'js-tuned', 'Completed'],
      ['endpoint', 'js-mobilenet', 'Creating'],
      ['training-job', 'js-broken', 'Failed']
    ]);
    const [tuned, endpoint, broken] = model.items;
    expect(tuned.instanceType).toBe('ml.g4dn.xlarge');
    expect(tuned.modelArtifacts).toBe('s3://b/out/model.tar.gz');
    expect(endpoint.version).toBe('3.0.6');
    expect(endpoint.modelId).toBe('pytorch-ic-mobilenet-v2');
    expect(broken.reason).toBe('AlgorithmError: bad data');
    model.dispose();
  });

  it('says why a read failed and keeps the last list', async () => {
    const { connection, failWith } = fakeConnection();
    const model = new LaunchedModel({ connection });
    failWith(new Error('AccessDeniedException: not allowed to Search'));
    await model.start();
    expect(model.status).toBe('error');
    expect(model.error).toContain('not allowed to Search');
    failWith(null);
    await model.refresh();
    expect(model.status).toBe('ready');
    expect(model.items).toHaveLength(3);
    failWith(new Error('ThrottlingException: Rate exceeded'));
    await model.refresh();
    expect(model.status).toBe('ready');
    expect(model.items).toHaveLength(3);
    expect(model.error).toContain('Rate exceeded');
    await model.reset();
    model.dispose();
  });
});

describe('LaunchedView', () => {
  it('lists rows with status, reason and model links', async () => {
    const { connection } = fakeConnection();
    const model = new LaunchedModel({ connection });
    const openedEndpoints: string[] = [];
    const openedModels: string[] = [];
    const view = new LaunchedView({
      model,
      trans: nullTranslator.load('test'),
      onOpenEndpoint: name => openedEndpoints.push(name),
      onOpenModel: id => openedModels.push(id)
    });
    Widget.attach(view, document.body);
    await model.start();
    await settle();
    const text = view.node.textContent ?? '';
    expect(text).toContain('Launched (3)');
    expect(text).toContain('AlgorithmError: bad data');
    expect(text).toContain('Fine-tuned model: s3://b/out/model.tar.gz');
    const endpointRow = view.node.querySelector(
      '[data-kind="endpoint"][data-name="js-mobilenet"]'
    ) as HTMLElement;
    expect(endpointRow.textContent).toContain('Creating');
    (
      endpointRow.querySelector(
        '.jp-SageMakerJumpStartLaunched-name'
      ) as HTMLButtonElement
    ).click();
    (
      endpointRow.querySelector(
        '.jp-SageMakerJumpStartLaunched-model'
      ) as HTMLButtonElement
    ).click();
    expect(openedEndpoints).toEqual(['js-mobilenet']);
    expect(openedModels).toEqual(['pytorch-ic-mobilenet-v2']);
    Widget.detach(view);
    model.dispose();
  });
});
