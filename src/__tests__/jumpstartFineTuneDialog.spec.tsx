/**
 * Tests of the JumpStart fine-tune form and its command with the real spec of pytorch-ic-mobilenet-v2 and a fake
 * SageMaker client: defaults, role prefill in local mode, inline errors that send nothing, and a job that
 * completes with its model artifacts shown.
 *
 * @jest-environment-options {"customExportConditions": ["node", "require"]}
 */
import * as fs from 'fs';
import * as path from 'path';

import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';
import { Widget } from '@lumino/widgets';

import {
  CommandIDs,
  FineTunePanel,
  registerFineTuneCommand
} from '../jumpstart/FineTuneDialog';
import type { ITrainingSpec } from '../jumpstart/fineTuneRequest';

const trans = nullTranslator.load('jupyterlab_sagemaker_studio');
const settle = () => new Promise(r => setTimeout(r, 50));

const spec: ITrainingSpec = JSON.parse(
  fs.readFileSync(
    path.join(
      __dirname,
      '../../jupyterlab_sagemaker_studio/local/jumpstart_data/pytorch-ic-mobilenet-v2.json'
    ),
    'utf8'
  )
);

function fakeConnection(statuses: string[]) {
  const sent: Array<{ name: string; input: any }> = [];
  const client = {
    send: jest.fn(async (command: any) => {
      const name = command.constructor.name.replace(/Command$/, '');
      sent.push({ name, input: command.input });
      if (name !== 'DescribeTrainingJob') {
        return { TrainingJobArn: 'arn' };
      }
      const status = statuses.shift() ?? 'Completed';
      return {
        TrainingJobStatus: status,
        SecondaryStatus: status === 'InProgress' ? 'Training' : status,
        ModelArtifacts:
          status === 'Completed'
            ? {
                S3ModelArtifacts: `s3://sagemaker-us-east-1-000000000000/jumpstart-training/${command.input.TrainingJobName}/output/model.tar.gz`
              }
            : undefined
      };
    })
  };
  const connection = {
    mode: 'local',
    region: 'us-east-1',
    sagemaker: async () => client,
    fetchIdentity: async () => ({
      account: '000000000000',
      arn: 'arn:aws:sts::000000000000:assumed-role/LocalRole/session',
      userId: 'x'
    }),
    describeError: (err: unknown) => String(err)
  } as any;
  return { connection, sent };
}

function query<T extends HTMLElement>(panel: Widget, id: string): T {
  return panel.node.querySelector(
    `[data-testid="sagemaker-studio-jumpstart-finetune${id}"]`
  ) as T;
}

function field(panel: Widget, name: string): HTMLInputElement {
  return panel.node.querySelector(
    `[data-testid="sagemaker-studio-jumpstart-finetune-field"][data-name="${name}"]`
  ) as HTMLInputElement;
}

function setValue(el: HTMLInputElement, value: string) {
  const setter = Object.getOwnPropertyDescriptor(
    HTMLInputElement.prototype,
    'value'
  )!.set!;
  setter.call(el, value);
  el.dispatchEvent(new Event('input', { bubbles: true }));
}

describe('FineTunePanel', () => {
  let panel: FineTunePanel;
  afterEach(() => panel?.dispose());

  it('shows the hyperparameters with their defaults, the default data set and the local role', async () => {
    const { connection } = fakeConnection([]);
    panel = new FineTunePanel({ connection, spec, trans });
    Widget.attach(panel, document.body);
    await settle();
    expect(field(panel, 'epochs').value).toBe('5');
    expect(field(panel, 'train_only_top_layer').tagName).toBe('SELECT');
    expect(field(panel, 'sagemaker_program')).toBeNull();
    expect(query<HTMLSelectElement>(panel, '-instance-type').value).toBe(
      'ml.m5.xlarge'
    );
    expect(query<HTMLInputElement>(panel, '-data').value).toBe(
      's3://jumpstart-cache-prod-us-east-1/training-datasets/tf_flowers/'
    );
    expect(query<HTMLInputElement>(panel, '-name').value).toMatch(
      /^pytorch-ic-mobilenet-v2-ft-\d{8}-\d{6}$/
    );
    expect(query<HTMLInputElement>(panel, '-role').value).toBe(
      'arn:aws:iam::000000000000:role/LocalRole'
    );
  });

  it('shows the sentence of an out-of-range value and sends nothing', async () => {
    const { connection, sent } = fakeConnection([]);
    panel = new FineTunePanel({ connection, spec, trans });
    Widget.attach(panel, document.body);
    await settle();
    setValue(field(panel, 'epochs'), '100000');
    await settle();
    query<HTMLButtonElement>(panel, '-submit').click();
    await settle();
    expect(query<HTMLElement>(panel, '-error').textContent).toBe(
      'epochs must be at most 1000'
    );
    expect(query<HTMLElement>(panel, '-status')).toBeNull();
    expect(sent).toEqual([]);
  });

  it('creates the job and follows it until Completed, showing the model location', async () => {
    const { connection, sent } = fakeConnection(['InProgress', 'Completed']);
    panel = new FineTunePanel({ connection, spec, trans, pollInterval: 1 });
    Widget.attach(panel, document.body);
    await settle();
    setValue(query<HTMLInputElement>(panel, '-name'), 'my-ft-job');
    setValue(field(panel, 'epochs'), '2');
    await settle();
    query<HTMLButtonElement>(panel, '-submit').click();
    await settle();
    await settle();
    expect(sent[0].name).toBe('CreateTrainingJob');
    expect(sent[0].input.HyperParameters.epochs).toBe('"2"');
    expect(sent[0].input.OutputDataConfig.S3OutputPath).toBe(
      's3://sagemaker-us-east-1-000000000000/jumpstart-training/'
    );
    expect(sent[0].input.RoleArn).toBe(
      'arn:aws:iam::000000000000:role/LocalRole'
    );
    const status = query<HTMLElement>(panel, '-status').textContent ?? '';
    expect(status).toContain('Training job my-ft-job');
    expect(status).toContain('CreateTrainingJob ✓');
    expect(status).toContain(
      'Training job my-ft-job completed. The fine-tuned model is at s3://sagemaker-us-east-1-000000000000/jumpstart-training/my-ft-job/output/model.tar.gz'
    );
  });

  it('shows the FailureReason of a failed job', async () => {
    const { connection } = fakeConnection([]);
    const client = await connection.sagemaker();
    client.send.mockImplementation(async (command: any) =>
      command.constructor.name === 'DescribeTrainingJobCommand'
        ? { TrainingJobStatus: 'Failed', FailureReason: 'AlgorithmError: boom' }
        : {}
    );
    panel = new FineTunePanel({ connection, spec, trans, pollInterval: 1 });
    Widget.attach(panel, document.body);
    await settle();
    query<HTMLButtonElement>(panel, '-submit').click();
    await settle();
    await settle();
    expect(query<HTMLElement>(panel, '-status').textContent).toContain(
      'ended Failed: AlgorithmError: boom'
    );
  });
});

describe('registerFineTuneCommand', () => {
  it('reads the spec through the callback and opens the form', async () => {
    const { connection } = fakeConnection([]);
    const commands = new CommandRegistry();
    const added: Widget[] = [];
    const app = {
      commands,
      shell: { add: (w: Widget) => added.push(w) }
    } as any;
    const loadSpec = jest.fn(async () => spec);
    registerFineTuneCommand(app, connection, loadSpec, trans);
    expect(CommandIDs.fineTune).toBe(
      'sagemaker-studio:fine-tune-jumpstart-model'
    );
    await commands.execute(CommandIDs.fineTune, {
      modelId: 'pytorch-ic-mobilenet-v2',
      version: '3.0.25'
    });
    expect(loadSpec).toHaveBeenCalledWith('pytorch-ic-mobilenet-v2', '3.0.25');
    expect(added).toHaveLength(1);
    expect(added[0].title.label).toBe('Fine-tune pytorch-ic-mobilenet-v2');
    added[0].dispose();
  });
});
