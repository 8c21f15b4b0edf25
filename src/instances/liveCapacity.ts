/**
 * The live figures of the instance picker: the account's training-job quotas (Service Quotas) and, in AWS mode,
 * training prices from the Price List API, read once per mode and region. Loaded when the picker first opens.
 */
import type { TranslationBundle } from '@jupyterlab/translation';

import type { IAwsConnection } from '../tokens';
import { fetchTrainingPrices, fetchTrainingQuotas } from './capacity';

/** Live figures for the picker and one-line notes about what could not be read. */
export interface ILive {
  /** Training-job quotas by type, null when not read. */
  quotas: Map<string, number> | null;
  /** Live training prices by type, null when not read. */
  prices: Map<string, number> | null;
  /** What failed, one line each. */
  notes: string[];
}

/** How long the picker waits for live figures before it opens with the bundled ones. */
const WAIT_MS = 5000;

/** Reads quotas and live prices once per mode and region; a failure is a note and is tried again next time. */
export class LiveCapacity {
  /** Read through the suite's connection (none: no figures). */
  constructor(connection: IAwsConnection | null, trans: TranslationBundle) {
    this._connection = connection;
    this._trans = trans;
  }

  /** The figures for a region, or notes saying why there are none. */
  async read(region: string | null): Promise<ILive> {
    const connection = this._connection;
    if (!connection || !region) {
      return { quotas: null, prices: null, notes: [] };
    }
    const key = `${connection.mode}:${region}`;
    let pending = this._cache.get(key);
    if (!pending) {
      pending = this._fetch(connection, region);
      this._cache.set(key, pending);
      void pending.then(live => {
        if (live.notes.length) {
          this._cache.delete(key);
        }
      });
    }
    const trans = this._trans;
    const late: ILive = {
      quotas: null,
      prices: null,
      notes: [
        trans.__(
          'Quotas and live prices are still loading; open the picker again to see them.'
        )
      ]
    };
    return Promise.race([
      pending,
      new Promise<ILive>(resolve => setTimeout(() => resolve(late), WAIT_MS))
    ]);
  }

  private async _fetch(
    connection: IAwsConnection,
    region: string
  ): Promise<ILive> {
    const trans = this._trans;
    const notes: string[] = [];
    const [quotas, prices] = await Promise.all([
      connection
        .serviceQuotas()
        .then(client => fetchTrainingQuotas(client))
        .catch(err => {
          notes.push(
            trans.__(
              'Quotas could not be read: %1',
              connection.describeError(err)
            )
          );
          return null;
        }),
      // Local mode has no Price List API: the bundled prices are the figures there.
      connection.mode !== 'aws'
        ? Promise.resolve(null)
        : connection
            .pricing()
            .then(client => fetchTrainingPrices(client, region))
            .catch(err => {
              notes.push(
                trans.__(
                  'Live prices could not be read (the bundled prices are shown): %1',
                  connection.describeError(err)
                )
              );
              return null;
            })
    ]);
    return {
      quotas,
      prices: prices && prices.size ? prices : null,
      notes
    };
  }

  private _connection: IAwsConnection | null;
  private _trans: TranslationBundle;
  private _cache = new Map<string, Promise<ILive>>();
}
