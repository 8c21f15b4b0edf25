/**
 * The JumpStart source: bucket and keys, the cache (memory and state database), background revalidation, spec
 * files on demand, and errors as sentences. The S3 reading module is replaced by a fake.
 */
import { StateDB } from '@jupyterlab/statedb';

import { JumpStartSource, MANIFEST_CACHE_KEY } from '../jumpstart/source';

import realManifest from './fixtures/jumpstart/manifest.json';

type Reader = (bucket: string, key: string) => unknown;

/** A source whose S3 reads are answered by `read`, with the calls recorded. */
function makeSource(
  read: Reader,
  options: Partial<JumpStartSource.IOptions> = {}
) {
  const calls: string[] = [];
  const client = {} as any;
  const source = new JumpStartSource({
    connection: {
      ready: Promise.resolve(),
      region: 'us-west-2',
      s3: async () => client,
      describeError: (err: unknown) =>
        `Described: ${err instanceof Error ? err.message : String(err)}`
    },
    objects: async () => ({
      getJsonObject: async (c: unknown, bucket: string, key: string) => {
        expect(c).toBe(client);
        calls.push(`${bucket}/${key}`);
        return read(bucket, key);
      }
    }),
    ...options
  });
  return { source, calls };
}

describe('JumpStartSource', () => {
  it('reads the manifest of the region bucket when nothing is cached', async () => {
    const { source, calls } = makeSource(() => realManifest);
    const states: string[] = [];
    source.changed.connect(() => states.push(source.status));
    await source.open();
    expect(calls).toEqual([
      'jumpstart-cache-prod-us-west-2/models_manifest.json'
    ]);
    expect(source.status).toBe('ready');
    expect(source.catalog?.models).toHaveLength(3);
    expect(source.error).toBeNull();
    expect(states[0]).toBe('loading');
  });

  it('opens from the state database at once and revalidates in the background', async () => {
    const state = new StateDB();
    await state.save(`${MANIFEST_CACHE_KEY}:us-west-2`, {
      fetchedAt: 0,
      entries: realManifest.slice(0, 1),
      skipped: 0
    } as any);
    let release: () => void = () => undefined;
    const gate = new Promise<void>(resolve => (release = resolve));
    const { source } = makeSource(
      async () => {
        await gate;
        return realManifest;
      },
      { state, now: () => 60 * 60 * 1000 }
    );
    await source.open();
    // The cached single model is shown while the bucket is still being read.
    expect(source.catalog?.models.map(m => m.id)).toEqual([
      'pytorch-ic-mobilenet-v2'
    ]);
    expect(source.isRefreshing).toBe(true);
    release();
    await source.revalidated;
    expect(source.catalog?.models).toHaveLength(3);
    expect(source.isRefreshing).toBe(false);
    const saved = (await state.fetch(`${MANIFEST_CACHE_KEY}:us-west-2`)) as any;
    expect(saved.entries).toHaveLength(3);
    expect(saved.fetchedAt).toBe(60 * 60 * 1000);
  });

  it('does not revalidate a fresh cache', async () => {
    const state = new StateDB();
    await state.save(`${MANIFEST_CACHE_KEY}:us-west-2`, {
      fetchedAt: 1000,
      entries: realManifest,
      skipped: 0
    } as any);
    const { source, calls } = makeSource(() => realManifest, {
      state,
      now: () => 2000
    });
    await source.open();
    expect(calls).toEqual([]);
    expect(source.fetchedAt).toBe(1000);
  });

  it('ignores a cache entry that is not a manifest', async () => {
    const state = new StateDB();
    await state.save(`${MANIFEST_CACHE_KEY}:us-west-2`, { nope: 1 } as any);
    const { source, calls } = makeSource(() => realManifest, { state });
    await source.open();
    expect(calls).toHaveLength(1);
    expect(source.catalog?.models).toHaveLength(3);
  });

  it('keeps the cached catalog and reports a sentence when the refresh fails', async () => {
    const state = new StateDB();
    await state.save(`${MANIFEST_CACHE_KEY}:us-west-2`, {
      fetchedAt: 0,
      entries: realManifest,
      skipped: 0
    } as any);
    const { source } = makeSource(
      () => {
        throw new Error('Access Denied');
      },
      { state, now: () => 10 ** 9 }
    );
    await source.open();
    await source.revalidated;
    expect(source.status).toBe('ready');
    expect(source.catalog?.models).toHaveLength(3);
    expect(source.error).toBe('Described: Access Denied');
  });

  it('is in error with a sentence when nothing can be shown', async () => {
    const { source } = makeSource(() => ({ not: 'an array' }));
    await source.open();
    expect(source.status).toBe('error');
    expect(source.catalog).toBeNull();
    expect(source.error).toMatch(/is not a JSON array/);
  });

  it('counts skipped entries', async () => {
    const { source } = makeSource(() => [...realManifest, { model_id: 1 }]);
    await source.open();
    expect(source.skipped).toBe(1);
  });

  it('reads a spec once, and its facts reach the catalog', async () => {
    const spec = {
      model_id: 'meta-textgeneration-llama-3-1-70b',
      version: '2.16.2',
      training_supported: true,
      hosting_eula_key: 'fmhMetadata/eula/llama3_1Eula.txt',
      gated_bucket: true
    };
    const { source, calls } = makeSource((bucket, key) =>
      key === 'models_manifest.json' ? realManifest : spec
    );
    await source.open();
    const entry = source.catalog!.get(
      'meta-textgeneration-llama-3-1-70b'
    )!.latest;
    const [a, b] = await Promise.all([source.spec(entry), source.spec(entry)]);
    expect(a).toBe(b);
    expect(calls).toEqual([
      'jumpstart-cache-prod-us-west-2/models_manifest.json',
      'jumpstart-cache-prod-us-west-2/community_models/meta-textgeneration-llama-3-1-70b/specs_v2.16.2.json'
    ]);
    const model = source.catalog!.get('meta-textgeneration-llama-3-1-70b')!;
    expect(model.fineTunable).toBe(true);
    expect(model.gated).toBe(true);
    expect(source.catalog!.query({ gated: true })).toHaveLength(1);
  });

  it('scans the specs of models whose facts are unknown, once per spec key, and keeps the facts', async () => {
    const state = new StateDB();
    const specs: Record<string, unknown> = {
      'pytorch-ic-mobilenet-v2': { model_id: 'x', training_supported: true },
      'meta-textgeneration-llama-3-1-70b': {
        model_id: 'x',
        training_supported: true,
        gated_bucket: true
      }
    };
    const reader: Reader = (bucket, key) => {
      if (key === 'models_manifest.json') {
        return realManifest;
      }
      const id = key.split('/')[1];
      if (!(id in specs)) {
        throw new Error('NoSuchKey');
      }
      return specs[id];
    };
    const first = makeSource(reader, { state });
    await first.source.open();
    const progress: Array<[number, number]> = [];
    const result = await first.source.scanFacts(first.source.catalog!.models, {
      onProgress: (done, total) => progress.push([done, total])
    });
    // openai-reasoning-gpt-oss-20b's spec is missing here: counted, left unknown.
    expect(result).toEqual({ read: 2, failed: 1 });
    expect(progress[0]).toEqual([0, 3]);
    expect(progress[progress.length - 1]).toEqual([3, 3]);
    const catalog = first.source.catalog!;
    expect(
      catalog
        .query({ fineTunable: true })
        .map(m => m.id)
        .sort()
    ).toEqual(['meta-textgeneration-llama-3-1-70b', 'pytorch-ic-mobilenet-v2']);
    expect(catalog.query({ gated: true }).map(m => m.id)).toEqual([
      'meta-textgeneration-llama-3-1-70b'
    ]);
    expect(catalog.get('openai-reasoning-gpt-oss-20b')!.fineTunable).toBeNull();
    // A second scan reads only what is still unknown.
    const before = first.calls.length;
    await first.source.scanFacts(first.source.catalog!.models);
    expect(first.calls.length - before).toBe(1);

    // The next session gets the facts from the state database without reading a spec.
    await new Promise(r => setTimeout(r, 0));
    const second = makeSource(reader, { state });
    await second.source.open();
    expect(
      second.source.catalog!.query({ gated: true }).map(m => m.id)
    ).toEqual(['meta-textgeneration-llama-3-1-70b']);
    expect(second.calls.filter(c => c.includes('specs_'))).toEqual([]);
  });

  it('rejects a spec that is not one with a sentence, and tries again next time', async () => {
    let answer: unknown = ['x'];
    const { source, calls } = makeSource((bucket, key) =>
      key === 'models_manifest.json' ? realManifest : answer
    );
    await source.open();
    const entry = source.catalog!.models[0].latest;
    await expect(source.spec(entry)).rejects.toThrow(
      /are not a JumpStart spec file/
    );
    answer = { model_id: entry.model_id, version: entry.version };
    await expect(source.spec(entry)).resolves.toEqual(answer);
    expect(calls).toHaveLength(3);
  });

  it('says so when the region is unknown', async () => {
    const source = new JumpStartSource({
      connection: {
        ready: Promise.resolve(),
        region: null,
        s3: async () => ({}) as any,
        describeError: String
      }
    });
    await source.open();
    expect(source.status).toBe('error');
    expect(source.error).toMatch(/region is not known/);
    source.dispose();
    expect(source.isDisposed).toBe(true);
  });
});
