/**
 * The JumpStart views in the DOM: the catalog counts and filters its models and opens a card on a click; the card
 * shows what the real Llama 3.1 70B spec holds (default inference instance type, EULA notice, training types,
 * sample request), "no price" where the table has none, nothing the spec lacks, and Deploy / Fine-tune buttons
 * only when those commands exist.
 */
import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';
import { Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';
import * as fs from 'fs';
import * as path from 'path';

import { buildModels, JumpStartCatalog } from '../jumpstart/catalog';
import { CatalogView } from '../jumpstart/CatalogPanel';
import { JumpStartModel } from '../jumpstart/model';
import { ModelCardView } from '../jumpstart/ModelCard';
import type { JumpStartSource } from '../jumpstart/source';
import type { IManifestEntry, IModelSpec } from '../jumpstart/types';
import { PriceTable } from '../pricing/table';
import realManifest from './fixtures/jumpstart/manifest.json';

const trans = nullTranslator.load('jupyterlab_sagemaker_studio');
const LLAMA = 'meta-textgeneration-llama-3-1-70b';

/** The real spec file the local backend serves for Llama 3.1 70B. */
const llamaSpec: IModelSpec = JSON.parse(
  fs.readFileSync(
    path.join(
      __dirname,
      '../../jupyterlab_sagemaker_studio/local/jumpstart_data',
      `${LLAMA}.json`
    ),
    'utf-8'
  )
);

/** Let React commit what the widget asked for. */
const settle = () => new Promise(r => setTimeout(r, 50));

function byTestId(node: HTMLElement, id: string): HTMLElement | null {
  return node.querySelector(`[data-testid="${id}"]`);
}

/** A ready source over the real three-entry manifest plus a few ids; specs from `specs`. */
function makeModel(specs: Record<string, IModelSpec>): JumpStartModel {
  const entries: IManifestEntry[] = [
    ...(realManifest as IManifestEntry[]),
    {
      model_id: 'huggingface-tc-bert-base-cased',
      version: '2.0.0',
      min_version: '2.0.0',
      spec_key:
        'community_models/huggingface-tc-bert-base-cased/specs_v2.0.0.json'
    }
  ];
  const source = {
    catalog: new JumpStartCatalog(buildModels(entries)),
    status: 'ready',
    error: null,
    fetchedAt: Date.now(),
    isRefreshing: false,
    changed: new Signal<object, void>({}),
    open: async () => undefined,
    refresh: async () => undefined,
    reset: () => undefined,
    spec: async (e: IManifestEntry) => {
      const spec = specs[e.model_id];
      if (!spec) {
        throw new Error('The bucket has no such object.');
      }
      return spec;
    }
  } as unknown as JumpStartSource;
  return new JumpStartModel({ source });
}

describe('CatalogView', () => {
  let view: Widget | null = null;
  afterEach(() => {
    view?.dispose();
    view = null;
  });

  it('counts, filters by task and search, and opens a card on a click', async () => {
    const model = makeModel({});
    await model.ensureLoaded();
    const opened: string[] = [];
    const catalog = new CatalogView({
      model,
      trans,
      onOpen: id => opened.push(id)
    });
    view = catalog;
    Widget.attach(catalog, document.body);
    catalog.update();
    await settle();
    const count = () =>
      byTestId(catalog.node, 'sagemaker-studio-jumpstart-count')?.textContent;
    expect(count()).toBe('4 of 4 models');

    const task = byTestId(
      catalog.node,
      'sagemaker-studio-jumpstart-task'
    ) as HTMLSelectElement;
    expect(Array.from(task.options).map(o => o.value)).toEqual([
      '',
      'Image Classification',
      'Text Classification',
      'Text Generation'
    ]);
    model.setQuery({ task: 'Text Generation' });
    await settle();
    expect(count()).toBe('1 of 4 models');

    model.setQuery({ task: null, text: 'llama' });
    await settle();
    const rows = catalog.node.querySelectorAll(
      '[data-testid="sagemaker-studio-jumpstart-row"]'
    );
    expect(Array.from(rows).map(r => r.getAttribute('data-model-id'))).toEqual([
      LLAMA
    ]);
    (rows[0] as HTMLElement).click();
    expect(opened).toEqual([LLAMA]);
  });

  it('shows the error sentence with a retry button', async () => {
    const model = makeModel({});
    (model as any)._source.status = 'error';
    (model as any)._source.error = 'The catalog could not be read.';
    const catalog = new CatalogView({ model, trans, onOpen: () => undefined });
    view = catalog;
    Widget.attach(catalog, document.body);
    catalog.update();
    await settle();
    const error = byTestId(catalog.node, 'sagemaker-studio-jumpstart-error');
    expect(error?.textContent).toContain('The catalog could not be read.');
    expect(error?.querySelector('button')?.textContent).toBe('Try again');
  });
});

describe('ModelCardView', () => {
  let view: Widget | null = null;
  afterEach(() => {
    view?.dispose();
    view = null;
  });

  async function show(
    modelId: string,
    specs: Record<string, IModelSpec>,
    commands = new CommandRegistry(),
    prices: PriceTable.IData['prices'] = {}
  ): Promise<ModelCardView> {
    const card = new ModelCardView({
      modelId,
      model: makeModel(specs),
      trans,
      commands,
      deployCommand: 'test:deploy',
      fineTuneCommand: 'test:fine-tune',
      region: () => 'us-east-1',
      prices: async () =>
        new PriceTable({
          source: { title: 'test', url: 'https://example.com', date: '' },
          prices
        })
    });
    view = card;
    Widget.attach(card, document.body);
    card.update();
    await settle();
    return card;
  }

  it('shows the facts of the real Llama 3.1 70B spec', async () => {
    const card = await show(LLAMA, { [LLAMA]: llamaSpec }, undefined, {
      'us-east-1': { hosting: { 'ml.g5.48xlarge': 20.36 } }
    });
    const text = card.node.textContent ?? '';
    expect(text).toContain('Text Generation');
    expect(text).toContain('Meta');
    expect(text).toContain('2.16.2');
    expect(text).toContain('Llama 3.1 Community License');
    expect(
      card.node.querySelector(
        `a[href="https://ai.meta.com/resources/models-and-libraries/llama-downloads/"]`
      )
    ).toBeTruthy();
    expect(
      byTestId(card.node, 'sagemaker-studio-jumpstart-card-eula')
    ).toBeTruthy();

    const types = byTestId(
      card.node,
      'sagemaker-studio-jumpstart-card-instance-types'
    )!;
    const rows = Array.from(types.querySelectorAll('tr[data-instance-type]'));
    expect(rows.map(r => r.getAttribute('data-instance-type'))).toEqual([
      'ml.p4d.24xlarge',
      'ml.g5.48xlarge',
      'ml.g6.48xlarge',
      'ml.p5.48xlarge'
    ]);
    expect(rows[0].getAttribute('data-default')).toBe('true');
    expect(rows[0].textContent).toContain('no price');
    expect(rows[1].textContent).toContain('$20.36');

    const training = byTestId(
      card.node,
      'sagemaker-studio-jumpstart-card-training-types'
    );
    expect(training?.textContent).toContain('ml.g5.48xlarge');
    expect(
      byTestId(card.node, 'sagemaker-studio-jumpstart-card-payload')
        ?.textContent
    ).toContain('Translate English to French');
    // No deploy or fine-tune plugin: no buttons.
    expect(
      byTestId(card.node, 'sagemaker-studio-jumpstart-card-deploy')
    ).toBeNull();
    expect(
      byTestId(card.node, 'sagemaker-studio-jumpstart-card-fine-tune')
    ).toBeNull();
  });

  it('offers Deploy and Fine-tune when those commands exist', async () => {
    const commands = new CommandRegistry();
    const calls: Array<[string, unknown]> = [];
    commands.addCommand('test:deploy', {
      execute: args => void calls.push(['deploy', args])
    });
    commands.addCommand('test:fine-tune', {
      execute: args => void calls.push(['fine-tune', args])
    });
    const card = await show(LLAMA, { [LLAMA]: llamaSpec }, commands);
    byTestId(card.node, 'sagemaker-studio-jumpstart-card-deploy')!.click();
    byTestId(card.node, 'sagemaker-studio-jumpstart-card-fine-tune')!.click();
    expect(calls).toEqual([
      ['deploy', { modelId: LLAMA, version: '2.16.2' }],
      ['fine-tune', { modelId: LLAMA, version: '2.16.2' }]
    ]);
  });

  it('shows Deploy once the deploy command is added after the card opened', async () => {
    const commands = new CommandRegistry();
    const card = await show(LLAMA, { [LLAMA]: llamaSpec }, commands);
    expect(
      byTestId(card.node, 'sagemaker-studio-jumpstart-card-deploy')
    ).toBeNull();
    commands.addCommand('test:deploy', { execute: () => undefined });
    await settle();
    expect(
      byTestId(card.node, 'sagemaker-studio-jumpstart-card-deploy')
    ).toBeTruthy();
  });

  it('shows nothing the spec lacks, and no Fine-tune for a model that cannot be trained', async () => {
    const id = 'huggingface-tc-bert-base-cased';
    const commands = new CommandRegistry();
    commands.addCommand('test:fine-tune', { execute: () => undefined });
    const card = await show(
      id,
      { [id]: { model_id: id, version: '2.0.0', training_supported: false } },
      commands
    );
    expect(card.node.textContent).toContain('Text Classification');
    expect(
      byTestId(card.node, 'sagemaker-studio-jumpstart-card-instance-types')
    ).toBeNull();
    expect(
      byTestId(card.node, 'sagemaker-studio-jumpstart-card-training-types')
    ).toBeNull();
    expect(
      byTestId(card.node, 'sagemaker-studio-jumpstart-card-eula')
    ).toBeNull();
    expect(card.node.querySelector('a')).toBeNull();
    expect(
      byTestId(card.node, 'sagemaker-studio-jumpstart-card-fine-tune')
    ).toBeNull();
  });

  it('says what failed when the spec cannot be read', async () => {
    const card = await show(LLAMA, {});
    const error = byTestId(card.node, 'sagemaker-studio-jumpstart-card-error');
    expect(error?.textContent).toContain(
      `The details of ${LLAMA} could not be read: The bucket has no such object.`
    );
  });
});
