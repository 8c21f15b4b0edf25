/**
 * Shapes of the public JumpStart catalog files: the entries of `models_manifest.json` and the spec fields the
 * catalog shows. Only fields seen in the real samples (SageMaker Python SDK test data) are listed; all spec fields
 * are optional because older and newer specs differ.
 */

/** One entry of `models_manifest.json`: one version of one model. */
export interface IManifestEntry {
  /** Model id, `<framework>-<task>-<rest>` for most models, e.g. `pytorch-ic-mobilenet-v2`. */
  model_id: string;
  /** Version of this entry, e.g. `3.0.25`. */
  version: string;
  /** Lowest SageMaker Python SDK version that can use this entry. */
  min_version: string;
  /** Key of the spec file in the same bucket. */
  spec_key: string;
  /** Whether the model is deprecated (absent in older manifests). */
  deprecated?: boolean;
  /** Who publishes the model, e.g. `meta` (absent in older manifests). */
  provider?: string;
  /** Words the Studio search matches, e.g. `["Text Generation"]`. */
  search_keywords?: string[];
}

/** The `hosting_ecr_specs` / `training_ecr_specs` of a spec. */
export interface IEcrSpecs {
  /** Container framework, e.g. `pytorch`, `djl-lmi`, `vllm`, `huggingface`. */
  framework: string;
  /** Its version, e.g. `1.10.0`. */
  framework_version: string;
  /** Python version tag, e.g. `py38`. */
  py_version: string;
  /** Transformers version of Hugging Face containers. */
  huggingface_transformers_version?: string;
}

/** One hyperparameter of a fine-tunable model. */
export interface IHyperparameter {
  /** Name passed to the training job. */
  name: string;
  /** `int`, `float`, `text` (booleans are `text` with options `True`/`False`). */
  type: string;
  /** Default value. */
  default: string | number | boolean;
  /** `algorithm` or `container`. */
  scope: string;
  /** Allowed values, when a choice. */
  options?: Array<string | number>;
  /** Lower bound of a number. */
  min?: number;
  /** Upper bound of a number. */
  max?: number;
}

/** One container environment variable of the inference container. */
export interface IEnvironmentVariable {
  /** Variable name. */
  name: string;
  /** `int`, `text`, … */
  type: string;
  /** Default value. */
  default: string | number | boolean;
  /** `container` or `algorithm`. */
  scope: string;
  /** Whether the SDK sets it on the model. */
  required_for_model_class?: boolean;
}

/** A sample request body of an inference config (`inference_config_components.<name>.default_payloads`). */
export interface IDefaultPayload {
  /** The request body. */
  body: unknown;
  /** Its content type, when given. */
  content_type?: string;
  /** Other fields (accept type, output keys…), kept as they are. */
  [key: string]: unknown;
}

/** One inference config component of newer specs (e.g. `lmi`, `lmi-optimized`). */
export interface IInferenceConfigComponent {
  /** Default instance type of this config. */
  default_inference_instance_type?: string;
  /** Instance types this config supports. */
  supported_inference_instance_types?: string[];
  /** Sample requests, by name. */
  default_payloads?: Record<string, IDefaultPayload>;
  /** Container of this config. */
  hosting_ecr_specs?: IEcrSpecs;
}

/** The fields of a spec file (the object `spec_key` points to) that the catalog and its model card use. */
export interface IModelSpec {
  /** Model id (same as the manifest). */
  model_id: string;
  /** Version (same as the manifest). */
  version: string;
  /** Lowest SDK version. */
  min_sdk_version?: string;
  /** Source page of the model. */
  url?: string;
  /** Who publishes it. */
  provider?: string;
  /** Whether it is deprecated. */
  deprecated?: boolean;
  /** Licence name (newer specs), e.g. `Apache 2.0`. */
  license?: string;
  /** `Gated`, `Open Weight`… (newer specs). */
  model_access?: string;
  /** Whether the artifacts are in the gated bucket (needs EULA acceptance). */
  gated_bucket?: boolean;
  /** Key of the EULA the user must accept before deploying. */
  hosting_eula_key?: string;
  /** Model framework as shown to users (newer specs), e.g. `PyTorch`, `Meta`. */
  ml_framework?: string;
  /** Hugging Face id of the weights, e.g. `openai/gpt-oss-20b`. */
  huggingface_id?: string;
  /** Size class, e.g. `70B-100B`. */
  model_size?: string;
  /** Context window class, e.g. `32K-128K`. */
  context_window?: string;
  /** Input modalities, e.g. `["Text"]`. */
  input_modalities?: string[];
  /** Output modalities. */
  output_modalities?: string[];
  /** Supported languages. */
  languages?: string[];
  /** Inference container. */
  hosting_ecr_specs?: IEcrSpecs;
  /** Default instance type of an endpoint. */
  default_inference_instance_type?: string;
  /** Instance types an endpoint may use. */
  supported_inference_instance_types?: string[];
  /** Key (prefix or tarball) of the model artifacts. */
  hosting_artifact_key?: string;
  /** Key of the prepacked artifacts (model and inference script). */
  hosting_prepacked_artifact_key?: string;
  /** Key of the inference script tarball. */
  hosting_script_key?: string;
  /** Whether the inference script is passed separately. */
  hosting_use_script_uri?: boolean;
  /** Container environment of the endpoint. */
  inference_environment_variables?: IEnvironmentVariable[];
  /** Inference configs of newer specs, by name. */
  inference_config_components?: Record<string, IInferenceConfigComponent>;
  /** Whether the model can be fine-tuned. */
  training_supported?: boolean;
  /** Whether fine-tuning is supported (newer specs carry both flags). */
  fine_tuning_supported?: boolean;
  /** Whether incremental training is supported. */
  incremental_training_supported?: boolean;
  /** Training container. */
  training_ecr_specs?: IEcrSpecs;
  /** Default instance type of a training job. */
  default_training_instance_type?: string;
  /** Instance types a training job may use. */
  supported_training_instance_types?: string[];
  /** Prefix of the default training data set. */
  default_training_dataset_key?: string;
  /** Hyperparameters of fine-tuning. */
  hyperparameters?: IHyperparameter[];
  /** Training metric definitions. */
  metrics?: Array<{ Name: string; Regex: string }>;
}
