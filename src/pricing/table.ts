/**
 * The bundled SageMaker on-demand price table: US dollars per instance-hour by region, price-list component
 * (hosting, training, processing, batch transform, notebook instances, Studio) and ML instance type, with the
 * source its figures come from. Built by `scripts/build_price_table.py`; loaded with `import()` on first use.
 */

/** Prices by region, component and instance type. */
export class PriceTable {
  /** Wrap the table's data. */
  constructor(data: PriceTable.IData) {
    this._data = data;
  }

  /** Where the figures come from. */
  get source(): PriceTable.ISource {
    return this._data.source;
  }

  /** Regions the table has prices for. */
  get regions(): string[] {
    return Object.keys(this._data.prices);
  }

  /** US dollars per hour of one instance, or null when the table has no price for it. */
  price(
    region: string,
    usage: PriceTable.Usage,
    instanceType: string
  ): number | null {
    const value = this._data.prices[region]?.[usage]?.[instanceType];
    return typeof value === 'number' && Number.isFinite(value) ? value : null;
  }

  private _data: PriceTable.IData;
}

/** Types of {@link PriceTable}. */
export namespace PriceTable {
  /** The price-list components the suite shows. */
  export type Usage =
    'hosting' | 'training' | 'processing' | 'transform' | 'notebook' | 'studio';

  /** Where the figures come from. */
  export interface ISource {
    /** What the figures are (e.g. "AWS Price List API, AmazonSageMaker offer"). */
    title: string;
    /** Where to check them. */
    url: string;
    /** When the figures were published or retrieved (ISO date). */
    date: string;
  }

  /** The JSON the build script writes. */
  export interface IData {
    /** Where the figures come from. */
    source: ISource;
    /** USD per hour: region → component → instance type → price. */
    prices: Record<string, Partial<Record<Usage, Record<string, number>>>>;
  }

  /** Load the bundled table (a separate chunk, fetched on first use). */
  export async function load(): Promise<PriceTable> {
    const data = (await import('./instancePrices.json')) as unknown as
      IData | { default: IData };
    return new PriceTable('default' in data ? data.default : data);
  }
}
