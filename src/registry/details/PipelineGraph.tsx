/**
 * The pipeline's steps drawn as a graph (SVG): a rounded box per step with its name, type and status, coloured by
 * status, arrows for the order SageMaker runs them in, a legend. Steps are buttons: click or Enter shows details.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { IPipelineGraph } from './pipelineDefinition';
import { layoutPipeline } from './pipelineLayout';
import type { IStepRun } from './pipelineModel';

/** The step statuses, in the legend's order; "NotStarted" stands for a step without a run. */
export const STEP_STATUSES = [
  'NotStarted',
  'Starting',
  'Executing',
  'Stopping',
  'Stopped',
  'Failed',
  'Succeeded'
] as const;

/** The translated label of an execution's or a step's status. */
export function pipelineStatusLabel(
  status: string | null | undefined,
  trans: TranslationBundle
): string {
  switch (status) {
    case null:
    case undefined:
    case '':
    case 'NotStarted':
      return trans.__('Not started');
    case 'Starting':
      return trans.__('Starting');
    case 'Executing':
      return trans.__('Executing');
    case 'Stopping':
      return trans.__('Stopping');
    case 'Stopped':
      return trans.__('Stopped');
    case 'Failed':
      return trans.__('Failed');
    case 'Succeeded':
      return trans.__('Succeeded');
    default:
      return status;
  }
}

/** The CSS state class of a status (`jp-mod-<status>`). */
export function pipelineStatusClass(status: string | null | undefined): string {
  return `jp-mod-${(status || 'NotStarted').toLowerCase()}`;
}

/** A status as a small coloured badge. */
export function PipelineStatusBadge({
  status,
  trans
}: {
  status: string | null | undefined;
  trans: TranslationBundle;
}): JSX.Element {
  return (
    <span
      className={`jp-SageMakerPipeline-status ${pipelineStatusClass(status)}`}
      data-status={status || 'NotStarted'}
    >
      {pipelineStatusLabel(status, trans)}
    </span>
  );
}

/** Characters of a name that fit a box. */
const NAME_CHARS = 24;

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

let arrowIds = 0;

/** The graph and its legend. */
export function PipelineGraph({
  graph,
  steps,
  selected,
  onSelect,
  trans
}: {
  graph: IPipelineGraph;
  steps: Map<string, IStepRun> | null;
  selected: string | null;
  onSelect: (name: string) => void;
  trans: TranslationBundle;
}): JSX.Element {
  const layout = React.useMemo(() => layoutPipeline(graph), [graph]);
  const [arrowId] = React.useState(
    () => `jp-SageMakerPipeline-arrow-${++arrowIds}`
  );
  const types = new Map(graph.steps.map(s => [s.name, s]));
  const branchLabel = (kind: string): string | null =>
    kind === 'if'
      ? trans.__('if true')
      : kind === 'else'
        ? trans.__('else')
        : null;
  return (
    <div className="jp-SageMakerPipeline-graph">
      <svg
        className="jp-SageMakerPipeline-svg"
        width={layout.width}
        height={layout.height}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        role="group"
        aria-label={trans.__('Steps of the pipeline')}
      >
        <defs>
          <marker
            id={arrowId}
            className="jp-SageMakerPipeline-arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto-start-reverse"
          >
            <path d="M 0 0 L 10 5 L 0 10 z" />
          </marker>
        </defs>
        {layout.edges.map(edge => {
          const label = branchLabel(edge.kind);
          const mid = edge.points[Math.floor(edge.points.length / 2)];
          return (
            <g
              key={`${edge.from}->${edge.to}`}
              className={`jp-SageMakerPipeline-edge jp-mod-${edge.kind}`}
              data-from={edge.from}
              data-to={edge.to}
              data-kind={edge.kind}
            >
              <path
                d={edge.points
                  .map((p, i) => `${i === 0 ? 'M' : 'L'} ${p.x} ${p.y}`)
                  .join(' ')}
                markerEnd={`url(#${arrowId})`}
              />
              {label && mid && (
                <text x={mid.x + 6} y={mid.y} dominantBaseline="middle">
                  {label}
                </text>
              )}
            </g>
          );
        })}
        {layout.nodes.map(node => {
          const step = types.get(node.name)!;
          const run = steps?.get(node.name) ?? null;
          const status = run?.status || 'NotStarted';
          const statusText = pipelineStatusLabel(status, trans);
          const isSelected = selected === node.name;
          const activate = () => onSelect(node.name);
          return (
            <g
              key={node.name}
              className={`jp-SageMakerPipeline-node ${pipelineStatusClass(status)}${
                isSelected ? ' jp-mod-selected' : ''
              }`}
              transform={`translate(${node.x}, ${node.y})`}
              data-step={node.name}
              data-status={status}
              role="button"
              tabIndex={0}
              aria-pressed={isSelected}
              aria-label={trans.__(
                '%1, %2 step, %3',
                step.displayName ?? node.name,
                step.type,
                statusText
              )}
              onClick={activate}
              onKeyDown={event => {
                if (event.key === 'Enter' || event.key === ' ') {
                  event.preventDefault();
                  activate();
                }
              }}
            >
              <title>
                {step.displayName && step.displayName !== node.name
                  ? `${node.name} — ${step.displayName}`
                  : node.name}
              </title>
              <rect
                className="jp-SageMakerPipeline-nodeFocus"
                x={-4}
                y={-4}
                width={node.width + 8}
                height={node.height + 8}
                rx={11}
                ry={11}
              />
              <rect
                className="jp-SageMakerPipeline-nodeBox"
                width={node.width}
                height={node.height}
                rx={8}
                ry={8}
              />
              <rect
                className="jp-SageMakerPipeline-nodeStripe"
                x={0}
                y={0}
                width={6}
                height={node.height}
                rx={3}
              />
              <text className="jp-SageMakerPipeline-nodeName" x={16} y={20}>
                {shorten(node.name, NAME_CHARS)}
              </text>
              <text className="jp-SageMakerPipeline-nodeType" x={16} y={37}>
                {shorten(step.type, NAME_CHARS)}
              </text>
              <text className="jp-SageMakerPipeline-nodeStatus" x={16} y={52}>
                {statusText}
              </text>
            </g>
          );
        })}
      </svg>
      <ul
        className="jp-SageMakerPipeline-legend"
        aria-label={trans.__('Step status colours')}
      >
        {STEP_STATUSES.map(status => (
          <li key={status} className={pipelineStatusClass(status)}>
            <span className="jp-SageMakerPipeline-swatch" />
            {pipelineStatusLabel(status, trans)}
          </li>
        ))}
      </ul>
    </div>
  );
}
