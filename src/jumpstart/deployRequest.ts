/**
 * The three requests that deploy a JumpStart model to a real-time endpoint (CreateModel, CreateEndpointConfig,
 * CreateEndpoint), built from its spec file the way the SageMaker Python SDK resolves them, and the checks that
 * run before anything is sent. No DOM and no AWS calls here.
 */
import type {
  CreateEndpointCommandInput,
  CreateEndpointConfigCommandInput,
  CreateModelCommandInput,
  ContainerDefinition,
  Tag
} from '@aws-sdk/client-sagemaker';
import type { TranslationBundle } from '@jupyterlab/translation';
import { nullTranslator } from '@jupyterlab/translation';

import { TRANSLATION_DOMAIN } from '../i18n';
import { jumpstartBucket } from './source';
import type { IModelSpec } from './types';

/**
 * Tag key holding the JumpStart model id on the model, endpoint config, endpoint and training job: the SageMaker
 * Python SDK's key, so resources launched from notebooks with the SDK and from Studio show in the "launched" list too.
 */
export const MODEL_ID_TAG = 'sagemaker-sdk:jumpstart-model-id';

/** Tag key holding the JumpStart model version. */
export const MODEL_VERSION_TAG = 'sagemaker-sdk:jumpstart-model-version';

/** Largest initial instance count the form accepts. */
export const MAX_INSTANCE_COUNT = 10;

/** The endpoint name pattern SageMaker validates (also used for the model and endpoint config names). */
export const ENDPOINT_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

/** An IAM role ARN, in any partition. */
export const ROLE_ARN_PATTERN =
  /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/** `hosting_instance_type_variants`: region → alias → value, and instance type or family → properties. */
export interface IInstanceTypeVariants {
  /** Per region, the values of the `$alias` references (image URIs, model package ARNs). */
  regional_aliases?: Record<string, Record<string, string>>;
  /** Per instance type (`ml.g5.2xlarge`) or family (`g5`), its properties. */
  variants?: Record<string, IVariant>;
}

/** One entry of `hosting_instance_type_variants.variants`. */
export interface IVariant {
  /** Region-dependent properties given as `$alias` references, e.g. `{image_uri: '$gpu_ecr_uri_2'}`. */
  regional_properties?: Record<string, string>;
  /** Plain properties, e.g. `environment_variables`, `artifact_key`, `prepacked_artifact_key`. */
  properties?: {
    environment_variables?: Record<string, string>;
    artifact_key?: string;
    prepacked_artifact_key?: string;
    [key: string]: unknown;
  };
}

/** The hosting fields of a spec that {@link IModelSpec} does not list, as the real spec files carry them. */
export interface IHostingSpec extends IModelSpec {
  /** Images, model packages and per-instance properties. */
  hosting_instance_type_variants?: IInstanceTypeVariants;
  /** Named inference configs, each a list of component names (newer specs). */
  inference_configs?: Record<string, { component_names?: string[] }>;
  /** Orders of the inference configs; `overall` is the default one. */
  inference_config_rankings?: Record<string, { rankings?: string[] }>;
  /** Model package per region (proprietary models). */
  hosting_model_package_arns?: Record<string, string> | null;
  /** Whether SageMaker should run the container without network access. */
  inference_enable_network_isolation?: boolean;
  /** Extra model data mounted next to the model (e.g. speculative-decoding heads), by purpose. */
  hosting_additional_data_sources?: Record<string, IAdditionalDataSource[]>;
  /** Deploy arguments of the SDK, e.g. `container_startup_health_check_timeout`. */
  deploy_kwargs?: Record<string, unknown>;
}

/** One entry of `hosting_additional_data_sources`. */
export interface IAdditionalDataSource {
  /** Directory name under `/opt/ml/additional-model-data-sources/`. */
  channel_name: string;
  /** Where the data is (key in the JumpStart bucket, or an S3 URI). */
  s3_data_source: {
    s3_uri: string;
    s3_data_type?: string;
    compression_type?: string;
  };
  /** Who provides it; `classification: 'gated'` puts it in the gated bucket. */
  provider?: { classification?: string; name?: string };
}

/** What the user chose in the deploy form. */
export interface IDeployChoices {
  /** Region the endpoint is created in. */
  region: string;
  /** Instance type of the endpoint. */
  instanceType: string;
  /** Name of the endpoint (also used for its model and endpoint config). */
  endpointName: string;
  /** Initial instance count, as typed. */
  initialCount: number | string;
  /** Execution role ARN of the model. */
  roleArn: string;
  /** Whether the user accepted the model's end-user license agreement. */
  acceptEula: boolean;
}

/** The three requests, in the order they are sent. */
export interface IDeployRequests {
  /** CreateModel. */
  model: CreateModelCommandInput;
  /** CreateEndpointConfig. */
  endpointConfig: CreateEndpointConfigCommandInput;
  /** CreateEndpoint. */
  endpoint: CreateEndpointCommandInput;
}

/** Which form field a problem belongs to ('spec' when the spec itself cannot be deployed that way). */
export type DeployField =
  | 'endpointName'
  | 'instanceType'
  | 'initialCount'
  | 'roleArn'
  | 'acceptEula'
  | 'spec';

/** One reason the requests cannot be sent, as a sentence. */
export interface IDeployProblem {
  /** The field to show it next to. */
  field: DeployField;
  /** What is wrong and what to do. */
  message: string;
}

/** Either the requests or the reasons there are none. */
export type DeployBuild =
  | { ok: true; requests: IDeployRequests }
  | { ok: false; problems: IDeployProblem[] };

/** The family of an instance type as the SDK reads it: `ml.g5.2xlarge` → `g5`; '' when it does not parse. */
export function instanceFamily(instanceType: string): string {
  const match = /^ml[._]([a-z\d-]+)\.?\w*$/.exec(instanceType);
  return match ? match[1] : '';
}

/** Whether the model's artifacts need an accepted EULA (a gated model). */
export function isGated(spec: IModelSpec): boolean {
  return !!spec.hosting_eula_key || spec.gated_bucket === true;
}

/** The bucket the model's artifacts are in: the private (gated) bucket for gated specs, as the SDK does. */
export function artifactBucket(spec: IModelSpec, region: string): string {
  return spec.gated_bucket
    ? `jumpstart-private-cache-prod-${region}`
    : jumpstartBucket(region);
}

/**
 * The hosting fields that apply to `instanceType`: the spec with the inference config applied that the SDK picks
 * (the first config of the `overall` ranking, or of the sorted names, that supports the instance type; else the
 * first one). Specs without inference configs are returned as they are.
 */
export function resolveHostingSpec(
  spec: IHostingSpec,
  instanceType?: string
): IHostingSpec {
  const configs = spec.inference_configs;
  if (!configs || Object.keys(configs).length === 0) {
    return spec;
  }
  const ranked = spec.inference_config_rankings?.overall?.rankings?.filter(
    name => name in configs
  );
  const names = ranked && ranked.length ? ranked : Object.keys(configs).sort();
  const resolved = names.map(name => Private.applyConfig(spec, name));
  const fitting = instanceType
    ? resolved.find(r =>
        (r.supported_inference_instance_types ?? []).includes(instanceType)
      )
    : undefined;
  return fitting ?? resolved[0];
}

/**
 * The value of a region-dependent variant property (`image_uri`, `model_package_arn`) for an instance type: the
 * instance type's entry first, then its family's, then the `$alias` looked up in the region, as the SDK does.
 * Null when the spec has none for that region and instance type.
 */
export function regionalProperty(
  variants: IInstanceTypeVariants | undefined,
  region: string,
  instanceType: string,
  property: string
): string | null {
  if (!variants?.variants) {
    return null;
  }
  const family = instanceFamily(instanceType);
  const alias =
    variants.variants[instanceType]?.regional_properties?.[property] ??
    (family
      ? variants.variants[family]?.regional_properties?.[property]
      : undefined);
  if (!alias || !alias.startsWith('$')) {
    return null;
  }
  return variants.regional_aliases?.[region]?.[alias.slice(1)] ?? null;
}

/** The image URI of the inference container, or null when the spec has none for that region and instance type. */
export function resolveImageUri(
  spec: IHostingSpec,
  region: string,
  instanceType: string
): string | null {
  const variants = spec.hosting_instance_type_variants;
  const uri = regionalProperty(variants, region, instanceType, 'image_uri');
  if (uri) {
    return uri;
  }
  // Specs written by the local backend carry the region's image aliases without a variants map (their source data
  // does not say which family uses which image); with exactly one image there is nothing to choose.
  if (!variants?.variants) {
    const images = Object.values(variants?.regional_aliases?.[region] ?? {});
    if (images.length === 1) {
      return images[0];
    }
  }
  return null;
}

/** A plain property of the instance type's variant, else of its family's (the SDK's precedence). */
export function variantProperty<
  K extends keyof NonNullable<IVariant['properties']>
>(
  spec: IHostingSpec,
  instanceType: string,
  name: K
): NonNullable<IVariant['properties']>[K] | undefined {
  const variants = spec.hosting_instance_type_variants?.variants;
  const family = instanceFamily(instanceType);
  return (
    variants?.[instanceType]?.properties?.[name] ??
    (family ? variants?.[family]?.properties?.[name] : undefined)
  );
}

/** The container environment: the spec's container-scope defaults, then the family's, then the instance type's. */
export function resolveEnvironment(
  spec: IHostingSpec,
  instanceType: string
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const variable of spec.inference_environment_variables ?? []) {
    if (variable.scope === 'container') {
      env[variable.name] = String(variable.default);
    }
  }
  const variants = spec.hosting_instance_type_variants?.variants;
  const family = instanceFamily(instanceType);
  Object.assign(
    env,
    (family && variants?.[family]?.properties?.environment_variables) || {},
    variants?.[instanceType]?.properties?.environment_variables ?? {}
  );
  return env;
}

/** A default endpoint name: the model id cut to fit, then `-yyyymmdd-hhmmss` (UTC). */
export function defaultEndpointName(modelId: string, now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp =
    `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}` +
    `-${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
  const base = modelId
    .replace(/[^a-zA-Z0-9-]/g, '-')
    .slice(0, 63 - stamp.length - 1)
    .replace(/^-+|-+$/g, '');
  return `${base || 'jumpstart'}-${stamp}`;
}

/** Check the choices against the spec; an empty list means the requests can be built. */
export function validateDeploy(
  spec: IHostingSpec,
  choices: IDeployChoices,
  trans: TranslationBundle = Private.defaultTrans()
): IDeployProblem[] {
  const problems: IDeployProblem[] = [];
  const name = choices.endpointName.trim();
  if (!name) {
    problems.push({
      field: 'endpointName',
      message: trans.__('Enter an endpoint name.')
    });
  } else if (!ENDPOINT_NAME_PATTERN.test(name)) {
    problems.push({
      field: 'endpointName',
      message: trans.__(
        'The endpoint name "%1" is not valid: use 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit.',
        name
      )
    });
  }
  const supported = spec.supported_inference_instance_types ?? [];
  if (!choices.instanceType) {
    problems.push({
      field: 'instanceType',
      message: trans.__('Choose an instance type.')
    });
  } else if (supported.length && !supported.includes(choices.instanceType)) {
    problems.push({
      field: 'instanceType',
      message: trans.__(
        '%1 is not an instance type this model supports; choose one of %2.',
        choices.instanceType,
        supported.join(', ')
      )
    });
  }
  const count =
    typeof choices.initialCount === 'number'
      ? choices.initialCount
      : /^\s*\d+\s*$/.test(choices.initialCount)
        ? Number(choices.initialCount)
        : NaN;
  if (!Number.isInteger(count) || count < 1 || count > MAX_INSTANCE_COUNT) {
    problems.push({
      field: 'initialCount',
      message: trans.__(
        'The initial instance count must be a whole number from 1 to %1.',
        MAX_INSTANCE_COUNT
      )
    });
  }
  const role = choices.roleArn.trim();
  if (!role) {
    problems.push({
      field: 'roleArn',
      message: trans.__(
        'Enter the ARN of an IAM role SageMaker can assume to run the model (arn:aws:iam::<account>:role/<name>).'
      )
    });
  } else if (!ROLE_ARN_PATTERN.test(role)) {
    problems.push({
      field: 'roleArn',
      message: trans.__(
        '"%1" is not an IAM role ARN; it should look like arn:aws:iam::123456789012:role/MyRole.',
        role
      )
    });
  }
  if (isGated(spec) && !choices.acceptEula) {
    problems.push({
      field: 'acceptEula',
      message: trans.__(
        'This model is gated: read and accept its end-user license agreement to deploy it.'
      )
    });
  }
  return problems;
}

/** Validate the choices and build the three requests; nothing is sent. */
export function buildDeployRequests(
  spec: IHostingSpec,
  choices: IDeployChoices,
  trans: TranslationBundle = Private.defaultTrans()
): DeployBuild {
  const problems = validateDeploy(spec, choices, trans);
  if (problems.length) {
    return { ok: false, problems };
  }
  const { instanceType } = choices;
  const hosting = resolveHostingSpec(spec, instanceType);
  const container = Private.container(hosting, choices, trans);
  if ('problem' in container) {
    return { ok: false, problems: [container.problem] };
  }
  const name = choices.endpointName.trim();
  const tags: Tag[] = [
    { Key: MODEL_ID_TAG, Value: spec.model_id },
    { Key: MODEL_VERSION_TAG, Value: spec.version }
  ];
  const model: CreateModelCommandInput = {
    ModelName: name,
    ExecutionRoleArn: choices.roleArn.trim(),
    PrimaryContainer: container.container,
    Tags: tags
  };
  if (hosting.inference_enable_network_isolation) {
    model.EnableNetworkIsolation = true;
  }
  const timeout = Number(
    hosting.deploy_kwargs?.container_startup_health_check_timeout
  );
  const endpointConfig: CreateEndpointConfigCommandInput = {
    EndpointConfigName: name,
    ProductionVariants: [
      {
        VariantName: 'AllTraffic',
        ModelName: name,
        InstanceType: instanceType as never,
        InitialInstanceCount: Number(choices.initialCount),
        ...(Number.isInteger(timeout) && timeout > 0
          ? { ContainerStartupHealthCheckTimeoutInSeconds: timeout }
          : {})
      }
    ],
    Tags: tags
  };
  const endpoint: CreateEndpointCommandInput = {
    EndpointName: name,
    EndpointConfigName: name,
    Tags: tags
  };
  return { ok: true, requests: { model, endpointConfig, endpoint } };
}

/** Module-private helpers. */
namespace Private {
  /** Fields a config component never overrides (the SDK's deny list, in part). */
  const NOT_OVERRIDDEN = new Set([
    'model_id',
    'url',
    'version',
    'min_sdk_version'
  ]);

  /** A translation bundle for callers that pass none (tests, the request builder on its own). */
  export function defaultTrans(): TranslationBundle {
    return nullTranslator.load(TRANSLATION_DOMAIN);
  }

  /** The spec with the components of config `name` applied in order (objects merged deeply, the rest replaced). */
  export function applyConfig(spec: IHostingSpec, name: string): IHostingSpec {
    let resolved = spec as unknown as Record<string, unknown>;
    const components = spec.inference_configs?.[name]?.component_names ?? [
      name
    ];
    for (const component of components) {
      const fields = spec.inference_config_components?.[component] as
        Record<string, unknown> | undefined;
      if (fields) {
        resolved = merge(resolved, fields, true);
      }
    }
    return resolved as unknown as IHostingSpec;
  }

  /** `over` deeply merged over `base` (plain objects merge; arrays and scalars replace). */
  export function merge(
    base: Record<string, unknown>,
    over: Record<string, unknown>,
    top = false
  ): Record<string, unknown> {
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(over)) {
      if (top && NOT_OVERRIDDEN.has(key)) {
        continue;
      }
      const old = out[key];
      out[key] = isObject(old) && isObject(value) ? merge(old, value) : value;
    }
    return out;
  }

  export function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  }

  /** The primary container, or the sentence saying why the spec cannot give one. */
  export function container(
    spec: IHostingSpec,
    choices: IDeployChoices,
    trans: TranslationBundle
  ): { container: ContainerDefinition } | { problem: IDeployProblem } {
    const { region, instanceType } = choices;
    const packageArn =
      regionalProperty(
        spec.hosting_instance_type_variants,
        region,
        instanceType,
        'model_package_arn'
      ) ?? spec.hosting_model_package_arns?.[region];
    if (packageArn) {
      // Model packages bring their own image, data and environment.
      return { container: { ModelPackageName: packageArn } };
    }
    const image = resolveImageUri(spec, region, instanceType);
    if (!image) {
      return {
        problem: {
          field: 'spec',
          message: trans.__(
            'The spec of %1 names no inference container image for %2 in %3; choose another instance type or region.',
            spec.model_id,
            instanceType,
            region
          )
        }
      };
    }
    const prepacked =
      variantProperty(spec, instanceType, 'prepacked_artifact_key') ??
      spec.hosting_prepacked_artifact_key;
    const key = prepacked
      ? prepacked
      : (variantProperty(spec, instanceType, 'artifact_key') ??
        spec.hosting_artifact_key);
    if (!key) {
      return {
        problem: {
          field: 'spec',
          message: trans.__(
            'The spec of %1 names no model artifacts to deploy.',
            spec.model_id
          )
        }
      };
    }
    if (!prepacked && spec.hosting_use_script_uri) {
      // The SDK repacks artifacts and inference script into a new tarball in the user's bucket; we do not.
      return {
        problem: {
          field: 'spec',
          message: trans.__(
            '%1 needs its inference script packed together with its artifacts, which this dialog does not do; deploy it with the SageMaker Python SDK.',
            spec.model_id
          )
        }
      };
    }
    const uri = /^s3:\/\//.test(key)
      ? key
      : `s3://${artifactBucket(spec, region)}/${key}`;
    const environment = resolveEnvironment(spec, instanceType);
    const container: ContainerDefinition = {
      Image: image,
      Environment: environment
    };
    const gated = isGated(spec);
    if (uri.endsWith('/') || gated) {
      container.ModelDataSource = {
        S3DataSource: {
          S3Uri: uri,
          S3DataType: uri.endsWith('/') ? 'S3Prefix' : 'S3Object',
          CompressionType: uri.endsWith('/') ? 'None' : 'Gzip',
          ...(gated && choices.acceptEula
            ? { ModelAccessConfig: { AcceptEula: true } }
            : {})
        }
      };
    } else {
      container.ModelDataUrl = uri;
    }
    const extra = Object.values(spec.hosting_additional_data_sources ?? {})
      .flat()
      .map(source => {
        const key = source.s3_data_source.s3_uri;
        const bucket =
          source.provider?.classification === 'gated'
            ? `jumpstart-private-cache-prod-${region}`
            : jumpstartBucket(region);
        return {
          ChannelName: source.channel_name,
          S3DataSource: {
            S3Uri: /^s3:\/\//.test(key) ? key : `s3://${bucket}/${key}`,
            S3DataType: (source.s3_data_source.s3_data_type ??
              'S3Prefix') as 'S3Prefix',
            CompressionType: (source.s3_data_source.compression_type ??
              'None') as 'None'
          }
        };
      });
    if (extra.length) {
      container.AdditionalModelDataSources = extra;
    }
    return { container };
  }
}
