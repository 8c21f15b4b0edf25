/**
 * The JumpStart catalog: manifest validation, latest version per model, task and framework from the id, and
 * filter / search / sort, on the real three-entry manifest and on a synthetic large one.
 */
import {
  buildModels,
  compareVersions,
  idParts,
  JumpStartCatalog,
  ManifestError,
  parseManifest,
  specFacts
} from '../jumpstart/catalog';
import type { IManifestEntry, IModelSpec } from '../jumpstart/types';

import realManifest from './fixtures/jumpstart/manifest.json';

/** `count` models with `versionsEach` versions each, in the real entry format. */
function syntheticManifest(count: number, versionsEach = 1): IManifestEntry[] {
  const frameworks = ['pytorch', 'tensorflow', 'huggingface', 'meta'];
  const tasks = ['ic', 'tc', 'textgeneration', 'od', 'eqa', 'llm'];
  const out: IManifestEntry[] = [];
  for (let i = 0; i < count; i++) {
    const id = `${frameworks[i % 4]}-${tasks[i % 6]}-model-${i}`;
    for (let v = 0; v < versionsEach; v++) {
      const version = `${v + 1}.${v * 3}.${10 - v}`;
      out.push({
        model_id: id,
        version,
        min_version: '2.189.0',
        spec_key: `community_models/${id}/specs_v${version}.json`,
        deprecated: i % 50 === 0,
        provider: frameworks[i % 4],
        search_keywords: [`Keyword ${i}`]
      });
    }
  }
  return out;
}

describe('parseManifest', () => {
  it('reads the real manifest sample', () => {
    const { entries, skipped } = parseManifest(realManifest);
    expect(skipped).toBe(0);
    expect(entries.map(e => e.model_id)).toEqual([
      'pytorch-ic-mobilenet-v2',
      'openai-reasoning-gpt-oss-20b',
      'meta-textgeneration-llama-3-1-70b'
    ]);
    expect(entries[0]).toEqual({
      model_id: 'pytorch-ic-mobilenet-v2',
      version: '3.0.25',
      min_version: '2.189.0',
      spec_key: 'community_models/pytorch-ic-mobilenet-v2/specs_v3.0.25.json',
      deprecated: false,
      provider: 'pytorch',
      search_keywords: ['MobileNet V2', 'Vision', 'ResNet 18']
    });
  });

  it('reads a synthetic manifest of 1,500 models', () => {
    const { entries, skipped } = parseManifest(syntheticManifest(1500));
    expect(entries).toHaveLength(1500);
    expect(skipped).toBe(0);
  });

  it('skips and counts malformed entries, keeping the rest', () => {
    const json = [
      ...realManifest,
      null,
      42,
      ['x'],
      { model_id: 'a-b-c', version: '1.0.0' },
      { model_id: '', version: '1.0.0', spec_key: 'k' },
      { model_id: 'a-b-c', version: 1, spec_key: 'k' },
      {
        model_id: 'a-b-d',
        version: '1.0.0',
        spec_key: 'k',
        provider: 7,
        search_keywords: ['ok', 3]
      }
    ];
    const { entries, skipped } = parseManifest(json);
    expect(skipped).toBe(6);
    expect(entries).toHaveLength(4);
    expect(entries[3]).toEqual({
      model_id: 'a-b-d',
      version: '1.0.0',
      min_version: '',
      spec_key: 'k',
      search_keywords: ['ok']
    });
  });

  it('rejects a file that is not an array with a sentence', () => {
    expect(() => parseManifest({ models: [] })).toThrow(ManifestError);
    expect(() => parseManifest('nope')).toThrow(
      /models_manifest\.json\) is not a JSON array/
    );
  });

  it('rejects a file whose entries are all malformed', () => {
    expect(() => parseManifest([{}, { model_id: 'x' }])).toThrow(
      /None of the 2 entries/
    );
  });

  it('accepts an empty manifest', () => {
    expect(parseManifest([])).toEqual({ entries: [], skipped: 0 });
  });
});

describe('compareVersions', () => {
  it('compares numerically, not as strings', () => {
    expect(compareVersions('2.16.2', '2.9.10')).toBeGreaterThan(0);
    expect(compareVersions('3.0.25', '3.0.3')).toBeGreaterThan(0);
    expect(compareVersions('1.0', '1.0.0')).toBe(0);
    expect(compareVersions('1.0.0', '1.0.1')).toBeLessThan(0);
  });

  it('puts a pre-release before its release and ignores build metadata', () => {
    expect(compareVersions('1.0.0-rc1', '1.0.0')).toBeLessThan(0);
    expect(compareVersions('1.0.0+abc', '1.0.0')).toBe(0);
  });
});

describe('buildModels', () => {
  it('keeps one row per id with the latest version first and older ones reachable', () => {
    const entries: IManifestEntry[] = ['1.2.0', '1.10.0', '1.9.3'].map(v => ({
      model_id: 'huggingface-tc-bert',
      version: v,
      min_version: '2.0.0',
      spec_key: `specs_v${v}.json`
    }));
    const [model] = buildModels(entries);
    expect(model.latest.version).toBe('1.10.0');
    expect(model.versions.map(e => e.version)).toEqual([
      '1.10.0',
      '1.9.3',
      '1.2.0'
    ]);
  });

  it('reduces a multi-version synthetic manifest to one row per model', () => {
    const models = buildModels(syntheticManifest(1500, 3));
    expect(models).toHaveLength(1500);
    expect(models[7].versions).toHaveLength(3);
    expect(models[7].latest.version).toBe('3.6.8');
  });
});

describe('idParts', () => {
  it('reads framework and task as the SDK does', () => {
    expect(idParts('pytorch-ic-mobilenet-v2')).toEqual({
      framework: 'pytorch',
      taskCode: 'ic',
      task: 'Image Classification'
    });
    expect(idParts('meta-textgeneration-llama-3-1-70b').task).toBe(
      'Text Generation'
    );
    expect(idParts('huggingface-spc-bert-base-cased').task).toBe(
      'Sentence Pair Classification'
    );
    expect(idParts('pytorch-eqa-bert-base-cased').task).toBe(
      'Question Answering'
    );
    expect(idParts('mxnet-is-mask-rcnn-fpn-resnet101-v1d-coco').task).toBe(
      'Instance Segmentation'
    );
    expect(idParts('tensorflow-od1-ssd-resnet50').task).toBe(
      'Object Detection'
    );
    expect(idParts('model-txt2img-stabilityai-stable-diffusion-v2').task).toBe(
      'Text to Image'
    );
  });

  it('gives no task for a family name in the task position or a short id', () => {
    expect(idParts('openai-reasoning-gpt-oss-20b')).toEqual({
      framework: 'openai',
      taskCode: 'reasoning',
      task: null
    });
    expect(idParts('huggingface-llm-falcon-7b').task).toBeNull();
    expect(idParts('lgresearch-exaone')).toEqual({
      framework: null,
      taskCode: null,
      task: null
    });
  });
});

describe('specFacts', () => {
  it('reads fine-tuning and gating from a spec', () => {
    const base: IModelSpec = { model_id: 'm-x-y', version: '1.0.0' };
    // Nothing about training; no EULA key, gated bucket or gated access: an open model.
    expect(specFacts(base)).toEqual({ gated: false });
    expect(
      specFacts({
        ...base,
        training_supported: true,
        hosting_eula_key: 'fmhMetadata/eula/llama3_1Eula.txt',
        gated_bucket: true
      })
    ).toEqual({ fineTunable: true, gated: true });
    expect(
      specFacts({
        ...base,
        training_supported: false,
        model_access: 'Open Weight'
      })
    ).toEqual({ fineTunable: false, gated: false });
  });
});

describe('JumpStartCatalog', () => {
  const real = JumpStartCatalog.fromManifest(realManifest).catalog;

  it('lists facets of the real manifest', () => {
    expect(real.facets).toEqual({
      tasks: ['Image Classification', 'Text Generation'],
      frameworks: ['meta', 'openai', 'pytorch'],
      providers: ['meta', 'openai', 'pytorch']
    });
  });

  it('searches id, provider, task and search keywords, every word', () => {
    const ids = (text: string) => real.query({ text }).map(m => m.id);
    expect(ids('llama')).toEqual(['meta-textgeneration-llama-3-1-70b']);
    expect(ids('VISION')).toEqual(['pytorch-ic-mobilenet-v2']);
    expect(ids('text generation')).toEqual([
      'meta-textgeneration-llama-3-1-70b',
      'openai-reasoning-gpt-oss-20b'
    ]);
    expect(ids('generation reasoning')).toEqual([
      'openai-reasoning-gpt-oss-20b'
    ]);
    expect(ids('  ')).toHaveLength(3);
    expect(ids('zzz')).toEqual([]);
  });

  it('filters by task, framework and provider', () => {
    expect(real.query({ task: 'Image Classification' }).map(m => m.id)).toEqual(
      ['pytorch-ic-mobilenet-v2']
    );
    expect(real.query({ framework: 'meta' })).toHaveLength(1);
    expect(real.query({ provider: 'openai' })).toHaveLength(1);
    expect(real.query({ task: null, framework: null })).toHaveLength(3);
  });

  it('filters fine-tunable and gated only where known', () => {
    expect(real.query({ fineTunable: true })).toEqual([]);
    const known = real
      .withFacts('meta-textgeneration-llama-3-1-70b', {
        fineTunable: true,
        gated: true
      })
      .withFacts('openai-reasoning-gpt-oss-20b', {
        fineTunable: false,
        gated: false
      });
    expect(known.query({ fineTunable: true }).map(m => m.id)).toEqual([
      'meta-textgeneration-llama-3-1-70b'
    ]);
    expect(known.query({ gated: false }).map(m => m.id)).toEqual([
      'openai-reasoning-gpt-oss-20b'
    ]);
    expect(known.query({ proprietary: true })).toEqual([]);
    expect(real.withFacts('no-such-model', { gated: true })).toBe(real);
  });

  it('sorts by name, task and framework in both directions', () => {
    const ids = (sort: JumpStartCatalog.ISort) =>
      real.query({ sort }).map(m => m.id);
    expect(ids({ by: 'name', order: 'asc' })).toEqual([
      'meta-textgeneration-llama-3-1-70b',
      'openai-reasoning-gpt-oss-20b',
      'pytorch-ic-mobilenet-v2'
    ]);
    expect(ids({ by: 'name', order: 'desc' })[0]).toBe(
      'pytorch-ic-mobilenet-v2'
    );
    // Models without a task come last.
    expect(ids({ by: 'task', order: 'asc' })).toEqual([
      'pytorch-ic-mobilenet-v2',
      'meta-textgeneration-llama-3-1-70b',
      'openai-reasoning-gpt-oss-20b'
    ]);
    expect(ids({ by: 'framework', order: 'desc' })).toEqual([
      'pytorch-ic-mobilenet-v2',
      'openai-reasoning-gpt-oss-20b',
      'meta-textgeneration-llama-3-1-70b'
    ]);
  });

  it('hides deprecated models unless asked', () => {
    const { catalog } = JumpStartCatalog.fromManifest(syntheticManifest(1500));
    expect(catalog.query()).toHaveLength(1500 - 30);
    expect(catalog.query({ includeDeprecated: true })).toHaveLength(1500);
  });

  it('searches 1,500 models per keystroke in well under 10 ms', () => {
    const { catalog } = JumpStartCatalog.fromManifest(
      syntheticManifest(1500, 3)
    );
    catalog.query(); // builds the name order once
    const started = performance.now();
    const typed = ['k', 'ke', 'key', 'keyw', 'keywo', 'keyword 14'];
    let last: unknown[] = [];
    for (const text of typed) {
      last = catalog.query({ text });
    }
    const perKeystroke = (performance.now() - started) / typed.length;
    expect(last.length).toBeGreaterThan(0);
    // A loose bound: jsdom under coverage is slow; the bench measures properly.
    expect(perKeystroke).toBeLessThan(10);
  });
});
