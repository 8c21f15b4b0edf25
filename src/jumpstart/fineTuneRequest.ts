/**
 * The CreateTrainingJob request that fine-tunes a JumpStart model, built from its spec file the way the SageMaker
 * Python SDK's JumpStartEstimator resolves it (image, script, base model, default data set, hyperparameters), the
 * form fields generated from the spec's hyperparameters, and the checks that run before anything is sent. No DOM
 * and no AWS calls here.
 */
import type {
  Channel,
  CreateTrainingJobCommandInput,
  Tag
} from '@aws-sdk/client-sagemaker';
import type { TranslationBundle } from '@jupyterlab/translation';
import { nullTranslator } from '@jupyterlab/translation';

import { TRANSLATION_DOMAIN } from '../i18n';
import {
  artifactBucket,
  ENDPOINT_NAME_PATTERN,
  IInstanceTypeVariants,
  instanceFamily,
  MODEL_ID_TAG,
  MODEL_VERSION_TAG,
  regionalProperty,
  ROLE_ARN_PATTERN
} from './deployRequest';
import { jumpstartBucket } from './source';
import type { IHyperparameter, IModelSpec } from './types';

/** Where a script-mode container finds the script tarball when it comes in the `code` channel. */
export const CODE_CHANNEL_SOURCEDIR =
  '/opt/ml/input/data/code/sourcedir.tar.gz';

/** The entry point of JumpStart training scripts (the SDK's `TRAINING_ENTRY_POINT_SCRIPT_NAME`). */
export const TRAINING_ENTRY_POINT = 'transfer_learning.py';

/** The training volume size the SDK uses when the spec names none, in GB. */
export const DEFAULT_VOLUME_SIZE = 30;

/** Training job names follow the same pattern as endpoint names. */
export const TRAINING_JOB_NAME_PATTERN = ENDPOINT_NAME_PATTERN;

/** The training fields of a spec that {@link IModelSpec} does not list, as the real spec files carry them. */
export interface ITrainingSpec extends IModelSpec {
  /** Training images and per-instance properties. */
  training_instance_type_variants?: IInstanceTypeVariants;
  /** Key of the base model tarball the training script starts from. */
  training_artifact_key?: string;
  /** Key of the training script tarball. */
  training_script_key?: string;
  /** Key of the prepacked training script tarball (preferred by the SDK). */
  training_prepacked_script_key?: string | null;
  /** Whether SageMaker should run the training container without network access. */
  training_enable_network_isolation?: boolean;
  /** Training volume size in GB. */
  training_volume_size?: number;
  /** Estimator arguments of the SDK, e.g. `max_run`, `encrypt_inter_container_traffic`. */
  estimator_kwargs?: Record<string, unknown>;
  /** Training model package artifacts per region (older gated models; they use no model channel). */
  training_model_package_artifact_uris?: Record<string, string> | null;
}

/** One hyperparameter field of the form. */
export interface IHyperparameterField {
  /** Hyperparameter name. */
  name: string;
  /** `int`, `float` or `text`. */
  type: string;
  /** The spec's default, as the form shows it. */
  defaultValue: string;
  /** Allowed values, when a choice. */
  options?: string[];
  /** Lower bound of a number. */
  min?: number;
  /** Upper bound of a number. */
  max?: number;
}

/** What the user chose in the fine-tune form. */
export interface IFineTuneChoices {
  /** Region the job runs in. */
  region: string;
  /** Account id, for the default output bucket. */
  account: string;
  /** Training instance type. */
  instanceType: string;
  /** S3 URI of the training data. */
  trainingData: string;
  /** Training job name. */
  jobName: string;
  /** Execution role ARN. */
  roleArn: string;
  /** Hyperparameter values as typed, by name (missing ones take the spec's default). */
  hyperparameters: Record<string, string>;
}

/** Which form field a problem belongs to: a hyperparameter name, another field, or 'spec'. */
export interface IFineTuneProblem {
  /** `hyperparameter`, `trainingData`, `instanceType`, `jobName`, `roleArn` or `spec`. */
  field: string;
  /** The hyperparameter's name, for `hyperparameter` problems. */
  name?: string;
  /** What is wrong and what to do. */
  message: string;
}

/** Either the request or the reasons there is none. */
export type FineTuneBuild =
  | { ok: true; request: CreateTrainingJobCommandInput }
  | { ok: false; problems: IFineTuneProblem[] };

/** Whether the spec says the model can be fine-tuned. */
export function isTrainable(spec: IModelSpec): boolean {
  return (spec.training_supported ?? spec.fine_tuning_supported) === true;
}

/** The form fields: the spec's algorithm-scope hyperparameters (container-scope ones are the SDK's to set). */
export function hyperparameterFields(spec: IModelSpec): IHyperparameterField[] {
  return (spec.hyperparameters ?? [])
    .filter(h => h.scope !== 'container')
    .map((h: IHyperparameter) => ({
      name: h.name,
      type: h.type,
      defaultValue: String(h.default),
      ...(h.options ? { options: h.options.map(String) } : {}),
      ...(typeof h.min === 'number' ? { min: h.min } : {}),
      ...(typeof h.max === 'number' ? { max: h.max } : {})
    }));
}

/** The sentence saying why `value` does not fit `field`, or null when it does. */
export function validateHyperparameter(
  field: IHyperparameterField,
  value: string,
  trans: TranslationBundle = Private.defaultTrans()
): string | null {
  const text = value.trim();
  if (field.options && field.options.length) {
    return field.options.includes(text)
      ? null
      : trans.__('%1 must be one of %2.', field.name, field.options.join(', '));
  }
  if (field.type !== 'int' && field.type !== 'float') {
    return null;
  }
  if (field.type === 'int' && !/^[+-]?\d+$/.test(text)) {
    return trans.__('%1 must be a whole number.', field.name);
  }
  const number = Number(text);
  if (!text || !Number.isFinite(number)) {
    return trans.__('%1 must be a number.', field.name);
  }
  if (field.min !== undefined && number < field.min) {
    return trans.__('%1 must be at least %2', field.name, field.min);
  }
  if (field.max !== undefined && number > field.max) {
    return trans.__('%1 must be at most %2', field.name, field.max);
  }
  return null;
}

/** The S3 prefix of the spec's default training data set in the region, or '' when it has none. */
export function defaultTrainingData(spec: IModelSpec, region: string): string {
  const key = spec.default_training_dataset_key;
  if (!key || !region) {
    return '';
  }
  return /^s3:\/\//.test(key) ? key : `s3://${jumpstartBucket(region)}/${key}`;
}

/** A default training job name: the model id cut to fit, then `-ft-yyyymmdd-hhmmss` (UTC). */
export function defaultTrainingJobName(
  modelId: string,
  now = new Date()
): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp =
    `ft-${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}` +
    `-${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
  const base = modelId
    .replace(/[^a-zA-Z0-9-]/g, '-')
    .slice(0, 63 - stamp.length - 1)
    .replace(/^-+|-+$/g, '');
  return `${base || 'jumpstart'}-${stamp}`;
}

/** The training image for the region and instance type (instance type, then family, then its alias), or null. */
export function resolveTrainingImage(
  spec: ITrainingSpec,
  region: string,
  instanceType: string
): string | null {
  return regionalProperty(
    spec.training_instance_type_variants,
    region,
    instanceType,
    'image_uri'
  );
}

/** Check the choices against the spec; an empty list means the request can be built. */
export function validateFineTune(
  spec: ITrainingSpec,
  choices: IFineTuneChoices,
  trans: TranslationBundle = Private.defaultTrans()
): IFineTuneProblem[] {
  const problems: IFineTuneProblem[] = [];
  if (!isTrainable(spec)) {
    problems.push({
      field: 'spec',
      message: trans.__('%1 cannot be fine-tuned.', spec.model_id)
    });
  }
  for (const field of hyperparameterFields(spec)) {
    const value = choices.hyperparameters[field.name] ?? field.defaultValue;
    const message = validateHyperparameter(field, value, trans);
    if (message) {
      problems.push({ field: 'hyperparameter', name: field.name, message });
    }
  }
  const data = choices.trainingData.trim();
  if (!/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(data)) {
    problems.push({
      field: 'trainingData',
      message: data
        ? trans.__(
            '"%1" is not an S3 URI; the training data should look like s3://my-bucket/my-data/.',
            data
          )
        : trans.__(
            'Enter the S3 URI of the training data (s3://my-bucket/my-data/).'
          )
    });
  }
  const supported = spec.supported_training_instance_types ?? [];
  if (!choices.instanceType) {
    problems.push({
      field: 'instanceType',
      message: trans.__('Choose an instance type.')
    });
  } else if (supported.length && !supported.includes(choices.instanceType)) {
    problems.push({
      field: 'instanceType',
      message: trans.__(
        '%1 is not an instance type this model can be trained on; choose one of %2.',
        choices.instanceType,
        supported.join(', ')
      )
    });
  }
  const name = choices.jobName.trim();
  if (!TRAINING_JOB_NAME_PATTERN.test(name)) {
    problems.push({
      field: 'jobName',
      message: name
        ? trans.__(
            'The training job name "%1" is not valid: use 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit.',
            name
          )
        : trans.__('Enter a training job name.')
    });
  }
  const role = choices.roleArn.trim();
  if (!ROLE_ARN_PATTERN.test(role)) {
    problems.push({
      field: 'roleArn',
      message: role
        ? trans.__(
            '"%1" is not an IAM role ARN; it should look like arn:aws:iam::123456789012:role/MyRole.',
            role
          )
        : trans.__(
            'Enter the ARN of an IAM role SageMaker can assume to run the training job (arn:aws:iam::<account>:role/<name>).'
          )
    });
  }
  return problems;
}

/** Validate the choices and build the CreateTrainingJob request; nothing is sent. */
export function buildFineTuneRequest(
  spec: ITrainingSpec,
  choices: IFineTuneChoices,
  trans: TranslationBundle = Private.defaultTrans()
): FineTuneBuild {
  const problems = validateFineTune(spec, choices, trans);
  if (problems.length) {
    return { ok: false, problems };
  }
  const { region, instanceType } = choices;
  const image = resolveTrainingImage(spec, region, instanceType);
  const scriptKey =
    spec.training_prepacked_script_key || spec.training_script_key;
  if (!image || !scriptKey) {
    return {
      ok: false,
      problems: [
        {
          field: 'spec',
          message: image
            ? trans.__(
                'The spec of %1 names no training script; fine-tune it with the SageMaker Python SDK.',
                spec.model_id
              )
            : trans.__(
                'The spec of %1 names no training container image for %2 in %3; choose another instance type or region.',
                spec.model_id,
                instanceType,
                region
              )
        }
      ]
    };
  }
  const bucket = jumpstartBucket(region);
  const scriptUri = `s3://${bucket}/${scriptKey}`;
  const isolated = spec.training_enable_network_isolation === true;
  const name = choices.jobName.trim();

  // The SDK passes every hyperparameter JSON-encoded when the estimator has a source directory (JumpStart
  // estimators always do); the script-mode entries say where the script is and which file to run.
  const values: Record<string, string> = {};
  for (const field of hyperparameterFields(spec)) {
    values[field.name] = (
      choices.hyperparameters[field.name] ?? field.defaultValue
    ).trim();
  }
  Object.assign(values, {
    sagemaker_submit_directory: isolated ? CODE_CHANNEL_SOURCEDIR : scriptUri,
    sagemaker_program: TRAINING_ENTRY_POINT,
    sagemaker_container_log_level: '20',
    sagemaker_job_name: name,
    sagemaker_region: region
  });
  const hyperparameters: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    hyperparameters[key] = JSON.stringify(value);
  }

  const channels: Channel[] = [
    Private.channel('training', choices.trainingData.trim())
  ];
  const modelUri = Private.modelUri(spec, region, instanceType);
  if (modelUri) {
    channels.push(Private.channel('model', modelUri));
  }
  if (isolated) {
    // Without network access the container cannot download the script, so it comes as an input channel.
    channels.push(Private.channel('code', scriptUri));
  }

  const kwargs = spec.estimator_kwargs ?? {};
  const maxRun = Number(kwargs.max_run);
  const tags: Tag[] = [
    { Key: MODEL_ID_TAG, Value: spec.model_id },
    { Key: MODEL_VERSION_TAG, Value: spec.version }
  ];
  const request: CreateTrainingJobCommandInput = {
    TrainingJobName: name,
    RoleArn: choices.roleArn.trim(),
    AlgorithmSpecification: {
      TrainingImage: image,
      TrainingInputMode: 'File',
      ...(spec.metrics?.length ? { MetricDefinitions: spec.metrics } : {})
    },
    HyperParameters: hyperparameters,
    InputDataConfig: channels,
    OutputDataConfig: {
      S3OutputPath: `s3://sagemaker-${region}-${choices.account}/jumpstart-training/`
    },
    ResourceConfig: {
      InstanceType: instanceType as never,
      InstanceCount: 1,
      VolumeSizeInGB: spec.training_volume_size ?? DEFAULT_VOLUME_SIZE
    },
    StoppingCondition: {
      MaxRuntimeInSeconds:
        Number.isInteger(maxRun) && maxRun > 0 ? maxRun : 24 * 60 * 60
    },
    EnableNetworkIsolation: isolated,
    Tags: tags
  };
  if (kwargs.encrypt_inter_container_traffic === true) {
    request.EnableInterContainerTrafficEncryption = true;
  }
  return { ok: true, request };
}

/** Module-private helpers. */
namespace Private {
  /** A translation bundle for callers that pass none (tests, the request builder on its own). */
  export function defaultTrans(): TranslationBundle {
    return nullTranslator.load(TRANSLATION_DOMAIN);
  }

  /** An S3 input channel as the SDK's TrainingInput makes it by default. */
  export function channel(name: string, uri: string): Channel {
    return {
      ChannelName: name,
      DataSource: {
        S3DataSource: {
          S3Uri: uri,
          S3DataType: 'S3Prefix',
          S3DataDistributionType: 'FullyReplicated'
        }
      }
    };
  }

  /**
   * The base model artifact the training starts from, when the SDK adds a `model` channel: specs with a
   * training artifact key, except older ones whose artifacts come as training model packages.
   */
  export function modelUri(
    spec: ITrainingSpec,
    region: string,
    instanceType: string
  ): string | null {
    if (Object.keys(spec.training_model_package_artifact_uris ?? {}).length) {
      return null;
    }
    const variants = spec.training_instance_type_variants?.variants;
    const family = instanceFamily(instanceType);
    const specific =
      variants?.[instanceType]?.properties?.training_artifact_key ??
      (family ? variants?.[family]?.properties?.training_artifact_key : null);
    const key =
      (typeof specific === 'string' ? specific : null) ??
      spec.training_artifact_key;
    if (!key) {
      return null;
    }
    return /^s3:\/\//.test(key)
      ? key
      : `s3://${artifactBucket(spec, region)}/${key}`;
  }
}
