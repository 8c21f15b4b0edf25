/**
 * Tests of paging and bounded concurrency.
 */
import { mapConcurrently } from '../aws/concurrency';
import { collect, paginate } from '../aws/paginate';

interface IInput {
  Filter?: string;
  NextToken?: string;
  MaxResults?: number;
}

/** A fake list operation over `total` items, `pageSize` per page (or the requested MaxResults). */
function lister(total: number, defaultSize = 3) {
  const calls: IInput[] = [];
  const fetchPage = async (input: IInput) => {
    calls.push({ ...input });
    const start = input.NextToken ? Number(input.NextToken) : 0;
    const size = input.MaxResults ?? defaultSize;
    const items = Array.from(
      { length: Math.max(0, Math.min(size, total - start)) },
      (_, i) => start + i
    );
    const next = start + size < total ? String(start + size) : undefined;
    return { Items: items, NextToken: next };
  };
  return { calls, fetchPage };
}

describe('paginate', () => {
  it('follows NextToken until the last page and keeps the other input members', async () => {
    const { calls, fetchPage } = lister(7);
    const pages = [];
    for await (const page of paginate(
      fetchPage,
      { Filter: 'x' },
      { pageSize: 3 }
    )) {
      pages.push(page.Items);
    }
    expect(pages).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(calls).toEqual([
      { Filter: 'x', MaxResults: 3 },
      { Filter: 'x', MaxResults: 3, NextToken: '3' },
      { Filter: 'x', MaxResults: 3, NextToken: '6' }
    ]);
  });

  it('supports S3-style token and page-size members', async () => {
    const calls: Record<string, unknown>[] = [];
    const fetchPage = async (input: Record<string, unknown>) => {
      calls.push(input);
      return input.ContinuationToken
        ? { Contents: ['b'], IsTruncated: false }
        : { Contents: ['a'], NextContinuationToken: 'tok' };
    };
    const result = await collect(fetchPage, { Bucket: 'b' }, p => p.Contents, {
      pageSize: 1,
      inputToken: 'ContinuationToken',
      outputToken: 'NextContinuationToken',
      pageSizeKey: 'MaxKeys'
    });
    expect(result).toEqual({ items: ['a', 'b'], truncated: false });
    expect(calls).toEqual([
      { Bucket: 'b', MaxKeys: 1 },
      { Bucket: 'b', MaxKeys: 1, ContinuationToken: 'tok' }
    ]);
  });

  it('stops when a backend repeats a token', async () => {
    const fetchPage = async () => ({ NextToken: 'same' });
    const run = async () => {
      for await (const _ of paginate(fetchPage, {})) {
        // consume
      }
    };
    await expect(run()).rejects.toThrow('same page token twice');
  });

  it('stops between pages when cancelled', async () => {
    const controller = new AbortController();
    const { calls, fetchPage } = lister(10);
    const run = async () => {
      for await (const _ of paginate(
        fetchPage,
        {},
        { signal: controller.signal }
      )) {
        controller.abort();
      }
    };
    await expect(run()).rejects.toMatchObject({ name: 'AbortError' });
    expect(calls).toHaveLength(1);
  });
});

describe('collect', () => {
  it('collects everything when there is no limit', async () => {
    const { fetchPage } = lister(5, 2);
    expect(await collect(fetchPage, {}, p => p.Items)).toEqual({
      items: [0, 1, 2, 3, 4],
      truncated: false
    });
  });

  it('stops requesting pages at the limit and says more exist', async () => {
    const { calls, fetchPage } = lister(100, 10);
    const result = await collect(fetchPage, {}, p => p.Items, { limit: 15 });
    expect(result.items).toHaveLength(15);
    expect(result.truncated).toBe(true);
    expect(calls).toHaveLength(2);
  });

  it('is not truncated when the limit equals the total', async () => {
    const { fetchPage } = lister(6, 3);
    expect(
      (await collect(fetchPage, {}, p => p.Items, { limit: 6 })).truncated
    ).toBe(false);
  });
});

describe('mapConcurrently', () => {
  it('keeps at most `limit` calls in flight and the input order', async () => {
    let inFlight = 0;
    let peak = 0;
    const result = await mapConcurrently([5, 1, 4, 2, 3, 0], 2, async n => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise(r => setTimeout(r, n));
      inFlight--;
      return n * 10;
    });
    expect(result).toEqual([50, 10, 40, 20, 30, 0]);
    expect(peak).toBe(2);
  });

  it('handles an empty list', async () => {
    expect(await mapConcurrently([], 4, async x => x)).toEqual([]);
  });
});
