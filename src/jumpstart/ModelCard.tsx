/**
 * The card of one JumpStart model in the main area: what its spec file says (task, framework, source, licence,
 * gating, fine-tuning, instance types with their hourly prices, a sample request) and the Deploy / Fine-tune
 * actions when those commands exist. Fields the spec lacks are not shown. Loaded with `import()`.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import type { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import type { PriceTable } from '../pricing/table';
import { ErrorState } from '../registry/ErrorState';
import { idParts } from './catalog';
import type { JumpStartModel } from './model';
import type { IDefaultPayload, IManifestEntry, IModelSpec } from './types';

/** The card of one model; it reads the model's spec when it is created. */
export class ModelCardView extends ReactWidget {
  /** Create the card of `options.modelId`. */
  constructor(options: ModelCardView.IOptions) {
    super();
    this._options = options;
    this.addClass('jp-SageMakerJumpStartCard');
    this.node.dataset.testid = 'sagemaker-studio-jumpstart-card';
    this.node.dataset.modelId = options.modelId;
  }

  /** The id of the model shown. */
  get modelId(): string {
    return this._options.modelId;
  }

  /** Render the card. */
  render(): JSX.Element {
    return <ModelCard {...this._options} />;
  }

  private _options: ModelCardView.IOptions;
}

/** Types of {@link ModelCardView}. */
export namespace ModelCardView {
  /** Options of the card. */
  export interface IOptions {
    /** Id of the model. */
    modelId: string;
    /** The catalog state (reads the spec). */
    model: JumpStartModel;
    /** Translations. */
    trans: TranslationBundle;
    /** Where the Deploy and Fine-tune commands are looked up. */
    commands: Pick<
      JupyterFrontEnd['commands'],
      'hasCommand' | 'execute' | 'commandChanged'
    >;
    /** Command that deploys a model (arguments `modelId`, `version`); the button shows only if it exists. */
    deployCommand: string;
    /** Command that fine-tunes a model (arguments `modelId`, `version`); the button shows only if it exists. */
    fineTuneCommand: string;
    /** The current region, for prices. */
    region: () => string | null;
    /** The bundled price table. */
    prices: () => Promise<PriceTable>;
  }
}

/** What the card has read. */
type CardState =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; entry: IManifestEntry; spec: IModelSpec };

/** The card: loading, error with retry, or the spec's facts. */
function ModelCard(props: ModelCardView.IOptions): JSX.Element {
  const { model, modelId, trans } = props;
  const [state, setState] = React.useState<CardState>({ kind: 'loading' });
  const [attempt, setAttempt] = React.useState(0);
  const [prices, setPrices] = React.useState<PriceTable | null>(null);
  // After a region or profile switch the card reads the spec of the new region's bucket.
  const [generation, setGeneration] = React.useState(model.generation);
  React.useEffect(() => {
    const onChange = () => setGeneration(model.generation);
    model.changed.connect(onChange);
    return () => {
      model.changed.disconnect(onChange);
    };
  }, [model]);

  React.useEffect(() => {
    let live = true;
    setState({ kind: 'loading' });
    model.spec(modelId).then(
      ({ entry, spec }) => live && setState({ kind: 'ready', entry, spec }),
      (err: unknown) =>
        live &&
        setState({
          kind: 'error',
          message: trans.__(
            'The details of %1 could not be read: %2',
            modelId,
            err instanceof Error ? err.message : String(err)
          )
        })
    );
    return () => {
      live = false;
    };
  }, [modelId, attempt, generation]);

  // The Deploy / Fine-tune buttons follow commands added or removed later (e.g. by a plugin activated later).
  const [, setCommandsVersion] = React.useState(0);
  React.useEffect(() => {
    const onChange = (_: unknown, args: { type: string }) => {
      if (args.type === 'added' || args.type === 'removed') {
        setCommandsVersion(n => n + 1);
      }
    };
    props.commands.commandChanged.connect(onChange);
    return () => {
      props.commands.commandChanged.disconnect(onChange);
    };
  }, []);

  React.useEffect(() => {
    let live = true;
    props.prices().then(
      table => live && setPrices(table),
      // Without the table every price shows as "no price".
      () => undefined
    );
    return () => {
      live = false;
    };
  }, []);

  if (state.kind === 'loading') {
    return (
      <div className="jp-SageMakerJumpStartCard-loading" role="status">
        {trans.__('Loading the details of %1…', modelId)}
      </div>
    );
  }
  if (state.kind === 'error') {
    return (
      <ErrorState
        className="jp-SageMakerJumpStartCard-error"
        testId="sagemaker-studio-jumpstart-card-error"
        message={state.message}
        onRetry={() => setAttempt(n => n + 1)}
        busy={false}
        trans={trans}
      />
    );
  }
  const region = props.region();
  const price = (usage: PriceTable.Usage, type: string): number | null =>
    prices && region ? prices.price(region, usage, type) : null;
  return (
    <SpecView {...props} entry={state.entry} spec={state.spec} price={price} />
  );
}

/** Props of {@link SpecView}. */
interface ISpecViewProps extends ModelCardView.IOptions {
  entry: IManifestEntry;
  spec: IModelSpec;
  price: (usage: PriceTable.Usage, type: string) => number | null;
}

/** The facts of a spec, each only where the spec has it. */
function SpecView(props: ISpecViewProps): JSX.Element {
  const { spec, entry, trans, commands, modelId } = props;
  const { framework, task } = idParts(modelId);
  const catalogModel = props.model.get(modelId);
  const version = spec.version || entry.version;
  const tunable = spec.training_supported ?? spec.fine_tuning_supported;
  const gated =
    !!spec.hosting_eula_key ||
    spec.gated_bucket === true ||
    spec.model_access === 'Gated';
  const inference = Private.inferenceTypes(spec);
  const payload = Private.firstPayload(spec);
  const args = { modelId, version };
  const canDeploy = commands.hasCommand(props.deployCommand);
  const canFineTune =
    tunable === true && commands.hasCommand(props.fineTuneCommand);

  const facts: Array<[string, React.ReactNode]> = [];
  if (task) {
    facts.push([trans.__('Task'), task]);
  }
  if (spec.ml_framework) {
    facts.push([trans.__('Framework'), spec.ml_framework]);
  } else if (framework) {
    facts.push([trans.__('Framework'), framework]);
  }
  if (spec.hosting_ecr_specs) {
    const e = spec.hosting_ecr_specs;
    facts.push([
      trans.__('Inference container'),
      [e.framework, e.framework_version, e.py_version].filter(Boolean).join(' ')
    ]);
  }
  facts.push([trans.__('Version'), version]);
  const provider = spec.provider ?? catalogModel?.provider;
  if (provider) {
    facts.push([trans.__('Provider'), provider]);
  }
  if (spec.license) {
    facts.push([trans.__('License'), spec.license]);
  }
  if (spec.model_size) {
    facts.push([trans.__('Size'), spec.model_size]);
  }
  if (spec.huggingface_id) {
    facts.push([trans.__('Hugging Face id'), spec.huggingface_id]);
  }
  if (spec.url) {
    facts.push([
      trans.__('Source'),
      <a href={spec.url} target="_blank" rel="noopener noreferrer">
        {spec.url}
      </a>
    ]);
  }
  if (typeof tunable === 'boolean') {
    facts.push([
      trans.__('Fine-tunable'),
      tunable ? trans.__('Yes') : trans.__('No')
    ]);
  }
  if (spec.min_sdk_version) {
    facts.push([trans.__('SageMaker Python SDK'), `≥ ${spec.min_sdk_version}`]);
  }

  return (
    <div className="jp-SageMakerJumpStartCard-body">
      <h2 className="jp-SageMakerJumpStartCard-title">{modelId}</h2>
      {spec.deprecated === true && (
        <div className="jp-SageMakerJumpStartCard-notice" role="note">
          {trans.__('This model is deprecated.')}
        </div>
      )}
      {gated && (
        <div
          className="jp-SageMakerJumpStartCard-notice"
          role="note"
          data-testid="sagemaker-studio-jumpstart-card-eula"
        >
          {spec.license
            ? trans.__(
                'This model is gated: deploying or fine-tuning it requires accepting its end-user license agreement (%1).',
                spec.license
              )
            : trans.__(
                'This model is gated: deploying or fine-tuning it requires accepting its end-user license agreement.'
              )}
        </div>
      )}
      <div className="jp-SageMakerJumpStartCard-actions">
        {canDeploy && (
          <button
            className="jp-mod-styled jp-mod-accept"
            data-testid="sagemaker-studio-jumpstart-card-deploy"
            onClick={() => void commands.execute(props.deployCommand, args)}
          >
            {trans.__('Deploy…')}
          </button>
        )}
        {canFineTune && (
          <button
            className="jp-mod-styled"
            data-testid="sagemaker-studio-jumpstart-card-fine-tune"
            onClick={() => void commands.execute(props.fineTuneCommand, args)}
          >
            {trans.__('Fine-tune…')}
          </button>
        )}
      </div>
      <dl className="jp-SageMakerJumpStartCard-facts">
        {facts.map(([label, value]) => (
          <React.Fragment key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </React.Fragment>
        ))}
      </dl>
      {inference.types.length > 0 && (
        <section data-testid="sagemaker-studio-jumpstart-card-instance-types">
          <h3>{trans.__('Inference instance types')}</h3>
          <InstanceTable
            {...props}
            usage="hosting"
            types={inference.types}
            defaultType={inference.defaultType}
          />
        </section>
      )}
      {Private.trainingTypes(spec).types.length > 0 && (
        <section data-testid="sagemaker-studio-jumpstart-card-training-types">
          <h3>{trans.__('Training instance types')}</h3>
          <InstanceTable
            {...props}
            usage="training"
            {...Private.trainingTypes(spec)}
          />
        </section>
      )}
      {payload && (
        <section data-testid="sagemaker-studio-jumpstart-card-payload">
          <h3>
            {trans.__('Example request')} <code>{payload.name}</code>
          </h3>
          {payload.payload.content_type && (
            <div className="jp-SageMakerJumpStartCard-contentType">
              {payload.payload.content_type}
            </div>
          )}
          <pre className="jp-SageMakerJumpStartCard-payload">
            {JSON.stringify(payload.payload.body, null, 2)}
          </pre>
        </section>
      )}
    </div>
  );
}

/** Instance types with their hourly price; the default first and marked. */
function InstanceTable(
  props: ISpecViewProps & {
    usage: PriceTable.Usage;
    types: string[];
    defaultType: string | null;
  }
): JSX.Element {
  const { trans } = props;
  return (
    <table className="jp-SageMakerJumpStartCard-instances">
      <thead>
        <tr>
          <th>{trans.__('Instance type')}</th>
          <th>{trans.__('Price per hour')}</th>
        </tr>
      </thead>
      <tbody>
        {props.types.map(type => {
          const p = props.price(props.usage, type);
          const isDefault = type === props.defaultType;
          return (
            <tr
              key={type}
              data-instance-type={type}
              data-default={isDefault ? 'true' : undefined}
            >
              <td>
                {type}
                {isDefault && (
                  <span className="jp-SageMakerJumpStart-badge">
                    {trans.__('default')}
                  </span>
                )}
              </td>
              <td>
                {p === null
                  ? trans.__('no price')
                  : `$${p < 1 ? p.toFixed(3) : p.toFixed(2)}`}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

namespace Private {
  /** Instance types of a usage, the default first. */
  export interface ITypes {
    /** Instance types, each once. */
    types: string[];
    /** The default, or null. */
    defaultType: string | null;
  }

  /** Default first, then the supported ones, each once. */
  export function ordered(
    defaultType: string | undefined,
    supported: string[] | undefined
  ): ITypes {
    const types = [
      ...(defaultType ? [defaultType] : []),
      ...(supported ?? []).filter(t => t !== defaultType)
    ];
    return { types, defaultType: defaultType ?? null };
  }

  /**
   * Inference instance types: the spec's top-level fields, or else those of its first inference config that has
   * them (newer specs may keep them there only).
   */
  export function inferenceTypes(spec: IModelSpec): ITypes {
    if (
      spec.default_inference_instance_type ||
      spec.supported_inference_instance_types?.length
    ) {
      return ordered(
        spec.default_inference_instance_type,
        spec.supported_inference_instance_types
      );
    }
    for (const config of Object.values(
      spec.inference_config_components ?? {}
    )) {
      if (
        config.default_inference_instance_type ||
        config.supported_inference_instance_types?.length
      ) {
        return ordered(
          config.default_inference_instance_type,
          config.supported_inference_instance_types
        );
      }
    }
    return { types: [], defaultType: null };
  }

  /** Training instance types of the spec. */
  export function trainingTypes(spec: IModelSpec): ITypes {
    return ordered(
      spec.default_training_instance_type,
      spec.supported_training_instance_types
    );
  }

  /** The first sample request of the spec's inference configs, with its name. */
  export function firstPayload(
    spec: IModelSpec
  ): { name: string; payload: IDefaultPayload } | null {
    for (const config of Object.values(
      spec.inference_config_components ?? {}
    )) {
      const entries = Object.entries(config.default_payloads ?? {});
      if (entries.length > 0 && entries[0][1] && 'body' in entries[0][1]) {
        return { name: entries[0][0], payload: entries[0][1] };
      }
    }
    return null;
  }
}
