/**
 * The notebook toolbar item beside the kernel name: where the notebook runs ("Local · 2 vCPU + 24 GiB") and the
 * live CPU and memory use of that machine and of the kernel's process.
 */
import { ReactWidget, UseSignal } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { machineSummary, MachineModel } from './model';

/** The kernel-bar item of one notebook. */
export class KernelBarItem extends ReactWidget {
  /** Show a model's figures. */
  constructor(options: KernelBarItem.IOptions) {
    super();
    this._model = options.model;
    this._trans = options.trans;
    this.addClass('jp-SageMakerKernelBar');
    this.node.dataset.testid = 'sagemaker-studio-kernel-bar';
  }

  dispose(): void {
    this._model.dispose();
    super.dispose();
  }

  protected render(): JSX.Element {
    const trans = this._trans;
    return (
      <UseSignal signal={this._model.changed}>
        {() => {
          const machine = this._model.machine;
          if (!machine) {
            return (
              <span className="jp-SageMakerKernelBar-label">
                {this._model.error ?? trans.__('Local')}
              </span>
            );
          }
          const gib = (bytes: number) => (bytes / 2 ** 30).toFixed(1);
          const usage = trans.__(
            'CPU %1% · memory %2 of %3 GiB',
            Math.round(machine.cpuPercent),
            gib(machine.memoryUsedBytes),
            gib(machine.memoryBytes)
          );
          const kernel = machine.kernel
            ? trans.__('kernel %1 GiB', gib(machine.kernel.memoryBytes))
            : null;
          const gpus = machine.gpus.map(g => `${g.model} (${g.memoryMiB} MiB)`);
          const title = [
            trans.__('This notebook runs on this machine (local).'),
            usage,
            kernel,
            gpus.length ? trans.__('GPUs: %1', gpus.join(', ')) : null
          ]
            .filter(Boolean)
            .join('\n');
          return (
            <span className="jp-SageMakerKernelBar-content" title={title}>
              <span
                className="jp-SageMakerKernelBar-label"
                data-testid="sagemaker-studio-kernel-bar-label"
              >
                {trans.__('Local · %1', machineSummary(machine))}
              </span>
              <span
                className="jp-SageMakerKernelBar-usage"
                data-testid="sagemaker-studio-kernel-bar-usage"
              >
                {trans.__(
                  'CPU %1% · %2 GiB',
                  Math.round(machine.cpuPercent),
                  gib(machine.memoryUsedBytes)
                )}
              </span>
            </span>
          );
        }}
      </UseSignal>
    );
  }

  private _model: MachineModel;
  private _trans: TranslationBundle;
}

/** Types of {@link KernelBarItem}. */
export namespace KernelBarItem {
  /** Options of the item. */
  export interface IOptions {
    /** The figures (disposed with the item). */
    model: MachineModel;
    /** Translations. */
    trans: TranslationBundle;
  }
}
