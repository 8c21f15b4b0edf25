/**
 * State of one notebook's kernel-bar item: the machine its kernel runs on and the live use of CPU and memory,
 * read every few seconds by a `Poll` that stands by while the notebook is hidden. No DOM.
 */
import type { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import type { IMachine } from './systemRoute';

/** The machine figures of one notebook. */
export class MachineModel implements IDisposable {
  /** Start reading; `kernelId()` names the notebook's current kernel (or null). */
  constructor(options: MachineModel.IOptions) {
    this._read = options.read;
    this._kernelId = options.kernelId;
    this._describeError = options.describeError;
    this._poll = new Poll({
      factory: () => this._refresh(),
      frequency: {
        interval: (options.seconds ?? 5) * 1000,
        backoff: true,
        max: 60_000
      },
      standby: () => (options.isVisible() ? false : 'when-hidden'),
      name: 'jupyterlab-sagemaker-studio:machine'
    });
  }

  /** The last reading, or null before the first. */
  get machine(): IMachine | null {
    return this._machine;
  }

  /** Why the last reading failed, as a sentence; null after a success. */
  get error(): string | null {
    return this._error;
  }

  /** Emitted after every reading. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Whether the model is disposed. */
  get isDisposed(): boolean {
    return this._poll.isDisposed;
  }

  /** Read again now (e.g. when the kernel changed); resolves once the reading is in. */
  async refresh(): Promise<void> {
    const read = new Promise<void>(resolve => {
      const done = () => {
        this._changed.disconnect(done);
        resolve();
      };
      this._changed.connect(done);
    });
    await this._poll.refresh();
    await read;
  }

  /** Stop reading. */
  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._poll.dispose();
    Signal.clearData(this);
  }

  private async _refresh(): Promise<void> {
    try {
      this._machine = await this._read(this._kernelId());
      this._error = null;
    } catch (err) {
      this._error = this._describeError(err);
    }
    this._changed.emit();
  }

  private _read: MachineModel.Read;
  private _kernelId: () => string | null;
  private _describeError: (err: unknown) => string;
  private _poll: Poll;
  private _machine: IMachine | null = null;
  private _error: string | null = null;
  private _changed = new Signal<this, void>(this);
}

/** Types of {@link MachineModel}. */
export namespace MachineModel {
  /** Reads the machine figures, with a kernel's when given its id. */
  export type Read = (kernelId: string | null) => Promise<IMachine>;

  /** Options of the model. */
  export interface IOptions {
    /** Reads the figures. */
    read: Read;
    /** The notebook's kernel id, or null. */
    kernelId: () => string | null;
    /** Whether the item is on screen. */
    isVisible: () => boolean;
    /** Turns an error into a sentence. */
    describeError: (err: unknown) => string;
    /** Seconds between readings (default 5). */
    seconds?: number;
  }
}

/** "2 vCPU + 24 GiB" (+ "+ 1 GPU"): the instance-style summary of a machine. */
export function machineSummary(machine: IMachine): string {
  const gib = machine.memoryBytes / 2 ** 30;
  const memory = gib >= 10 ? Math.round(gib) : Math.round(gib * 10) / 10;
  let text = `${machine.cpuCount} vCPU + ${memory} GiB`;
  if (machine.gpus.length) {
    text += ` + ${machine.gpus.length} GPU`;
  }
  return text;
}
