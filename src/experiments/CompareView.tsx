/**
 * The comparison view: a status line and a grid of chart cards. Each card draws one chart of the comparison with
 * the shared canvas chart component (loaded on first use), offers zoom reset, PNG and CSV downloads, and selects
 * its chart for the right-sidebar property pane. No AWS code: data comes from the {@link CompareModel}.
 */
import {
  Dialog,
  ReactWidget,
  showDialog,
  UseSignal
} from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { Chart } from '../charts/Chart';
import type { IChartContent } from './chartData';
import type { CompareModel } from './compareModel';
import { CHART_TYPES } from './comparison';
import { ChartType, fieldLabel, IChartSpec } from './types';

/** The body of a comparison document. */
export class CompareView extends ReactWidget {
  /** Create the view of a model. */
  constructor(options: CompareView.IOptions) {
    super();
    this._model = options.model;
    this._trans = options.trans;
    this.addClass('jp-SageMakerCompare');
    this.node.dataset.testid = 'sagemaker-studio-compare';
  }

  /** The model shown. */
  get model(): CompareModel {
    return this._model;
  }

  /** Set when the file cannot be read: the view shows this sentence instead of charts. */
  get fileError(): string | null {
    return this._fileError;
  }
  set fileError(value: string | null) {
    this._fileError = value;
    this.update();
  }

  protected render(): JSX.Element {
    return (
      <UseSignal signal={this._model.stateChanged}>
        {() => (
          <CompareBody
            model={this._model}
            trans={this._trans}
            fileError={this._fileError}
          />
        )}
      </UseSignal>
    );
  }

  private _model: CompareModel;
  private _trans: TranslationBundle;
  private _fileError: string | null = null;
}

/** Types of {@link CompareView}. */
export namespace CompareView {
  /** Options of the view. */
  export interface IOptions {
    /** The comparison's state. */
    model: CompareModel;
    /** Translations. */
    trans: TranslationBundle;
  }
}

/** Human name of a chart type. */
export function chartTypeLabel(
  type: ChartType,
  trans: TranslationBundle
): string {
  switch (type) {
    case 'line':
      return trans.__('Line');
    case 'scatter':
      return trans.__('Scatter');
    case 'bar':
      return trans.__('Bar');
    case 'histogram':
      return trans.__('Histogram');
  }
}

/** The title a chart shows: its own, or one that says what it plots. */
export function chartTitle(spec: IChartSpec, trans: TranslationBundle): string {
  if (spec.title) {
    return spec.title;
  }
  switch (spec.type) {
    case 'line':
      return spec.metric
        ? trans.__(
            '%1 by %2',
            spec.metric,
            spec.xAxis === 'time' ? trans.__('time') : trans.__('step')
          )
        : trans.__('Line chart');
    case 'scatter':
      return spec.x && spec.y
        ? trans.__('%1 against %2', fieldLabel(spec.y), fieldLabel(spec.x))
        : trans.__('Scatter chart');
    case 'bar':
      return spec.y
        ? trans.__('%1 per run', fieldLabel(spec.y))
        : trans.__('Bar chart');
    case 'histogram':
      return spec.x
        ? trans.__('Distribution of %1', fieldLabel(spec.x))
        : trans.__('Histogram');
  }
}

function CompareBody(props: {
  model: CompareModel;
  trans: TranslationBundle;
  fileError: string | null;
}): JSX.Element {
  const { model, trans, fileError } = props;
  if (fileError) {
    return (
      <div
        className="jp-SageMakerCompare-fileError"
        role="alert"
        data-testid="sagemaker-studio-compare-file-error"
      >
        {fileError}
      </div>
    );
  }
  const { comparison } = model;
  const live = model.hasLive;
  return (
    <div className="jp-SageMakerCompare-body">
      <div
        className="jp-SageMakerCompare-status"
        data-testid="sagemaker-studio-compare-status"
        aria-live="polite"
      >
        {model.status === 'loading' && model.runs.length === 0
          ? trans.__('Loading %1 runs…', comparison.runs.length)
          : trans._n('%1 run compared', '%1 runs compared', model.runs.length)}
        {comparison.experimentName
          ? ` · ${trans.__('experiment %1', comparison.experimentName)}`
          : ''}
        {model.missingRuns.length > 0
          ? ` · ${trans._n(
              '%1 run no longer exists: %2',
              '%1 runs no longer exist: %2',
              model.missingRuns.length,
              model.missingRuns.slice(0, 3).join(', ') +
                (model.missingRuns.length > 3 ? '…' : '')
            )}`
          : ''}
        {live ? ` · ${trans.__('runs in progress refresh live')}` : ''}
      </div>
      {model.error && (
        <div className="jp-SageMakerCompare-error" role="alert">
          {model.error}{' '}
          <button
            className="jp-mod-styled jp-mod-accept"
            onClick={() => void model.refresh()}
          >
            {trans.__('Retry')}
          </button>
        </div>
      )}
      <AddChartBar model={model} trans={trans} />
      {comparison.charts.length === 0 ? (
        <div className="jp-SageMakerCompare-empty">
          {trans.__(
            'No charts yet: add a line chart of a metric over steps, or a scatter, bar or histogram of run summaries.'
          )}
        </div>
      ) : (
        <div className="jp-SageMakerCompare-grid">
          {comparison.charts.map(spec => (
            <ChartCard
              key={spec.id}
              spec={spec}
              model={model}
              trans={trans}
              selected={spec.id === model.selectedChartId}
              generation={model.generation}
            />
          ))}
        </div>
      )}
    </div>
  );
}

function AddChartBar(props: {
  model: CompareModel;
  trans: TranslationBundle;
}): JSX.Element {
  const { model, trans } = props;
  return (
    <div
      className="jp-SageMakerCompare-add"
      role="group"
      aria-label={trans.__('Add chart')}
    >
      <span className="jp-SageMakerCompare-addLabel">
        {trans.__('Add chart:')}
      </span>
      {CHART_TYPES.map(type => (
        <button
          key={type}
          className="jp-mod-styled jp-SageMakerCompare-addButton"
          data-testid={`sagemaker-studio-add-chart-${type}`}
          disabled={model.status !== 'ready' || model.runs.length === 0}
          onClick={() => model.addChart(type)}
        >
          {chartTypeLabel(type, trans)}
        </button>
      ))}
    </div>
  );
}

function ChartCard(props: {
  spec: IChartSpec;
  model: CompareModel;
  trans: TranslationBundle;
  selected: boolean;
  generation: number;
}): JSX.Element {
  const { spec, model, trans, selected, generation } = props;
  const hostRef = React.useRef<HTMLDivElement>(null);
  const chartRef = React.useRef<Chart | null>(null);
  const [content, setContent] = React.useState<IChartContent | null>(null);
  const [loading, setLoading] = React.useState(true);
  const title = chartTitle(spec, trans);
  const specKey = JSON.stringify(spec);

  React.useEffect(() => {
    return () => {
      chartRef.current?.dispose();
      chartRef.current = null;
    };
  }, []);

  React.useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    void (async () => {
      const [result, module] = await Promise.all([
        model.chartContent(spec, controller.signal),
        import('../charts/Chart')
      ]);
      if (controller.signal.aborted || !hostRef.current) {
        return;
      }
      performance.mark(`sagemaker-studio:chart-data:${spec.id}`);
      if (result.data) {
        if (!chartRef.current) {
          chartRef.current = new module.Chart({ host: hostRef.current, trans });
        }
        chartRef.current.setData(result.data);
        performance.mark(`sagemaker-studio:chart-drawn:${spec.id}`);
      } else {
        chartRef.current?.dispose();
        chartRef.current = null;
      }
      setContent(result);
      setLoading(false);
    })().catch(err => {
      if (!controller.signal.aborted) {
        setContent({ data: null, message: model.describe(err), notes: [] });
        setLoading(false);
      }
    });
    return () => controller.abort();
  }, [specKey, generation, model]);

  const download = async (kind: 'png' | 'csv') => {
    const chart = chartRef.current;
    if (!chart) {
      return;
    }
    const blob =
      kind === 'png'
        ? await chart.toPNG()
        : new Blob([chart.toCSV()], { type: 'text/csv' });
    Private.saveBlob(blob, `${Private.fileName(title)}.${kind}`);
  };

  const remove = async () => {
    const result = await showDialog({
      title: trans.__('Remove chart'),
      body: trans.__('Remove the chart “%1” from this comparison?', title),
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.warnButton({ label: trans.__('Remove') })
      ]
    });
    if (result.button.accept) {
      model.removeChart(spec.id);
    }
  };

  const drawn = !!content?.data;
  return (
    <section
      className={`jp-SageMakerCompare-card${selected ? ' jp-mod-selected' : ''}`}
      data-testid={`sagemaker-studio-chart-${spec.id}`}
      data-chart-type={spec.type}
      aria-label={title}
      onClick={() => model.select(spec.id)}
    >
      <header className="jp-SageMakerCompare-cardHeader">
        <h3 className="jp-SageMakerCompare-cardTitle">{title}</h3>
        <div className="jp-SageMakerCompare-cardActions">
          <button
            className="jp-mod-styled"
            title={trans.__('Edit the chart’s properties in the right sidebar')}
            data-testid="sagemaker-studio-chart-edit"
            onClick={event => {
              event.stopPropagation();
              model.select(spec.id);
              model.requestProperties();
            }}
          >
            {trans.__('Edit')}
          </button>
          <button
            className="jp-mod-styled"
            title={trans.__(
              'Show the whole range again (drag across the chart to zoom)'
            )}
            disabled={!drawn}
            onClick={() => chartRef.current?.resetZoom()}
          >
            {trans.__('Reset zoom')}
          </button>
          <button
            className="jp-mod-styled"
            data-testid="sagemaker-studio-chart-png"
            disabled={!drawn}
            onClick={() => void download('png')}
          >
            {trans.__('PNG')}
          </button>
          <button
            className="jp-mod-styled"
            data-testid="sagemaker-studio-chart-csv"
            disabled={!drawn}
            onClick={() => void download('csv')}
          >
            {trans.__('CSV')}
          </button>
          <button
            className="jp-mod-styled jp-mod-warn"
            data-testid="sagemaker-studio-chart-remove"
            onClick={event => {
              event.stopPropagation();
              void remove();
            }}
          >
            {trans.__('Remove')}
          </button>
        </div>
      </header>
      <div
        className="jp-SageMakerCompare-plot"
        ref={hostRef}
        data-testid="sagemaker-studio-chart-plot"
        data-state={loading ? 'loading' : drawn ? 'drawn' : 'empty'}
      />
      {!loading && content?.message && (
        <div className="jp-SageMakerCompare-message">{content.message}</div>
      )}
      {loading && (
        <div className="jp-SageMakerCompare-message">
          {trans.__('Loading…')}
        </div>
      )}
      {content && content.notes.length > 0 && (
        <ul className="jp-SageMakerCompare-notes">
          {content.notes.slice(0, 5).map((note, i) => (
            <li key={i}>{note}</li>
          ))}
          {content.notes.length > 5 && (
            <li>{trans.__('… and %1 more', content.notes.length - 5)}</li>
          )}
        </ul>
      )}
    </section>
  );
}

namespace Private {
  /** Offer a blob as a download. */
  export function saveBlob(blob: Blob, name: string): void {
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    // Revoke after the click has been handled.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  /** A file name from a chart title. */
  export function fileName(title: string): string {
    return (
      title
        .replace(/[^A-Za-z0-9._-]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 100) || 'chart'
    );
  }
}
