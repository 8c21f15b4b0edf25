/**
 * The instance types the user chose last (most recent first, at most five), kept in the state database so they
 * come first in the picker in every notebook and after a reload. No DOM.
 */
import type { IStateDB } from '@jupyterlab/statedb';

/** State database key of the list. */
export const RECENT_INSTANCES_KEY =
  'jupyterlab-sagemaker-studio:instances:recent';

/** How many types the list keeps. */
export const RECENT_INSTANCES_MAX = 5;

/** The list with `type` moved to the front, at most `max` long. */
export function rememberInstance(
  list: readonly string[],
  type: string,
  max = RECENT_INSTANCES_MAX
): string[] {
  return [type, ...list.filter(item => item !== type)].slice(0, max);
}

/** The recently used types, read from and written to the state database (kept in memory without one). */
export class RecentInstances {
  /** Use a state database, or none. */
  constructor(state: IStateDB | null) {
    this._state = state;
  }

  /** The list, most recent first. */
  async load(): Promise<string[]> {
    if (this._state) {
      try {
        const value = await this._state.fetch(RECENT_INSTANCES_KEY);
        if (Array.isArray(value)) {
          this._list = value.filter(
            (item): item is string => typeof item === 'string'
          );
        }
      } catch {
        // An unreadable list is an empty one.
      }
    }
    return this._list;
  }

  /** Put a type first. */
  async add(type: string): Promise<void> {
    this._list = rememberInstance(await this.load(), type);
    await this._state?.save(RECENT_INSTANCES_KEY, this._list);
  }

  private _state: IStateDB | null;
  private _list: string[] = [];
}
