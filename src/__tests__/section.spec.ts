/**
 * Tests of the generic registry section model against a fake paged list call: paging, search (client-side and
 * server-side), sort, errors as sentences, and stale answers.
 */
import { nullTranslator } from '@jupyterlab/translation';

import { AwsServiceError, describeAwsError } from '../aws/errors';
import { SectionModel } from '../registry/section';

const trans = nullTranslator.load('jupyterlab_sagemaker_studio');

/** A fake List* call over `names`, filtering by nameContains and paging by an index token, like the API. */
function fakeList(
  names: string[],
  options: { fail?: (query: SectionModel.IQuery) => Error | null } = {}
) {
  const queries: SectionModel.IQuery[] = [];
  const list: SectionModel.ListFunction = async query => {
    queries.push({ ...query });
    await new Promise(r => setTimeout(r, 1));
    const error = options.fail?.(query) ?? null;
    if (error) {
      throw error;
    }
    const rows = names
      .filter(n => n.toLowerCase().includes(query.nameContains.toLowerCase()))
      .map((name, i) => ({
        name,
        arn: `arn:aws:sagemaker:us-east-1:123456789012:project/${name}`,
        status: 'CreateCompleted',
        // Creation order is the order of `names`.
        created: 1700000000000 + names.indexOf(name) * 1000
      }));
    rows.sort((a, b) =>
      query.sortBy === 'name'
        ? a.name.localeCompare(b.name)
        : (a.created ?? 0) - (b.created ?? 0)
    );
    if (query.sortOrder === 'desc') {
      rows.reverse();
    }
    const start = Number(query.nextToken ?? 0);
    const size = query.pageSize ?? 10;
    const end = start + size;
    return {
      items: rows.slice(start, end),
      nextToken: end < rows.length ? String(end) : undefined
    };
  };
  return { list, queries };
}

/** Names p-000 … p-<n-1>. */
function names(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `p-${String(i).padStart(3, '0')}`);
}

/** A model with the fake call and the real error sentences. */
function model(
  list: SectionModel.ListFunction,
  options: Partial<SectionModel.IOptions> = {}
): SectionModel {
  return new SectionModel({
    list,
    describeError: err => describeAwsError(err, trans),
    pageSize: 10,
    searchDelay: 5,
    ...options
  });
}

describe('SectionModel', () => {
  it('fetches nothing until first shown, then the first page only', async () => {
    const { list, queries } = fakeList(names(25));
    const m = model(list);
    expect(m.status).toBe('idle');
    expect(queries).toHaveLength(0);
    await m.ensureLoaded();
    expect(m.status).toBe('ready');
    expect(m.items.map(r => r.name)).toEqual(names(10));
    expect(m.hasMore).toBe(true);
    expect(m.updatedAt).not.toBeNull();
    expect(queries).toEqual([
      {
        nameContains: '',
        sortBy: 'name',
        sortOrder: 'asc',
        pageSize: 10,
        signal: expect.anything()
      }
    ]);
    // A second show does not fetch again.
    await m.ensureLoaded();
    expect(queries).toHaveLength(1);
  });

  it('pages on with NextToken until the last page', async () => {
    const { list, queries } = fakeList(names(25));
    const m = model(list);
    await m.refresh();
    await m.loadMore();
    expect(m.loaded).toHaveLength(20);
    await m.loadMore();
    expect(m.loaded).toHaveLength(25);
    expect(m.hasMore).toBe(false);
    expect(m.items.map(r => r.name)).toEqual(names(25));
    // Nothing is left to fetch.
    await m.loadMore();
    expect(queries.map(q => q.nextToken)).toEqual([undefined, '10', '20']);
  });

  it('shares a running page fetch between scroll events', async () => {
    const { list, queries } = fakeList(names(25));
    const m = model(list);
    await m.refresh();
    await Promise.all([m.loadMore(), m.loadMore(), m.loadMore()]);
    expect(queries).toHaveLength(2);
    expect(m.loaded).toHaveLength(20);
  });

  it('filters the loaded rows at once and asks the server after a pause', async () => {
    const all = ['alpha-one', 'beta-two', 'alpha-three', ...names(20)];
    const { list, queries } = fakeList(all);
    const m = model(list, { serverSearch: true });
    await m.refresh();
    let changes = 0;
    m.changed.connect(() => changes++);
    m.setSearch('ALPHA');
    // Instant: only the loaded rows that match, before any request.
    expect(changes).toBe(1);
    expect(m.items.map(r => r.name)).toEqual(['alpha-one', 'alpha-three']);
    expect(queries).toHaveLength(1);
    await new Promise(r => setTimeout(r, 50));
    expect(queries[1].nameContains).toBe('ALPHA');
    expect(m.items.map(r => r.name)).toEqual(['alpha-one', 'alpha-three']);
    expect(m.hasMore).toBe(false);
  });

  it('filters client-side only where the API has no name filter', async () => {
    const { list, queries } = fakeList(names(25));
    const m = model(list, { serverSearch: false });
    await m.refresh();
    m.setSearch('p-00');
    await new Promise(r => setTimeout(r, 50));
    expect(queries).toHaveLength(1);
    expect(m.items).toHaveLength(10);
    m.setSearch('p-01');
    expect(m.items).toHaveLength(0);
  });

  it('sorts by name and by creation time, both ways', async () => {
    // Created in this order: zeta, alpha, mid.
    const { list } = fakeList(['zeta', 'alpha', 'mid']);
    const m = model(list);
    await m.refresh();
    expect(m.items.map(r => r.name)).toEqual(['alpha', 'mid', 'zeta']);
    m.setSort({ by: 'name', order: 'desc' });
    expect(m.items.map(r => r.name)).toEqual(['zeta', 'mid', 'alpha']);
    m.setSort({ by: 'created', order: 'asc' });
    expect(m.items.map(r => r.name)).toEqual(['zeta', 'alpha', 'mid']);
    m.setSort({ by: 'created', order: 'desc' });
    expect(m.items.map(r => r.name)).toEqual(['mid', 'alpha', 'zeta']);
  });

  it('fetches again in the new order when not everything is loaded', async () => {
    const { list, queries } = fakeList(names(25));
    const m = model(list);
    await m.refresh();
    m.setSort({ by: 'name', order: 'desc' });
    await new Promise(r => setTimeout(r, 20));
    expect(queries[1]).toMatchObject({ sortBy: 'name', sortOrder: 'desc' });
    expect(m.items[0].name).toBe('p-024');
    expect(m.loaded).toHaveLength(10);
  });

  it('says which IAM action was denied', async () => {
    const { list } = fakeList(names(3), {
      fail: () =>
        new AwsServiceError(
          'AccessDeniedException',
          'User: arn:aws:iam::123456789012:user/dev is not authorized to perform: sagemaker:ListProjects on resource: *',
          { httpStatusCode: 400 }
        )
    });
    const m = model(list);
    await m.refresh();
    expect(m.status).toBe('error');
    expect(m.items).toHaveLength(0);
    expect(m.error).toBe(
      'You are not allowed to perform sagemaker:ListProjects. Ask your AWS administrator to grant this permission.'
    );
  });

  it('keeps the loaded rows when a later page fails, and recovers on refresh', async () => {
    let failing = true;
    const { list } = fakeList(names(25), {
      fail: q =>
        failing && q.nextToken
          ? new AwsServiceError('ThrottlingException', 'Rate exceeded', {
              httpStatusCode: 400
            })
          : null
    });
    const m = model(list);
    await m.refresh();
    await m.loadMore();
    expect(m.status).toBe('ready');
    expect(m.loaded).toHaveLength(10);
    expect(m.error).toMatch(/limiting the request rate/);
    failing = false;
    await m.refresh();
    expect(m.error).toBeNull();
    await m.loadMore();
    expect(m.loaded).toHaveLength(20);
  });

  it('lets the latest refresh win over a slower older one', async () => {
    const resolvers: Array<() => void> = [];
    const { list: inner } = fakeList(['a', 'b', 'c']);
    const list: SectionModel.ListFunction = async query => {
      await new Promise<void>(r => resolvers.push(r));
      return inner(query);
    };
    // A long search pause keeps the debounced search out of this race.
    const m = model(list, { serverSearch: true, searchDelay: 60_000 });
    const first = m.refresh();
    m.setSearch('b');
    const second = m.refresh();
    // The newer answer arrives first; the older one must not overwrite it.
    resolvers[1]();
    await second;
    resolvers[0]();
    await first;
    expect(m.loaded.map(r => r.name)).toEqual(['b']);
    m.dispose();
  });

  it('pages through everything when it only counts', async () => {
    const { list, queries } = fakeList(names(25));
    const m = model(list, { pageAll: true });
    await m.refresh();
    expect(m.loaded).toHaveLength(25);
    expect(m.hasMore).toBe(false);
    expect(queries).toHaveLength(3);
  });

  it('forgets its rows on reset and fetches again if it was shown', async () => {
    const { list, queries } = fakeList(names(3));
    const m = model(list);
    m.reset();
    expect(queries).toHaveLength(0);
    await m.refresh();
    m.reset();
    expect(m.loaded).toHaveLength(0);
    expect(m.status).toBe('loading');
    await new Promise(r => setTimeout(r, 20));
    expect(m.loaded).toHaveLength(3);
    expect(queries).toHaveLength(2);
    m.dispose();
    expect(m.isDisposed).toBe(true);
  });
});
