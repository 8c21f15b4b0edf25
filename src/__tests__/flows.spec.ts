/**
 * Tests of the Data Wrangler flows list: the breadth-first walk of the workspace through a fake ContentsManager
 * (limits, skipped folders, bounded concurrency, unreadable folders) and the section model (search, errors,
 * refresh on file changes).
 */
import type { Contents } from '@jupyterlab/services';
import { Signal } from '@lumino/signaling';

import { findFlowFiles, FlowsModel } from '../registry/flows';

/** A fake ContentsManager over a tree of paths ('dir/' for folders); records listings and their concurrency. */
function fakeContents(paths: string[], failing: string[] = []) {
  const listed: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const fileChanged = new Signal<any, Contents.IChangedArgs>({});
  const entry = (p: string): Contents.IModel => {
    const dir = p.endsWith('/');
    const clean = dir ? p.slice(0, -1) : p;
    return {
      name: clean.split('/').pop()!,
      path: clean,
      type: dir ? 'directory' : 'file',
      last_modified: '2024-06-03T08:00:00Z',
      created: '2024-06-03T08:00:00Z',
      writable: true,
      mimetype: '',
      format: null,
      content: null,
      size: dir ? undefined : 1234
    } as Contents.IModel;
  };
  const contents = {
    fileChanged,
    get: async (dir: string): Promise<Contents.IModel> => {
      listed.push(dir);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise(r => setTimeout(r, 5));
      inFlight--;
      if (failing.includes(dir)) {
        throw new Error(`Permission denied: ${dir}`);
      }
      const prefix = dir ? `${dir}/` : '';
      const children = paths.filter(p => {
        if (!p.startsWith(prefix) || p === prefix) {
          return false;
        }
        const rest = p.slice(prefix.length);
        return !rest.slice(0, -1).includes('/');
      });
      return { ...entry(`${dir}/`), content: children.map(entry) };
    }
  };
  return {
    contents,
    listed,
    maxInFlight: () => maxInFlight,
    fileChanged
  };
}

const TREE = [
  'root.flow',
  'notes.ipynb',
  'prep/',
  'prep/churn.flow',
  'prep/CHURN-v2.FLOW',
  'prep/deep/',
  'prep/deep/deeper/',
  'prep/deep/deeper/far.flow',
  '.hidden/',
  '.hidden/secret.flow',
  '.old.flow',
  'node_modules/',
  'node_modules/pkg.flow',
  'a/',
  'b/',
  'c/',
  'd/',
  'e/',
  'e/late.flow'
];

describe('findFlowFiles', () => {
  it('walks breadth-first, skipping hidden folders, hidden files and node_modules', async () => {
    const fake = fakeContents(TREE);
    const result = await findFlowFiles(fake.contents);
    expect(result.files.map(f => f.path)).toEqual([
      'e/late.flow',
      'prep/CHURN-v2.FLOW',
      'prep/churn.flow',
      'prep/deep/deeper/far.flow',
      'root.flow'
    ]);
    expect(result.truncated).toBe(false);
    expect(fake.listed).not.toContain('.hidden');
    expect(fake.listed).not.toContain('node_modules');
    // Level by level: the root, then its folders, then theirs.
    expect(fake.listed[0]).toBe('');
    expect(fake.listed.indexOf('prep/deep')).toBeGreaterThan(
      fake.listed.indexOf('e')
    );
    expect(result.files[2]).toMatchObject({
      name: 'churn.flow',
      directory: 'prep',
      size: 1234,
      lastModified: Date.parse('2024-06-03T08:00:00Z')
    });
  });

  it('keeps to the depth limit and says folders were left', async () => {
    const fake = fakeContents(TREE);
    const result = await findFlowFiles(fake.contents, { maxDepth: 1 });
    expect(result.files.map(f => f.path)).not.toContain(
      'prep/deep/deeper/far.flow'
    );
    expect(fake.listed).not.toContain('prep/deep');
    expect(result.truncated).toBe(true);
  });

  it('lists at most `concurrency` folders at once', async () => {
    const fake = fakeContents(TREE);
    await findFlowFiles(fake.contents, { concurrency: 2 });
    expect(fake.maxInFlight()).toBe(2);
  });

  it('stops at the folder limit', async () => {
    const fake = fakeContents(TREE);
    const result = await findFlowFiles(fake.contents, { maxFolders: 3 });
    expect(fake.listed).toHaveLength(3);
    expect(result.truncated).toBe(true);
    expect(result.files.map(f => f.path)).toContain('root.flow');
  });

  it('reports an unreadable subfolder and fails on an unreadable root', async () => {
    const fake = fakeContents(TREE, ['prep']);
    const result = await findFlowFiles(fake.contents);
    expect(result.unreadable).toEqual(['prep']);
    expect(result.files.map(f => f.path)).toEqual(['e/late.flow', 'root.flow']);
    await expect(
      findFlowFiles(fakeContents(TREE, ['']).contents)
    ).rejects.toThrow('Permission denied');
  });
});

describe('FlowsModel', () => {
  it('loads, filters by name or folder, and refreshes when a flow changes', async () => {
    const paths = TREE.slice();
    const fake = fakeContents(paths);
    const model = new FlowsModel({
      contents: fake.contents,
      describeError: err => `failed: ${(err as Error).message}`
    });
    expect(model.status).toBe('idle');
    await model.ensureLoaded();
    expect(model.status).toBe('ready');
    expect(model.updatedAt).not.toBeNull();
    expect(model.items).toHaveLength(5);
    model.setSearch('PREP/');
    expect(model.items.map(f => f.name)).toEqual([
      'CHURN-v2.FLOW',
      'churn.flow',
      'far.flow'
    ]);
    model.setSearch('late');
    expect(model.items.map(f => f.path)).toEqual(['e/late.flow']);

    // A flow uploaded elsewhere appears after the change signal (debounced).
    paths.push('new.flow');
    fake.fileChanged.emit({
      type: 'new',
      oldValue: null,
      newValue: { path: 'new.flow' }
    });
    await new Promise(r => setTimeout(r, 700));
    expect(model.files.map(f => f.path)).toContain('new.flow');
    model.dispose();
  });

  it('shows the first failure as an error and keeps the list after a later one', async () => {
    const failing = [''];
    const fake = fakeContents(TREE, failing);
    const model = new FlowsModel({
      contents: fake.contents,
      describeError: err => `failed: ${(err as Error).message}`
    });
    await model.refresh();
    expect(model.status).toBe('error');
    expect(model.error).toBe('failed: Permission denied: ');
    failing.pop();
    await model.refresh();
    expect(model.status).toBe('ready');
    expect(model.error).toBeNull();
    failing.push('');
    await model.refresh();
    expect(model.status).toBe('ready');
    expect(model.files).toHaveLength(5);
    expect(model.error).toBe('failed: Permission denied: ');
    model.dispose();
  });
});
