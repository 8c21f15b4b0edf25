/**
 * The dashboard's charts: the execution timeline (a strip of status-coloured marks, one button per execution),
 * and hosts for the shared canvas charts of `../charts` (distribution bars, drift line), loaded with `import()`
 * when first drawn. Views only; the data comes from the model.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { Chart } from '../charts/Chart';
import type { ChartData } from '../charts/types';
import { executionStatusLabel } from './labels';
import type { IExecution } from './types';

/** Props of {@link Timeline}. */
export interface ITimelineProps {
  /** Executions, any order. */
  executions: IExecution[];
  /** Key of the chosen execution. */
  selected: string | null;
  /** The key of an execution. */
  keyOf: (execution: IExecution) => string;
  /** Choose an execution. */
  onSelect: (key: string) => void;
  /** Translations. */
  trans: TranslationBundle;
}

/** A horizontal strip: one mark per execution at its scheduled time, coloured by status. */
export function Timeline({
  executions,
  selected,
  keyOf,
  onSelect,
  trans
}: ITimelineProps): JSX.Element {
  const timed = executions.filter(e => e.scheduledTime !== null);
  if (!timed.length) {
    return <></>;
  }
  const times = timed.map(e => e.scheduledTime as number);
  const first = Math.min(...times);
  const last = Math.max(...times);
  const span = last - first || 1;
  return (
    <div
      className="jp-SageMakerMonitor-timeline"
      role="group"
      aria-label={trans.__('Execution timeline')}
    >
      <div className="jp-SageMakerMonitor-timelineStrip">
        {timed.map(e => {
          const key = keyOf(e);
          const position =
            last === first
              ? 50
              : (((e.scheduledTime as number) - first) / span) * 100;
          const when = new Date(e.scheduledTime as number).toLocaleString();
          return (
            <button
              key={key}
              className={`jp-SageMakerMonitor-timelineMark ${statusClass(e.status)}${
                key === selected ? ' jp-mod-selected' : ''
              }`}
              style={{ left: `${position}%` }}
              data-status={e.status}
              aria-pressed={key === selected}
              aria-label={trans.__(
                'Execution of %1: %2',
                when,
                executionStatusLabel(e.status, trans)
              )}
              title={`${when} — ${executionStatusLabel(e.status, trans)}`}
              onClick={() => onSelect(key)}
            />
          );
        })}
      </div>
      <div className="jp-SageMakerMonitor-timelineAxis">
        <span>{new Date(first).toLocaleString()}</span>
        <span>{new Date(last).toLocaleString()}</span>
      </div>
    </div>
  );
}

/** Props of {@link ChartHost}. */
export interface IChartHostProps {
  /** What to draw. */
  data: ChartData;
  /** Class of the host (the stable selector of the chart). */
  className: string;
  /** Accessible name of the chart. */
  label: string;
  /** Height in pixels. */
  height: number;
  /** Translations. */
  trans: TranslationBundle;
}

/** A shared canvas chart in a host element; the chart code loads on first draw. */
export function ChartHost({
  data,
  className,
  label,
  height,
  trans
}: IChartHostProps): JSX.Element {
  const hostRef = React.useRef<HTMLDivElement>(null);
  const chartRef = React.useRef<Chart | null>(null);
  const [failed, setFailed] = React.useState<string | null>(null);
  const [drawn, setDrawn] = React.useState(false);
  React.useEffect(
    () => () => {
      chartRef.current?.dispose();
      chartRef.current = null;
    },
    []
  );
  React.useEffect(() => {
    let cancelled = false;
    import('../charts/Chart')
      .then(module => {
        if (cancelled || !hostRef.current) {
          return;
        }
        chartRef.current ??= new module.Chart({
          host: hostRef.current,
          trans,
          height
        });
        chartRef.current.setData(data);
        setDrawn(true);
      })
      .catch(err => {
        if (!cancelled) {
          setFailed(
            trans.__('The chart could not be drawn: %1', (err as Error).message)
          );
        }
      });
    return () => {
      cancelled = true;
    };
  }, [data]);
  return (
    <>
      <div
        ref={hostRef}
        className={className}
        role="img"
        aria-label={label}
        data-state={failed ? 'error' : drawn ? 'drawn' : 'loading'}
        style={{ height }}
      />
      {failed && (
        <div className="jp-SageMakerMonitor-error" role="alert">
          {failed}
        </div>
      )}
    </>
  );
}

/** The colour class of an execution or schedule status. */
export function statusClass(status: string | null): string {
  switch (status) {
    case 'Completed':
    case 'Scheduled':
      return 'jp-mod-ok';
    case 'CompletedWithViolations':
      return 'jp-mod-warn';
    case 'Failed':
      return 'jp-mod-bad';
    case 'Stopped':
    case 'Stopping':
      return 'jp-mod-stopped';
    default:
      return 'jp-mod-busy';
  }
}
