/**
 * The notebook toolbar item beside the kernel name: the instance type chosen for the notebook
 * ("ml.g4dn.xlarge · 4 vCPU + 16 GiB + 1 GPU") or, when none is chosen, where the notebook runs
 * ("Local · 2 vCPU + 24 GiB") with the live CPU and memory use of that machine and of the kernel's process.
 * The label is a button that opens the instance picker.
 */
import { ReactWidget, UseSignal } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { instanceSummary } from './catalog';
import { machineSummary, MachineModel } from './model';
import type { NotebookInstanceModel } from './notebookInstance';

/** The kernel-bar item of one notebook. */
export class KernelBarItem extends ReactWidget {
  /** Show a model's figures and, when given, the notebook's chosen instance type. */
  constructor(options: KernelBarItem.IOptions) {
    super();
    this._model = options.model;
    this._instance = options.instance ?? null;
    this._onChoose = options.onChoose ?? null;
    this._trans = options.trans;
    this.addClass('jp-SageMakerKernelBar');
    this.node.dataset.testid = 'sagemaker-studio-kernel-bar';
  }

  dispose(): void {
    this._model.dispose();
    this._instance?.dispose();
    super.dispose();
  }

  protected render(): JSX.Element {
    const machine = (
      <UseSignal signal={this._model.changed}>
        {() => this._renderMachine()}
      </UseSignal>
    );
    if (!this._instance) {
      return machine;
    }
    const instance = this._instance;
    return (
      <UseSignal signal={instance.changed}>
        {() => (instance.choice ? this._renderChosen(instance) : machine)}
      </UseSignal>
    );
  }

  /** The chosen instance type and its hardware (from the bundled table). */
  private _renderChosen(instance: NotebookInstanceModel): JSX.Element {
    const trans = this._trans;
    const choice = instance.choice!;
    const hardware = instance.instance;
    const text = hardware
      ? `${choice.instanceType} · ${instanceSummary(hardware)}`
      : choice.instanceType;
    const title = [
      trans.__(
        'Instance type chosen for this notebook: %1',
        choice.instanceType
      ),
      hardware?.gpuModel
        ? trans.__(
            'GPUs: %1 × %2 (%3 GiB)',
            hardware.gpuCount,
            hardware.gpuModel,
            hardware.gpuMemoryGiB
          )
        : null,
      choice.imageName ? trans.__('Image: %1', choice.imageName) : null,
      this._onChoose ? trans.__('Click to choose another instance type.') : null
    ]
      .filter(Boolean)
      .join('\n');
    return (
      <span className="jp-SageMakerKernelBar-content jp-mod-chosen">
        <KernelBarLabel title={title} onClick={this._onChoose}>
          {text}
        </KernelBarLabel>
      </span>
    );
  }

  /** This machine and its live use. */
  private _renderMachine(): JSX.Element {
    const trans = this._trans;
    const machine = this._model.machine;
    const choose = this._onChoose
      ? trans.__('Click to choose an instance type for this notebook.')
      : null;
    if (!machine) {
      return (
        <span className="jp-SageMakerKernelBar-content">
          <KernelBarLabel title={choose ?? ''} onClick={this._onChoose}>
            {this._model.error ?? trans.__('Local')}
          </KernelBarLabel>
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
      gpus.length ? trans.__('GPUs: %1', gpus.join(', ')) : null,
      choose
    ]
      .filter(Boolean)
      .join('\n');
    return (
      <span className="jp-SageMakerKernelBar-content" title={title}>
        <KernelBarLabel title={title} onClick={this._onChoose}>
          {trans.__('Local · %1', machineSummary(machine))}
        </KernelBarLabel>
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
  }

  private _model: MachineModel;
  private _instance: NotebookInstanceModel | null;
  private _onChoose: (() => void) | null;
  private _trans: TranslationBundle;
}

/** Types of {@link KernelBarItem}. */
export namespace KernelBarItem {
  /** Options of the item. */
  export interface IOptions {
    /** The figures (disposed with the item). */
    model: MachineModel;
    /** The notebook's chosen instance type (disposed with the item). */
    instance?: NotebookInstanceModel | null;
    /** Opens the instance picker (the label is then a button). */
    onChoose?: (() => void) | null;
    /** Translations. */
    trans: TranslationBundle;
  }
}

/**
 * The label part of the kernel bar: a button when it opens the picker (Enter and Space activate it), else text.
 * Kept separate so that further parts (e.g. a job's status) sit beside it.
 */
export function KernelBarLabel(props: {
  title: string;
  onClick: (() => void) | null;
  children: React.ReactNode;
}): JSX.Element {
  if (!props.onClick) {
    return (
      <span
        className="jp-SageMakerKernelBar-label"
        data-testid="sagemaker-studio-kernel-bar-label"
        title={props.title || undefined}
      >
        {props.children}
      </span>
    );
  }
  const onClick = props.onClick;
  return (
    <button
      type="button"
      className="jp-SageMakerKernelBar-label jp-mod-button"
      data-testid="sagemaker-studio-kernel-bar-label"
      title={props.title || undefined}
      aria-haspopup="dialog"
      onClick={() => onClick()}
    >
      {props.children}
    </button>
  );
}
