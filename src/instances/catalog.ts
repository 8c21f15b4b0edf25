/**
 * The instance picker's catalog: the bundled table of ML instance types (`instanceTypes.json`, built by
 * `scripts/build_instance_table.py`) joined with a price per hour and, when read, the account's quota for training
 * jobs; filtered, sorted and with recently used types first. No DOM.
 */
import type { PricingClient } from '@aws-sdk/client-pricing';
import type { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';

import { PriceTable } from '../pricing/table';

/** One ML instance type of the bundled table. */
export interface IInstanceType {
  /** `ml.g4dn.xlarge`. */
  type: string;
  /** `g4dn`. */
  family: string;
  /** The Studio category. */
  category: InstanceCatalog.Category;
  /** vCPUs. */
  vcpu: number;
  /** Memory in GiB. */
  memoryGiB: number;
  /** GPUs (0 when none). */
  gpuCount: number;
  /** GPU model (`T4`), null when none. */
  gpuModel: string | null;
  /** GPU memory of all GPUs together, in GiB. */
  gpuMemoryGiB: number;
  /** Whether Studio starts it fast. */
  fastLaunch: boolean;
  /** Whether Studio offers it for notebooks (AppInstanceType). */
  notebook: boolean;
  /** Whether training jobs accept it (TrainingInstanceType). */
  training: boolean;
}

/** The JSON the build script writes. */
export interface IInstanceTable {
  /** botocore version whose enums listed the types. */
  botocore: string;
  /** Where the facts come from. */
  sources: { title: string; url: string; supplied: string }[];
  /** ML types of the enums whose hardware the script does not know. */
  skippedTypes: string[];
  /** The types. */
  instances: IInstanceType[];
}

/** A row of the picker: a type with its price and quota. */
export interface ICatalogRow extends IInstanceType {
  /** USD per hour in the catalog's region, null when unknown. */
  price: number | null;
  /** Where the price comes from, null when unknown. */
  priceFrom: 'live' | 'bundled' | null;
  /** The account's quota of this type for training jobs, null when unknown or not read. */
  quota: number | null;
}

/** Reads the account's training-job quota per instance type (implemented in `capacity.ts`). */
export type FetchTrainingQuotas = (
  client: ServiceQuotasClient
) => Promise<Map<string, number>>;

/** Reads the training price per hour per instance type in a region (implemented in `capacity.ts`). */
export type FetchTrainingPrices = (
  client: PricingClient,
  region: string
) => Promise<Map<string, number>>;

/** The two loaders of live capacity figures. */
export interface ICapacityLoaders {
  /** Quotas for training jobs. */
  fetchTrainingQuotas: FetchTrainingQuotas;
  /** Training prices. */
  fetchTrainingPrices: FetchTrainingPrices;
}

/** Load the bundled table (a separate chunk, fetched on first use). */
export async function loadInstanceTable(): Promise<IInstanceTable> {
  const data = (await import('./instanceTypes.json')) as unknown as
    IInstanceTable | { default: IInstanceTable };
  return 'default' in data ? data.default : data;
}

/** "4 vCPU + 16 GiB + 1 GPU": the kernel-bar summary of a type. */
export function instanceSummary(row: IInstanceType): string {
  let text = `${row.vcpu} vCPU + ${row.memoryGiB} GiB`;
  if (row.gpuCount) {
    text += ` + ${row.gpuCount} GPU`;
  }
  return text;
}

/**
 * The minimum memory typed by the user: a number ≥ 0, null for an empty field; `valid` is false for anything else
 * (then nothing is filtered).
 */
export function parseMinMemory(text: string): {
  value: number | null;
  valid: boolean;
} {
  const trimmed = text.trim();
  if (!trimmed) {
    return { value: null, valid: true };
  }
  const value = Number(trimmed);
  if (!/^\d*\.?\d+$/.test(trimmed) || !Number.isFinite(value) || value < 0) {
    return { value: null, valid: false };
  }
  return { value, valid: true };
}

/** The instance types with prices and quotas, and queries over them. */
export class InstanceCatalog {
  /** Join the table with prices and quotas. */
  constructor(options: InstanceCatalog.IOptions) {
    this._region = options.region;
    this._prices = options.prices ?? null;
    this._livePrices = options.livePrices ?? null;
    this._quotas = options.quotas ?? null;
    this._rows = options.table.instances.map(instance => this._join(instance));
    this._byType = new Map(this._rows.map(row => [row.type, row]));
  }

  /** The region whose prices are shown, null when unknown. */
  get region(): string | null {
    return this._region;
  }

  /** All rows, in the table's order (category, family, size). */
  get rows(): readonly ICatalogRow[] {
    return this._rows;
  }

  /** Whether quotas were given (the quota column is shown). */
  get hasQuotas(): boolean {
    return this._quotas !== null;
  }

  /** Whether live prices were given. */
  get hasLivePrices(): boolean {
    return this._livePrices !== null;
  }

  /** The bundled price table's source, null without a table. */
  get priceSource(): PriceTable.ISource | null {
    return this._prices?.source ?? null;
  }

  /** The row of a type, or undefined when the table does not have it. */
  get(type: string): ICatalogRow | undefined {
    return this._byType.get(type);
  }

  /** The rows that pass the filter, sorted, with the recently used ones (in `recent` order) first. */
  query(query: InstanceCatalog.IQuery = {}): ICatalogRow[] {
    const filter = query.filter ?? {};
    const words = (filter.search ?? '')
      .toLowerCase()
      .split(/\s+/)
      .filter(Boolean);
    const minMemory = parseMinMemory(filter.minMemory ?? '').value;
    const passes = (row: ICatalogRow): boolean => {
      if (filter.fastLaunchOnly && !row.fastLaunch) {
        return false;
      }
      if (filter.gpuOnly && row.gpuCount === 0) {
        return false;
      }
      if (minMemory !== null && row.memoryGiB < minMemory) {
        return false;
      }
      const text = [row.type, row.family, row.category, row.gpuModel ?? '']
        .join(' ')
        .toLowerCase();
      return words.every(word => text.includes(word));
    };
    let rows = this._rows.filter(passes);
    if (query.sort) {
      const { column, direction } = query.sort;
      const sign = direction === 'descending' ? -1 : 1;
      rows = rows
        .map((row, index) => ({ row, index }))
        .sort((a, b) => {
          const [x, y] = [
            Private.value(a.row, column),
            Private.value(b.row, column)
          ];
          // Missing values last in both directions; ties keep the table's order.
          if (x === null || y === null) {
            return x === y ? a.index - b.index : x === null ? 1 : -1;
          }
          const order =
            typeof x === 'number' && typeof y === 'number'
              ? x - y
              : String(x).localeCompare(String(y), undefined, {
                  numeric: true
                });
          return order ? sign * order : a.index - b.index;
        })
        .map(({ row }) => row);
    }
    const recent = (query.recent ?? []).filter(type => this._byType.has(type));
    if (recent.length) {
      const first = recent
        .map(type => rows.find(row => row.type === type))
        .filter((row): row is ICatalogRow => row !== undefined);
      rows = [...first, ...rows.filter(row => !recent.includes(row.type))];
    }
    return rows;
  }

  private _join(instance: IInstanceType): ICatalogRow {
    let price: number | null = null;
    let priceFrom: ICatalogRow['priceFrom'] = null;
    const live = this._livePrices?.get(instance.type);
    if (typeof live === 'number' && Number.isFinite(live)) {
      price = live;
      priceFrom = 'live';
    } else if (this._prices && this._region) {
      price = this._prices.price(this._region, 'training', instance.type);
      priceFrom = price === null ? null : 'bundled';
    }
    const quota = this._quotas?.get(instance.type);
    return {
      ...instance,
      price,
      priceFrom,
      quota: typeof quota === 'number' ? quota : null
    };
  }

  private _region: string | null;
  private _prices: PriceTable | null;
  private _livePrices: Map<string, number> | null;
  private _quotas: Map<string, number> | null;
  private _rows: ICatalogRow[];
  private _byType: Map<string, ICatalogRow>;
}

/** Types of {@link InstanceCatalog}. */
export namespace InstanceCatalog {
  /** Studio's categories. */
  export type Category = 'standard' | 'compute' | 'memory' | 'accelerated';

  /** The sortable columns. */
  export type Column =
    | 'type'
    | 'category'
    | 'vcpu'
    | 'memoryGiB'
    | 'gpuCount'
    | 'price'
    | 'fastLaunch'
    | 'quota';

  /** The order of a sorted column (the `aria-sort` values). */
  export type Direction = 'ascending' | 'descending';

  /** Options of the catalog. */
  export interface IOptions {
    /** The bundled table. */
    table: IInstanceTable;
    /** The region whose prices to show, null when unknown. */
    region: string | null;
    /** The bundled price table ('training' component). */
    prices?: PriceTable | null;
    /** Live training prices (Price List API), which win over the bundled ones. */
    livePrices?: Map<string, number> | null;
    /** The account's training-job quotas by type. */
    quotas?: Map<string, number> | null;
  }

  /** What the user filters by. */
  export interface IFilter {
    /** Words that must all appear in type, family, category or GPU model. */
    search?: string;
    /** Only fast-launch types. */
    fastLaunchOnly?: boolean;
    /** Only types with GPUs. */
    gpuOnly?: boolean;
    /** Minimum memory in GiB, as typed (see {@link parseMinMemory}; invalid text filters nothing). */
    minMemory?: string;
  }

  /** A query of the catalog. */
  export interface IQuery {
    /** The filter. */
    filter?: IFilter;
    /** Sort by a column; none keeps the table's order. */
    sort?: { column: Column; direction: Direction } | null;
    /** Recently used types, most recent first; shown before the others. */
    recent?: string[];
  }
}

/** Load the catalog: the bundled table and price table, joined with whatever live figures were read. */
export async function loadCatalog(
  options: Omit<InstanceCatalog.IOptions, 'table' | 'prices'>
): Promise<InstanceCatalog> {
  const [table, prices] = await Promise.all([
    loadInstanceTable(),
    PriceTable.load().catch(() => null)
  ]);
  return new InstanceCatalog({ ...options, table, prices });
}

namespace Private {
  /** The sort value of a column, null when missing. */
  export function value(
    row: ICatalogRow,
    column: InstanceCatalog.Column
  ): number | string | null {
    switch (column) {
      case 'fastLaunch':
        return row.fastLaunch ? 0 : 1;
      case 'category':
        return CATEGORY_ORDER.indexOf(row.category);
      default:
        return row[column];
    }
  }

  /** Studio's order of the categories. */
  const CATEGORY_ORDER: InstanceCatalog.Category[] = [
    'standard',
    'compute',
    'memory',
    'accelerated'
  ];
}
