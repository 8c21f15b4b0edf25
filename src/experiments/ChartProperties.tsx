/**
 * The chart property pane of the right sidebar, as Studio's settings pane: chart type, data type, axes, colour,
 * log scale, smoothing, bins and title of the chart selected in the active comparison. Typed values are checked
 * before they change anything; a bad one shows a sentence beside its field.
 */
import { ReactWidget, UseSignal } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { ISignal } from '@lumino/signaling';
import * as React from 'react';

import type { CompareModel } from './compareModel';
import { CHART_TYPES, MAX_BINS, MAX_TITLE } from './comparison';
import { chartTitle, chartTypeLabel } from './CompareView';
import {
  ChartType,
  DataType,
  Field,
  fieldFromKey,
  fieldKey,
  fieldLabel,
  IChartSpec
} from './types';

/** The right-sidebar pane editing the selected chart of the current comparison. */
export class ChartPropertiesPanel extends ReactWidget {
  /** Create the pane; it follows `current()` whenever `currentChanged` fires. */
  constructor(options: ChartPropertiesPanel.IOptions) {
    super();
    this._options = options;
    this.addClass('jp-SageMakerChartProperties');
    this.id = 'sagemaker-studio-chart-properties';
    this.title.caption = options.trans.__('Chart properties');
    this.node.dataset.testid = 'sagemaker-studio-chart-properties';
    options.currentChanged.connect(this._onCurrentChanged, this);
    this._onCurrentChanged();
  }

  protected render(): JSX.Element {
    const { trans } = this._options;
    const model = this._model;
    if (!model) {
      return (
        <div className="jp-SageMakerChartProperties-empty">
          {trans.__(
            'Open a run comparison and select a chart to edit its properties.'
          )}
        </div>
      );
    }
    return (
      <UseSignal signal={model.stateChanged}>
        {() => <PropertiesForm model={model} trans={trans} />}
      </UseSignal>
    );
  }

  dispose(): void {
    this._options.currentChanged.disconnect(this._onCurrentChanged, this);
    super.dispose();
  }

  private _onCurrentChanged(): void {
    const model = this._options.current();
    if (model !== this._model) {
      this._model = model;
      this.update();
    }
  }

  private _options: ChartPropertiesPanel.IOptions;
  private _model: CompareModel | null = null;
}

/** Types of {@link ChartPropertiesPanel}. */
export namespace ChartPropertiesPanel {
  /** Options of the pane. */
  export interface IOptions {
    /** Translations. */
    trans: TranslationBundle;
    /** The model of the active comparison, or null. */
    current: () => CompareModel | null;
    /** Emitted when the active comparison changes. */
    currentChanged: ISignal<any, any>;
  }
}

function PropertiesForm(props: {
  model: CompareModel;
  trans: TranslationBundle;
}): JSX.Element {
  const { model, trans } = props;
  const spec = model.selectedChart;
  if (!spec) {
    return (
      <div className="jp-SageMakerChartProperties-empty">
        {model.comparison.charts.length
          ? trans.__('Select a chart to edit its properties.')
          : trans.__(
              'Add a chart to the comparison, then edit its properties here.'
            )}
      </div>
    );
  }
  const update = (change: Partial<Omit<IChartSpec, 'id'>>) =>
    model.updateChart(spec.id, change);
  const fields = model.fields;
  return (
    <form
      className="jp-SageMakerChartProperties-form"
      aria-label={trans.__('Properties of %1', chartTitle(spec, trans))}
      onSubmit={event => event.preventDefault()}
    >
      <h2 className="jp-SageMakerChartProperties-heading">
        {chartTitle(spec, trans)}
      </h2>
      <Row label={trans.__('Chart type')}>
        <select
          data-testid="sagemaker-studio-prop-type"
          value={spec.type}
          onChange={event => update({ type: event.target.value as ChartType })}
        >
          {CHART_TYPES.map(type => (
            <option key={type} value={type}>
              {chartTypeLabel(type, trans)}
            </option>
          ))}
        </select>
      </Row>
      <Row label={trans.__('Data type')}>
        <select
          data-testid="sagemaker-studio-prop-data-type"
          value={spec.dataType}
          onChange={event => {
            const dataType = event.target.value as DataType;
            // A time series is drawn as lines; summaries as a scatter unless the chart already plots summaries.
            update({
              type:
                dataType === 'timeSeries'
                  ? 'line'
                  : spec.type === 'line'
                    ? 'scatter'
                    : spec.type
            });
          }}
        >
          <option value="timeSeries">{trans.__('Time series')}</option>
          <option value="summary">{trans.__('Summary statistics')}</option>
        </select>
      </Row>
      {spec.type === 'line' && (
        <>
          <Row label={trans.__('X-axis')}>
            <select
              data-testid="sagemaker-studio-prop-x-axis"
              value={spec.xAxis ?? 'step'}
              onChange={event =>
                update({ xAxis: event.target.value as 'step' | 'time' })
              }
            >
              <option value="step">{trans.__('Step')}</option>
              <option value="time">{trans.__('Wall time')}</option>
            </select>
          </Row>
          <Row label={trans.__('Y-axis (metric)')}>
            <select
              data-testid="sagemaker-studio-prop-metric"
              value={spec.metric ?? ''}
              onChange={event => update({ metric: event.target.value })}
            >
              {!spec.metric && (
                <option value="">{trans.__('Choose a metric')}</option>
              )}
              {[
                ...new Set([
                  ...(spec.metric ? [spec.metric] : []),
                  ...model.metricNames
                ])
              ].map(name => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </Row>
          <NumberRow
            label={trans.__('Smoothing (0–0.99)')}
            testid="sagemaker-studio-prop-smoothing"
            value={spec.smoothing ?? 0}
            check={value =>
              value >= 0 && value <= 0.99
                ? null
                : trans.__('Smoothing must be a number from 0 to 0.99.')
            }
            step={0.01}
            trans={trans}
            onChange={smoothing => update({ smoothing })}
          />
        </>
      )}
      {(spec.type === 'scatter' || spec.type === 'histogram') && (
        <Row
          label={
            spec.type === 'histogram' ? trans.__('Value') : trans.__('X-axis')
          }
        >
          <FieldSelect
            testid="sagemaker-studio-prop-x"
            fields={fields}
            value={spec.x ?? null}
            trans={trans}
            onChange={x => update({ x })}
          />
        </Row>
      )}
      {(spec.type === 'scatter' || spec.type === 'bar') && (
        <Row label={trans.__('Y-axis')}>
          <FieldSelect
            testid="sagemaker-studio-prop-y"
            fields={fields}
            value={spec.y ?? null}
            trans={trans}
            onChange={y => update({ y })}
          />
        </Row>
      )}
      {spec.type === 'histogram' && (
        <NumberRow
          label={trans.__('Bins (1–%1)', MAX_BINS)}
          testid="sagemaker-studio-prop-bins"
          value={spec.bins ?? 10}
          check={value =>
            Number.isInteger(value) && value >= 1 && value <= MAX_BINS
              ? null
              : trans.__('Bins must be a whole number from 1 to %1.', MAX_BINS)
          }
          step={1}
          trans={trans}
          onChange={bins => update({ bins })}
        />
      )}
      {spec.type !== 'histogram' && (
        <>
          <Row label={trans.__('Colour by')}>
            <FieldSelect
              testid="sagemaker-studio-prop-color"
              fields={fields}
              value={spec.colorBy ?? null}
              trans={trans}
              noneLabel={trans.__('Run (one colour each)')}
              onChange={colorBy => update({ colorBy })}
            />
          </Row>
          <Row label={trans.__('Logarithmic y-axis')}>
            <input
              type="checkbox"
              data-testid="sagemaker-studio-prop-log"
              checked={!!spec.logScale}
              onChange={event => update({ logScale: event.target.checked })}
            />
          </Row>
        </>
      )}
      <TitleRow
        spec={spec}
        trans={trans}
        onChange={title => update({ title })}
      />
    </form>
  );
}

function Row(props: {
  label: string;
  children: React.ReactNode;
  error?: string | null;
}): JSX.Element {
  return (
    <label className="jp-SageMakerChartProperties-row">
      <span className="jp-SageMakerChartProperties-label">{props.label}</span>
      {props.children}
      {props.error && (
        <span className="jp-SageMakerChartProperties-error" role="alert">
          {props.error}
        </span>
      )}
    </label>
  );
}

function FieldSelect(props: {
  testid: string;
  fields: readonly Field[];
  value: Field | null;
  trans: TranslationBundle;
  noneLabel?: string;
  onChange: (field: Field | null) => void;
}): JSX.Element {
  const { fields, value, trans } = props;
  const all =
    value && !fields.some(f => fieldKey(f) === fieldKey(value))
      ? [value, ...fields]
      : fields;
  const groups: [string, Field[]][] = [
    [trans.__('Parameters'), all.filter(f => f.kind === 'parameter')],
    [trans.__('Metrics'), all.filter(f => f.kind === 'metric')],
    [trans.__('Run'), all.filter(f => f.kind === 'attribute')]
  ];
  return (
    <select
      data-testid={props.testid}
      value={value ? fieldKey(value) : ''}
      onChange={event =>
        props.onChange(
          event.target.value ? fieldFromKey(event.target.value) : null
        )
      }
    >
      <option value="">{props.noneLabel ?? trans.__('Choose…')}</option>
      {groups
        .filter(([, list]) => list.length > 0)
        .map(([label, list]) => (
          <optgroup key={label} label={label}>
            {list.map(field => (
              <option key={fieldKey(field)} value={fieldKey(field)}>
                {fieldLabel(field)}
              </option>
            ))}
          </optgroup>
        ))}
    </select>
  );
}

/** A number input that changes the chart only when the typed value passes `check`. */
function NumberRow(props: {
  label: string;
  testid: string;
  value: number;
  step: number;
  check: (value: number) => string | null;
  trans: TranslationBundle;
  onChange: (value: number) => void;
}): JSX.Element {
  const [text, setText] = React.useState(String(props.value));
  const [error, setError] = React.useState<string | null>(null);
  React.useEffect(() => {
    setText(String(props.value));
    setError(null);
  }, [props.value]);
  const commit = (raw: string) => {
    const value = raw.trim() === '' ? NaN : Number(raw);
    const problem = Number.isFinite(value)
      ? props.check(value)
      : props.check(NaN);
    setError(problem);
    if (!problem && value !== props.value) {
      props.onChange(value);
    }
  };
  return (
    <Row label={props.label} error={error}>
      <input
        type="text"
        inputMode="decimal"
        data-testid={props.testid}
        aria-invalid={!!error}
        value={text}
        onChange={event => setText(event.target.value)}
        onBlur={event => commit(event.target.value)}
        onKeyDown={event => {
          if (event.key === 'Enter') {
            commit((event.target as HTMLInputElement).value);
          }
        }}
      />
    </Row>
  );
}

function TitleRow(props: {
  spec: IChartSpec;
  trans: TranslationBundle;
  onChange: (title: string) => void;
}): JSX.Element {
  const { spec, trans } = props;
  const [text, setText] = React.useState(spec.title ?? '');
  const [error, setError] = React.useState<string | null>(null);
  React.useEffect(() => setText(spec.title ?? ''), [spec.id, spec.title]);
  const commit = () => {
    if (text.length > MAX_TITLE) {
      setError(trans.__('A title has at most %1 characters.', MAX_TITLE));
      return;
    }
    setError(null);
    if (text.trim() !== (spec.title ?? '')) {
      props.onChange(text.trim());
    }
  };
  return (
    <Row label={trans.__('Title')} error={error}>
      <input
        type="text"
        data-testid="sagemaker-studio-prop-title"
        placeholder={chartTitle({ ...spec, title: '' }, trans)}
        value={text}
        onChange={event => setText(event.target.value)}
        onBlur={commit}
        onKeyDown={event => {
          if (event.key === 'Enter') {
            commit();
          }
        }}
      />
    </Row>
  );
}
