/**
 * Tests of the notebook's instance choice in its metadata (other metadata untouched, the kernel-bar model follows
 * changes) and of the picker's body: sort headers, the minimum-memory sentence, keyboard selection and Enter.
 */
import { MessageLoop } from '@lumino/messaging';
import { Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';
import { nullTranslator } from '@jupyterlab/translation';

import { IInstanceTable, InstanceCatalog } from '../instances/catalog';
import { imagesFor } from '../instances/images';
import { InstancePickerBody } from '../instances/InstancePicker';
import {
  NotebookInstanceModel,
  readInstanceChoice,
  writeInstanceChoice
} from '../instances/notebookInstance';

/** A notebook model's metadata API, as INotebookModel has it. */
class FakeNotebook {
  metadata: Record<string, unknown> = {};
  metadataChanged = new Signal<this, unknown>(this);
  getMetadata(key: string): unknown {
    return this.metadata[key];
  }
  setMetadata(key: string, value: unknown): void {
    this.metadata = { ...this.metadata, [key]: value };
    this.metadataChanged.emit({ key });
  }
}

const hardware = (type: string, vcpu: number, memoryGiB: number, gpus = 0) => ({
  type,
  family: type.split('.')[1],
  category: (gpus ? 'accelerated' : 'standard') as InstanceCatalog.Category,
  vcpu,
  memoryGiB,
  gpuCount: gpus,
  gpuModel: gpus ? 'T4' : null,
  gpuMemoryGiB: gpus * 16,
  fastLaunch: true,
  notebook: true,
  training: true
});

const table: IInstanceTable = {
  botocore: 'test',
  sources: [],
  skippedTypes: [],
  instances: [
    hardware('ml.t3.medium', 2, 4),
    hardware('ml.m5.large', 2, 8),
    hardware('ml.g4dn.xlarge', 4, 16, 1)
  ]
};

describe('instance choice in notebook metadata', () => {
  it('writes instance_type and merges the image into sagemaker_studio, leaving other metadata untouched', () => {
    const notebook = new FakeNotebook();
    notebook.metadata = {
      kernelspec: { name: 'python3', display_name: 'Python 3' },
      language_info: { name: 'python' },
      sagemaker_studio: { other: 'kept' },
      tags: ['x']
    };
    const before = JSON.parse(JSON.stringify(notebook.metadata));
    writeInstanceChoice(notebook, {
      instanceType: 'ml.g4dn.xlarge',
      image: 'uri:gpu',
      imageName: 'SageMaker Distribution 3.2 (GPU)'
    });
    expect(notebook.metadata).toEqual({
      ...before,
      instance_type: 'ml.g4dn.xlarge',
      sagemaker_studio: {
        other: 'kept',
        image: 'uri:gpu',
        imageName: 'SageMaker Distribution 3.2 (GPU)'
      }
    });
    expect(readInstanceChoice(notebook)).toEqual({
      instanceType: 'ml.g4dn.xlarge',
      image: 'uri:gpu',
      imageName: 'SageMaker Distribution 3.2 (GPU)'
    });
    writeInstanceChoice(notebook, {
      instanceType: 'ml.t3.medium',
      image: null,
      imageName: null
    });
    expect(notebook.metadata.sagemaker_studio).toEqual({ other: 'kept' });
    expect(notebook.metadata.kernelspec).toEqual(before.kernelspec);
    expect(readInstanceChoice(new FakeNotebook())).toBeNull();
  });

  it('the kernel-bar model follows metadata changes and looks the hardware up', async () => {
    const notebook = new FakeNotebook();
    const model = new NotebookInstanceModel({
      model: notebook,
      lookup: async type => table.instances.find(r => r.type === type) ?? null
    });
    expect(model.choice).toBeNull();
    const changed = new Promise<void>(resolve => {
      model.changed.connect(() => {
        if (model.instance) {
          resolve();
        }
      });
    });
    writeInstanceChoice(notebook, {
      instanceType: 'ml.g4dn.xlarge',
      image: null,
      imageName: null
    });
    await changed;
    expect(model.instance?.gpuCount).toBe(1);
    model.dispose();
    expect(model.isDisposed).toBe(true);
  });
});

describe('InstancePickerBody', () => {
  const render = async (body: InstancePickerBody) => {
    MessageLoop.sendMessage(body, Widget.Msg.UpdateRequest);
    await new Promise(resolve => setTimeout(resolve, 0));
  };

  const open = async (quotas?: Map<string, number>) => {
    const catalog = new InstanceCatalog({ table, region: 'us-east-1', quotas });
    const body = new InstancePickerBody({
      catalog,
      images: imagesFor('us-east-1'),
      region: 'us-east-1',
      recent: [],
      notes: ['Quotas could not be read: no route.'],
      state: InstancePickerBody.initialState('ml.m5.large'),
      trans: nullTranslator.load('test')
    });
    Widget.attach(body, document.body);
    await render(body);
    return body;
  };

  const q = (body: Widget, testid: string) =>
    body.node.querySelector(`[data-testid="${testid}"]`) as HTMLElement;

  it('sorts by a header (aria-sort), moves with arrow keys and accepts with Enter', async () => {
    const body = await open();
    const rows = () =>
      Array.from(body.node.querySelectorAll('[data-instance-type]')).map(r =>
        r.getAttribute('data-instance-type')
      );
    expect(rows()).toEqual(['ml.t3.medium', 'ml.m5.large', 'ml.g4dn.xlarge']);
    q(body, 'sagemaker-studio-instance-picker-sort-memoryGiB').click();
    await render(body);
    q(body, 'sagemaker-studio-instance-picker-sort-memoryGiB').click();
    await render(body);
    expect(rows()).toEqual(['ml.g4dn.xlarge', 'ml.m5.large', 'ml.t3.medium']);
    const header = q(
      body,
      'sagemaker-studio-instance-picker-sort-memoryGiB'
    ).parentElement!;
    expect(header.getAttribute('aria-sort')).toBe('descending');

    const grid = body.node.querySelector('[role="grid"]') as HTMLElement;
    let accepted = 0;
    body.onAccept = () => accepted++;
    grid.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'ArrowUp', bubbles: true })
    );
    await render(body);
    expect(body.getValue()).toMatchObject({
      instanceType: 'ml.g4dn.xlarge',
      image: { processor: 'gpu' }
    });
    grid.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true })
    );
    await render(body);
    expect(body.getValue()?.instanceType).toBe('ml.m5.large');
    expect(body.getValue()?.image?.processor).toBe('cpu');
    grid.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })
    );
    expect(accepted).toBe(1);
    expect(body.node.textContent).toContain('Quotas could not be read');
    body.dispose();
  });

  it('says why a nonsense minimum memory does not filter', async () => {
    const body = await open(new Map([['ml.g4dn.xlarge', 0]]));
    const input = q(
      body,
      'sagemaker-studio-instance-picker-min-memory'
    ) as HTMLInputElement;
    const setter = Object.getOwnPropertyDescriptor(
      HTMLInputElement.prototype,
      'value'
    )!.set!;
    setter.call(input, 'abc');
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await render(body);
    expect(body.node.querySelector('[role="alert"]')?.textContent).toContain(
      'Enter a number of GiB'
    );
    expect(body.node.querySelectorAll('[data-instance-type]')).toHaveLength(3);
    setter.call(input, '10');
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await render(body);
    expect(body.node.querySelector('[role="alert"]')).toBeNull();
    expect(body.node.querySelectorAll('[data-instance-type]')).toHaveLength(1);
    // Quotas loaded: the column is there and 0 carries a warning badge.
    expect(
      q(body, 'sagemaker-studio-instance-picker-sort-quota')
    ).not.toBeNull();
    expect(body.node.querySelector('.jp-mod-warn')).not.toBeNull();
    body.dispose();
  });
});
