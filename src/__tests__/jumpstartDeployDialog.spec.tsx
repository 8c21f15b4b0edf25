/**
 * Tests of the JumpStart deploy form: defaults, role prefill in local mode, inline errors, and a deployment that
 * reaches InService with a fake SageMaker client.
 *
 * @jest-environment-options {"customExportConditions": ["node", "require"]}
 */
import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { CommandRegistry } from '@lumino/commands';

import {
  CommandIDs,
  DeployPanel,
  registerDeployCommand
} from '../jumpstart/DeployDialog';
import type { IHostingSpec } from '../jumpstart/deployRequest';

const trans = nullTranslator.load('jupyterlab_sagemaker_studio');
const settle = () => new Promise(r => setTimeout(r, 50));

const spec: IHostingSpec = {
  model_id: 'pytorch-ic-mobilenet-v2',
  version: '3.0.25',
  default_inference_instance_type: 'ml.m5.xlarge',
  supported_inference_instance_types: ['ml.m5.large', 'ml.m5.xlarge'],
  hosting_prepacked_artifact_key:
    'pytorch-ic/x/artifacts/inference-prepack/v1.0.0/',
  inference_environment_variables: [],
  hosting_instance_type_variants: {
    regional_aliases: { 'us-east-1': { cpu: 'img:cpu' } },
    variants: { m5: { regional_properties: { image_uri: '$cpu' } } }
  }
};

function fakeConnection(statuses: string[]) {
  const sent: string[] = [];
  const client = {
    send: jest.fn(async (command: any) => {
      const name = command.constructor.name.replace(/Command$/, '');
      sent.push(name);
      return name === 'DescribeEndpoint'
        ? { EndpointStatus: statuses.shift() ?? 'InService' }
        : {};
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
    `[data-testid="sagemaker-studio-jumpstart-deploy${id}"]`
  ) as T;
}

function setValue(el: HTMLInputElement, value: string) {
  const setter = Object.getOwnPropertyDescriptor(
    HTMLInputElement.prototype,
    'value'
  )!.set!;
  setter.call(el, value);
  el.dispatchEvent(new Event('input', { bubbles: true }));
}

describe('DeployPanel', () => {
  let panel: DeployPanel;
  afterEach(() => panel?.dispose());

  it('preselects the default instance type, a default name and the local role', async () => {
    const { connection } = fakeConnection([]);
    panel = new DeployPanel({ connection, spec, trans });
    Widget.attach(panel, document.body);
    await settle();
    expect(query<HTMLSelectElement>(panel, '-instance-type').value).toBe(
      'ml.m5.xlarge'
    );
    expect(query<HTMLInputElement>(panel, '-name').value).toMatch(
      /^pytorch-ic-mobilenet-v2-\d{8}-\d{6}$/
    );
    expect(query<HTMLInputElement>(panel, '-role').value).toBe(
      'arn:aws:iam::000000000000:role/LocalRole'
    );
    expect(panel.node.textContent).toContain('model containers do not run');
  });

  it('shows the validator sentence and sends nothing', async () => {
    const { connection, sent } = fakeConnection([]);
    panel = new DeployPanel({ connection, spec, trans });
    Widget.attach(panel, document.body);
    await settle();
    setValue(query<HTMLInputElement>(panel, '-name'), 'bad_name');
    await settle();
    query<HTMLButtonElement>(panel, '-submit').click();
    await settle();
    expect(panel.node.textContent).toContain(
      'The endpoint name "bad_name" is not valid'
    );
    expect(sent).toEqual([]);
  });

  it('deploys and shows the steps until InService', async () => {
    const { connection, sent } = fakeConnection(['Creating', 'InService']);
    panel = new DeployPanel({ connection, spec, trans, pollInterval: 1 });
    Widget.attach(panel, document.body);
    await settle();
    setValue(query<HTMLInputElement>(panel, '-name'), 'my-ep');
    await settle();
    query<HTMLButtonElement>(panel, '-submit').click();
    await settle();
    await settle();
    expect(sent.slice(0, 3)).toEqual([
      'CreateModel',
      'CreateEndpointConfig',
      'CreateEndpoint'
    ]);
    const status = query<HTMLElement>(panel, '-status').textContent ?? '';
    expect(status).toContain('Endpoint my-ep');
    expect(status).toContain('CreateModel ✓');
    expect(status).toContain('CreateEndpoint ✓');
    expect(status).toContain('Endpoint my-ep is InService.');
  });
});

describe('registerDeployCommand', () => {
  it('reads the spec through the callback and opens the form', async () => {
    const { connection } = fakeConnection([]);
    const commands = new CommandRegistry();
    const added: Widget[] = [];
    const app = {
      commands,
      shell: { add: (w: Widget) => added.push(w) }
    } as any;
    const loadSpec = jest.fn(async () => spec);
    registerDeployCommand(app, connection, loadSpec, trans);
    expect(CommandIDs.deploy).toBe('sagemaker-studio:deploy-jumpstart-model');
    await commands.execute(CommandIDs.deploy, {
      modelId: 'pytorch-ic-mobilenet-v2',
      version: '3.0.25'
    });
    expect(loadSpec).toHaveBeenCalledWith('pytorch-ic-mobilenet-v2', '3.0.25');
    expect(added).toHaveLength(1);
    expect(added[0].title.label).toBe('Deploy pytorch-ic-mobilenet-v2');
    added[0].dispose();
  });
});
