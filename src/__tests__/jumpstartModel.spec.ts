/**
 * The JumpStart panel's model over a fake source: loading state, query and results, total, facets, refresh,
 * reset after a region switch, and spec reads.
 */
import { Signal } from '@lumino/signaling';

import { buildModels, JumpStartCatalog } from '../jumpstart/catalog';
import { JumpStartModel } from '../jumpstart/model';
import type { JumpStartSource } from '../jumpstart/source';
import type { IManifestEntry, IModelSpec } from '../jumpstart/types';

function entry(
  model_id: string,
  version = '1.0.0',
  extra: Partial<IManifestEntry> = {}
): IManifestEntry {
  return {
    model_id,
    version,
    min_version: '2.0.0',
    spec_key: `community_models/${model_id}/specs_v${version}.json`,
    ...extra
  };
}

const ENTRIES: IManifestEntry[] = [
  entry('meta-textgeneration-llama-3-1-70b', '2.16.2', {
    search_keywords: ['Text Generation']
  }),
  entry('meta-textgeneration-llama-3-1-70b', '2.1.0'),
  entry('pytorch-ic-mobilenet-v2', '3.0.25'),
  entry('huggingface-textgeneration1-gpt-2', '1.0.0'),
  entry('tensorflow-ic-old-model', '1.0.0', { deprecated: true }),
  entry('huggingface-tc-bert-base', '2.0.0')
];

/** A source whose state the test sets by hand. */
class FakeSource implements JumpStartModel.ISource {
  catalog: JumpStartCatalog | null = null;
  status: JumpStartSource.Status = 'idle';
  error: string | null = null;
  fetchedAt: number | null = null;
  isRefreshing = false;
  opens = 0;
  refreshes = 0;
  resets = 0;
  specs: IManifestEntry[] = [];
  failOpen: string | null = null;
  readonly signal = new Signal<this, void>(this);

  get changed() {
    return this.signal as unknown as JumpStartSource['changed'];
  }

  async open(): Promise<void> {
    this.opens++;
    if (this.failOpen) {
      this.status = 'error';
      this.error = this.failOpen;
    } else {
      this.catalog = new JumpStartCatalog(buildModels(ENTRIES));
      this.status = 'ready';
      this.error = null;
      this.fetchedAt = 1000;
    }
    this.signal.emit();
  }

  async refresh(): Promise<void> {
    this.refreshes++;
    this.failOpen = null;
    await this.open();
  }

  reset(): void {
    this.resets++;
    this.catalog = null;
    this.status = 'idle';
    this.error = null;
    this.fetchedAt = null;
    this.signal.emit();
  }

  async spec(e: IManifestEntry): Promise<IModelSpec> {
    this.specs.push(e);
    return { model_id: e.model_id, version: e.version };
  }

  scanned: string[][] = [];
  /** Facts a scan "reads" by model id; models without one stay unknown. */
  scanFactsOf: Record<string, { fineTunable?: boolean; gated?: boolean }> = {};

  async scanFacts(
    models: ReadonlyArray<{ id: string }>,
    options: { onProgress?: (done: number, total: number) => void } = {}
  ): Promise<{ read: number; failed: number }> {
    this.scanned.push(models.map(m => m.id));
    const facts = new Map(
      models
        .filter(m => m.id in this.scanFactsOf)
        .map(m => [m.id, this.scanFactsOf[m.id]] as const)
    );
    this.catalog = this.catalog!.withManyFacts(facts);
    options.onProgress?.(models.length, models.length);
    this.signal.emit();
    return { read: facts.size, failed: models.length - facts.size };
  }
}

describe('JumpStartModel', () => {
  let source: FakeSource;
  let model: JumpStartModel;

  beforeEach(() => {
    source = new FakeSource();
    model = new JumpStartModel({ source });
  });

  afterEach(() => model.dispose());

  it('is idle with no results before it is loaded', () => {
    expect(model.status).toBe('idle');
    expect(model.results).toEqual([]);
    expect(model.total).toBe(0);
    expect(model.tasks).toEqual([]);
    expect(source.opens).toBe(0);
  });

  it('opens the source once and shows every non-deprecated model by name', async () => {
    const changed = jest.fn();
    model.changed.connect(changed);
    await Promise.all([model.ensureLoaded(), model.ensureLoaded()]);
    expect(source.opens).toBe(1);
    expect(changed).toHaveBeenCalled();
    expect(model.status).toBe('ready');
    expect(model.updatedAt).toBe(1000);
    expect(model.total).toBe(4);
    expect(model.results.map(m => m.id)).toEqual([
      'huggingface-tc-bert-base',
      'huggingface-textgeneration1-gpt-2',
      'meta-textgeneration-llama-3-1-70b',
      'pytorch-ic-mobilenet-v2'
    ]);
    expect(model.get('meta-textgeneration-llama-3-1-70b')?.latest.version).toBe(
      '2.16.2'
    );
  });

  it('offers the tasks and frameworks present in the catalog', async () => {
    await model.ensureLoaded();
    expect(model.tasks).toEqual([
      'Image Classification',
      'Text Classification',
      'Text Generation'
    ]);
    expect(model.frameworks).toEqual([
      'huggingface',
      'meta',
      'pytorch',
      'tensorflow'
    ]);
  });

  it('filters by task, framework and text, and sorts', async () => {
    await model.ensureLoaded();
    const changed = jest.fn();
    model.changed.connect(changed);

    model.setQuery({ task: 'Text Generation' });
    expect(changed).toHaveBeenCalledTimes(1);
    expect(model.results.map(m => m.id)).toEqual([
      'huggingface-textgeneration1-gpt-2',
      'meta-textgeneration-llama-3-1-70b'
    ]);
    expect(model.total).toBe(4);

    model.setQuery({ text: 'llama' });
    expect(model.results.map(m => m.id)).toEqual([
      'meta-textgeneration-llama-3-1-70b'
    ]);

    model.setQuery({ text: '', task: null, framework: 'huggingface' });
    expect(model.results.map(m => m.id)).toEqual([
      'huggingface-tc-bert-base',
      'huggingface-textgeneration1-gpt-2'
    ]);

    model.setQuery({ framework: null, sort: { by: 'name', order: 'desc' } });
    expect(model.results[0].id).toBe('pytorch-ic-mobilenet-v2');
  });

  it('does not signal a query that did not change', async () => {
    await model.ensureLoaded();
    const changed = jest.fn();
    model.changed.connect(changed);
    model.setQuery({ text: '', sort: { by: 'name', order: 'asc' } });
    expect(changed).not.toHaveBeenCalled();
  });

  it('reads the specs the fine-tunable and access filters need, once per model', async () => {
    await model.ensureLoaded();
    source.scanFactsOf = {
      'pytorch-ic-mobilenet-v2': { fineTunable: true, gated: false },
      'meta-textgeneration-llama-3-1-70b': { fineTunable: true, gated: true },
      'huggingface-tc-bert-base': { fineTunable: false, gated: false }
    };
    model.setQuery({ text: 'bert' });
    expect(source.scanned).toEqual([]);
    model.setQuery({ fineTunableOnly: true });
    // Only the models the other filters keep are read.
    expect(source.scanned).toEqual([['huggingface-tc-bert-base']]);
    expect(model.scan).not.toBeNull();
    await new Promise(r => setTimeout(r, 0));
    expect(model.scan).toBeNull();
    expect(model.results).toEqual([]);
    model.setQuery({ text: '' });
    await new Promise(r => setTimeout(r, 0));
    // bert was read already; gpt-2 has no spec facts and stays unknown (not read again below).
    expect(source.scanned[1].sort()).toEqual([
      'huggingface-textgeneration1-gpt-2',
      'meta-textgeneration-llama-3-1-70b',
      'pytorch-ic-mobilenet-v2'
    ]);
    expect(model.results.map(m => m.id)).toEqual([
      'meta-textgeneration-llama-3-1-70b',
      'pytorch-ic-mobilenet-v2'
    ]);
    model.setQuery({ fineTunableOnly: false, access: 'gated' });
    await new Promise(r => setTimeout(r, 0));
    expect(source.scanned).toHaveLength(2);
    expect(model.results.map(m => m.id)).toEqual([
      'meta-textgeneration-llama-3-1-70b'
    ]);
    model.setQuery({ access: 'open' });
    expect(model.results.map(m => m.id)).toEqual([
      'huggingface-tc-bert-base',
      'pytorch-ic-mobilenet-v2'
    ]);
  });

  it('reports an error sentence and recovers on refresh', async () => {
    source.failOpen = 'The bucket could not be read. Try again.';
    await model.ensureLoaded();
    expect(model.status).toBe('error');
    expect(model.error).toBe('The bucket could not be read. Try again.');
    expect(model.results).toEqual([]);
    await model.refresh();
    expect(source.refreshes).toBe(1);
    expect(model.status).toBe('ready');
    expect(model.error).toBeNull();
    expect(model.total).toBe(4);
  });

  it('refresh before any load opens the catalog', async () => {
    await model.refresh();
    expect(source.opens).toBe(1);
    expect(source.refreshes).toBe(0);
  });

  it('reset reloads an opened catalog and keeps the query', async () => {
    await model.ensureLoaded();
    model.setQuery({ text: 'llama' });
    const generation = model.generation;
    await model.reset();
    // Cards read their spec again from the new region's bucket when the generation changes.
    expect(model.generation).toBe(generation + 1);
    expect(source.resets).toBe(1);
    expect(source.opens).toBe(2);
    expect(model.query.text).toBe('llama');
    expect(model.results.map(m => m.id)).toEqual([
      'meta-textgeneration-llama-3-1-70b'
    ]);
  });

  it('reset of a catalog never opened does not open it', async () => {
    await model.reset();
    expect(source.resets).toBe(1);
    expect(source.opens).toBe(0);
  });

  it('reads the spec of the latest or a given version', async () => {
    const latest = await model.spec('meta-textgeneration-llama-3-1-70b');
    expect(latest.entry.version).toBe('2.16.2');
    expect(latest.spec.model_id).toBe('meta-textgeneration-llama-3-1-70b');
    const older = await model.spec(
      'meta-textgeneration-llama-3-1-70b',
      '2.1.0'
    );
    expect(older.entry.version).toBe('2.1.0');
    expect(source.specs.map(e => e.version)).toEqual(['2.16.2', '2.1.0']);
  });

  it('rejects a spec read of an unknown model with a sentence', async () => {
    await expect(model.spec('no-such-model-id')).rejects.toThrow(
      'The model no-such-model-id is not in the JumpStart catalog of this region.'
    );
  });

  it('stops listening to the source when disposed', async () => {
    const changed = jest.fn();
    model.changed.connect(changed);
    model.dispose();
    source.signal.emit();
    expect(changed).not.toHaveBeenCalled();
    expect(model.isDisposed).toBe(true);
  });
});
