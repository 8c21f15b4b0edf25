/**
 * Paging over AWS list operations: NextToken by default, other token and page-size members (S3's
 * ContinuationToken / NextContinuationToken / MaxKeys) by option.
 */

/** Which members carry the paging state. */
export interface IPaginateOptions {
  /** Page size to request (MaxResults ≤ 100 on SageMaker). */
  pageSize?: number;
  /** Input member of the token (default NextToken). */
  inputToken?: string;
  /** Output member of the token (default NextToken). */
  outputToken?: string;
  /** Input member of the page size (default MaxResults). */
  pageSizeKey?: string;
  /** Stops paging between pages. */
  signal?: AbortSignal;
}

/** One page-fetching call, e.g. `input => client.send(new ListEndpointsCommand(input))`. */
export type PageFetcher<I, O> = (input: I) => Promise<O>;

/** Yield every page of a list operation, following the token until AWS returns none. */
export async function* paginate<I extends object, O extends object>(
  fetchPage: PageFetcher<I, O>,
  input: I,
  options: IPaginateOptions = {}
): AsyncGenerator<O, void, undefined> {
  const inputToken = options.inputToken ?? 'NextToken';
  const outputToken = options.outputToken ?? 'NextToken';
  const pageSizeKey = options.pageSizeKey ?? 'MaxResults';
  const seen = new Set<string>();
  let token = (input as Record<string, unknown>)[inputToken] as
    string | undefined;
  for (;;) {
    if (options.signal?.aborted) {
      const err = new Error('The request was cancelled.');
      err.name = 'AbortError';
      throw err;
    }
    const pageInput = { ...input } as Record<string, unknown>;
    if (options.pageSize !== undefined) {
      pageInput[pageSizeKey] = options.pageSize;
    }
    if (token) {
      pageInput[inputToken] = token;
    } else {
      delete pageInput[inputToken];
    }
    const page = await fetchPage(pageInput as I);
    yield page;
    token = (page as Record<string, unknown>)[outputToken] as
      string | undefined;
    if (!token) {
      return;
    }
    if (seen.has(token)) {
      // A backend that hands out the same token twice would otherwise keep us here forever.
      throw new Error(
        'The service returned the same page token twice; paging was stopped.'
      );
    }
    seen.add(token);
  }
}

/** Result of {@link collect}. */
export interface ICollected<T> {
  /** The items, at most `limit`. */
  items: T[];
  /** Whether more items exist than were collected. */
  truncated: boolean;
}

/**
 * Collect the items of all pages (or the first `limit`), selecting them from each page with `select`.
 * Stops requesting pages as soon as the limit is reached.
 */
export async function collect<I extends object, O extends object, T>(
  fetchPage: PageFetcher<I, O>,
  input: I,
  select: (page: O) => T[] | undefined,
  options: IPaginateOptions & { limit?: number } = {}
): Promise<ICollected<T>> {
  const limit = options.limit ?? Infinity;
  const items: T[] = [];
  const outputToken = options.outputToken ?? 'NextToken';
  for await (const page of paginate(fetchPage, input, options)) {
    const pageItems = select(page) ?? [];
    for (const item of pageItems) {
      if (items.length >= limit) {
        return { items, truncated: true };
      }
      items.push(item);
    }
    if (items.length >= limit) {
      return {
        items,
        truncated: Boolean((page as Record<string, unknown>)[outputToken])
      };
    }
  }
  return { items, truncated: false };
}
