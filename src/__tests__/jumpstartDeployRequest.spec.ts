import * as fs from 'fs';
import * as path from 'path';

import {
  buildDeployRequests,
  defaultEndpointName,
  IDeployChoices,
  IHostingSpec,
  instanceFamily,
  MODEL_ID_TAG,
  MODEL_VERSION_TAG,
  resolveImageUri,
  validateDeploy
} from '../jumpstart/deployRequest';

/** The three real spec files, as the local backend ships them (byte for byte the public ones). */
function realSpec(modelId: string): IHostingSpec {
  const file = path.join(
    __dirname,
    '../../jupyterlab_sagemaker_studio/local/jumpstart_data',
    `${modelId}.json`
  );
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

const ROLE = 'arn:aws:iam::123456789012:role/SageMakerExecution';

function choices(over: Partial<IDeployChoices> = {}): IDeployChoices {
  return {
    region: 'us-east-1',
    instanceType: 'ml.m5.large',
    endpointName: 'my-endpoint',
    initialCount: 1,
    roleArn: ROLE,
    acceptEula: false,
    ...over
  };
}

function build(spec: IHostingSpec, over: Partial<IDeployChoices> = {}) {
  const result = buildDeployRequests(spec, choices(over));
  if (!result.ok) {
    throw new Error(result.problems.map(p => p.message).join(' '));
  }
  return result.requests;
}

describe('instanceFamily', () => {
  it('reads the family as the SDK does', () => {
    expect(instanceFamily('ml.g5.2xlarge')).toBe('g5');
    expect(instanceFamily('ml.p4d.24xlarge')).toBe('p4d');
    expect(instanceFamily('m5.large')).toBe('');
  });
});

describe('pytorch-ic-mobilenet-v2 (top-level variants)', () => {
  const spec = realSpec('pytorch-ic-mobilenet-v2');

  it('picks the CPU image for a CPU family and the GPU image for a GPU family', () => {
    expect(resolveImageUri(spec, 'us-east-1', 'ml.m5.large')).toBe(
      '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:1.10.0-cpu-py38'
    );
    expect(resolveImageUri(spec, 'us-east-1', 'ml.g5.xlarge')).toBe(
      '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:1.10.0-gpu-py38'
    );
    expect(resolveImageUri(spec, 'af-south-1', 'ml.c5.xlarge')).toBe(
      '626614931356.dkr.ecr.af-south-1.amazonaws.com/pytorch-inference:1.10.0-cpu-py38'
    );
  });

  it('builds the three requests with the prepacked prefix as S3DataSource', () => {
    const r = build(spec);
    const c = r.model.PrimaryContainer!;
    expect(c.Image).toBe(
      '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:1.10.0-cpu-py38'
    );
    expect(c.ModelDataUrl).toBeUndefined();
    expect(c.ModelDataSource).toEqual({
      S3DataSource: {
        S3Uri:
          's3://jumpstart-cache-prod-us-east-1/pytorch-ic/pytorch-ic-mobilenet-v2/artifacts/inference-prepack/v1.0.0/',
        S3DataType: 'S3Prefix',
        CompressionType: 'None'
      }
    });
    expect(c.Environment).toEqual({
      ENDPOINT_SERVER_TIMEOUT: '3600',
      MODEL_CACHE_ROOT: '/opt/ml/model',
      SAGEMAKER_CONTAINER_LOG_LEVEL: '20',
      SAGEMAKER_ENV: '1',
      SAGEMAKER_MODEL_SERVER_TIMEOUT: '3600',
      SAGEMAKER_MODEL_SERVER_WORKERS: '1',
      SAGEMAKER_PROGRAM: 'inference.py',
      SAGEMAKER_SUBMIT_DIRECTORY: '/opt/ml/model/code'
    });
    expect(r.model.ModelName).toBe('my-endpoint');
    expect(r.model.ExecutionRoleArn).toBe(ROLE);
    expect(r.model.Tags).toEqual([
      { Key: MODEL_ID_TAG, Value: 'pytorch-ic-mobilenet-v2' },
      { Key: MODEL_VERSION_TAG, Value: spec.version }
    ]);
    expect(r.endpointConfig).toMatchObject({
      EndpointConfigName: 'my-endpoint',
      ProductionVariants: [
        {
          VariantName: 'AllTraffic',
          ModelName: 'my-endpoint',
          InstanceType: 'ml.m5.large',
          InitialInstanceCount: 1
        }
      ]
    });
    expect(r.endpoint).toMatchObject({
      EndpointName: 'my-endpoint',
      EndpointConfigName: 'my-endpoint'
    });
  });

  it('says so when the spec has no image for the region', () => {
    const result = buildDeployRequests(
      spec,
      choices({ region: 'xx-nowhere-1' })
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems[0]).toEqual({
      field: 'spec',
      message:
        'The spec of pytorch-ic-mobilenet-v2 names no inference container image for ml.m5.large in xx-nowhere-1; choose another instance type or region.'
    });
  });
});

describe('meta-textgeneration-llama-3-1-70b (gated, variants in inference configs)', () => {
  const spec = realSpec('meta-textgeneration-llama-3-1-70b');
  const over = { instanceType: 'ml.g5.48xlarge' };

  it('refuses without EULA acceptance', () => {
    const problems = validateDeploy(spec, choices(over));
    expect(problems).toEqual([
      {
        field: 'acceptEula',
        message:
          'This model is gated: read and accept its end-user license agreement to deploy it.'
      }
    ]);
  });

  it('uses the config image, the gated bucket, instance env vars and AcceptEula', () => {
    const r = build(spec, { ...over, acceptEula: true });
    const c = r.model.PrimaryContainer!;
    expect(c.Image).toBe(
      '763104351884.dkr.ecr.us-east-1.amazonaws.com/djl-inference:0.29.0-lmi11.0.0-cu124'
    );
    expect(c.ModelDataSource).toEqual({
      S3DataSource: {
        S3Uri:
          's3://jumpstart-private-cache-prod-us-east-1/meta-textgeneration/meta-textgeneration-llama-3-1-70b/artifacts/inference-prepack/v2.0.0/',
        S3DataType: 'S3Prefix',
        CompressionType: 'None',
        ModelAccessConfig: { AcceptEula: true }
      }
    });
    expect(c.Environment).toMatchObject({
      HF_MODEL_ID: '/opt/ml/model',
      OPTION_GPU_MEMORY_UTILIZATION: '0.95',
      OPTION_TENSOR_PARALLEL_DEGREE: '8',
      SAGEMAKER_PROGRAM: 'inference.py'
    });
  });
});

describe('openai-reasoning-gpt-oss-20b (ranked configs)', () => {
  const spec = realSpec('openai-reasoning-gpt-oss-20b');

  it('applies the top-ranked config (lmi-optimized): vLLM image on g7e, eagle heads, env', () => {
    const r = build(spec, { instanceType: 'ml.g7e.2xlarge' });
    const c = r.model.PrimaryContainer!;
    expect(c.Image).toBe(
      '763104351884.dkr.ecr.us-east-1.amazonaws.com/vllm:0.18.0-gpu-py312-cu129-ubuntu22.04-sagemaker'
    );
    expect(c.ModelDataSource?.S3DataSource?.S3Uri).toBe(
      's3://jumpstart-cache-prod-us-east-1/openai-reasoning/openai-reasoning-gpt-oss-20b/artifacts/inference-prepack/v1.0.0/'
    );
    expect(c.ModelDataSource?.S3DataSource?.ModelAccessConfig).toBeUndefined();
    expect(c.AdditionalModelDataSources).toEqual([
      {
        ChannelName: 'eagle',
        S3DataSource: {
          S3Uri:
            's3://jumpstart-cache-prod-us-east-1/lmi-eagle-heads/models/gpt-oss-20b-p-eagle/',
          S3DataType: 'S3Prefix',
          CompressionType: 'None'
        }
      }
    ]);
    expect(c.Environment).toMatchObject({
      TENSOR_PARALLEL_DEGREE: '1',
      SM_VLLM_MAX_MODEL_LEN: '8192'
    });
    expect(r.model.EnableNetworkIsolation).toBe(true);
    expect(
      r.endpointConfig.ProductionVariants![0]
        .ContainerStartupHealthCheckTimeoutInSeconds
    ).toBe(3600);
  });

  it('uses the g5 family image of that config (DJL LMI)', () => {
    const r = build(spec, { instanceType: 'ml.g5.12xlarge' });
    expect(r.model.PrimaryContainer!.Image).toBe(
      '763104351884.dkr.ecr.us-east-1.amazonaws.com/djl-inference:0.34.0-lmi16.0.0-cu128'
    );
  });
});

describe('a local-backend spec (aliases only)', () => {
  const spec: IHostingSpec = {
    model_id: 'huggingface-tc-bert-base-cased',
    version: '2.0.1',
    default_inference_instance_type: 'ml.m5.xlarge',
    supported_inference_instance_types: ['ml.m5.xlarge', 'ml.g4dn.xlarge'],
    hosting_artifact_key: 'huggingface-tc/bert/artifacts/inference/v1.0.0/',
    hosting_prepacked_artifact_key:
      'huggingface-tc/bert/artifacts/inference-prepack/v1.0.0/model.tar.gz',
    inference_environment_variables: [
      {
        name: 'SAGEMAKER_PROGRAM',
        type: 'text',
        default: 'inference.py',
        scope: 'container'
      },
      { name: 'WORKERS', type: 'int', default: 2, scope: 'container' },
      { name: 'NOT_MINE', type: 'text', default: 'x', scope: 'algorithm' }
    ],
    hosting_instance_type_variants: {
      regional_aliases: {
        'us-east-1': {
          alias_ecr_uri_1:
            '763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-inference:1.10.2'
        }
      }
    }
  };

  it('uses the single image and the tarball as ModelDataUrl', () => {
    const r = build(spec, { instanceType: 'ml.m5.xlarge' });
    const c = r.model.PrimaryContainer!;
    expect(c.Image).toBe(
      '763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-inference:1.10.2'
    );
    expect(c.ModelDataUrl).toBe(
      's3://jumpstart-cache-prod-us-east-1/huggingface-tc/bert/artifacts/inference-prepack/v1.0.0/model.tar.gz'
    );
    expect(c.ModelDataSource).toBeUndefined();
    expect(c.Environment).toEqual({
      SAGEMAKER_PROGRAM: 'inference.py',
      WORKERS: '2'
    });
  });

  it('has no image in another region', () => {
    const result = buildDeployRequests(
      spec,
      choices({ region: 'eu-west-1', instanceType: 'ml.m5.xlarge' })
    );
    expect(result.ok).toBe(false);
  });
});

describe('validateDeploy', () => {
  const spec = realSpec('pytorch-ic-mobilenet-v2');
  const messages = (over: Partial<IDeployChoices>) =>
    validateDeploy(spec, choices(over)).map(p => `${p.field}: ${p.message}`);

  it('accepts good choices', () => {
    expect(messages({})).toEqual([]);
    expect(messages({ initialCount: '10', endpointName: 'a-b--c9' })).toEqual(
      []
    );
  });

  it('names each problem in a sentence', () => {
    expect(messages({ endpointName: 'bad_name' })).toEqual([
      'endpointName: The endpoint name "bad_name" is not valid: use 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit.'
    ]);
    expect(messages({ endpointName: 'a'.repeat(64) })).toHaveLength(1);
    expect(messages({ endpointName: '-a' })).toHaveLength(1);
    expect(messages({ endpointName: '' })).toEqual([
      'endpointName: Enter an endpoint name.'
    ]);
    expect(messages({ instanceType: 'ml.p5.48xlarge' })).toEqual([
      'instanceType: ml.p5.48xlarge is not an instance type this model supports; choose one of ml.m5.large, ml.m5.xlarge, ml.c5.xlarge, ml.c5.2xlarge, ml.m4.xlarge.'
    ]);
    for (const bad of [0, 11, 1.5, '2x', '']) {
      expect(messages({ initialCount: bad })).toEqual([
        'initialCount: The initial instance count must be a whole number from 1 to 10.'
      ]);
    }
    expect(
      messages({ roleArn: 'arn:aws:sts::123456789012:assumed-role/R/s' })
    ).toEqual([
      'roleArn: "arn:aws:sts::123456789012:assumed-role/R/s" is not an IAM role ARN; it should look like arn:aws:iam::123456789012:role/MyRole.'
    ]);
    expect(messages({ roleArn: ' ' })[0]).toMatch(/^roleArn: Enter the ARN/);
  });

  it('sends nothing when a check fails', () => {
    const result = buildDeployRequests(spec, choices({ initialCount: 0 }));
    expect(result.ok).toBe(false);
    expect('requests' in result).toBe(false);
  });
});

describe('defaultEndpointName', () => {
  it('cuts the model id and appends a UTC stamp, within 63 characters', () => {
    const now = new Date(Date.UTC(2026, 11, 3, 7, 5, 9));
    expect(defaultEndpointName('pytorch-ic-mobilenet-v2', now)).toBe(
      'pytorch-ic-mobilenet-v2-20261203-070509'
    );
    const long = defaultEndpointName('x'.repeat(100) + '-y', now);
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/);
  });
});

/**
 * What the SageMaker Python SDK itself resolves for the three real specs (image_uris.retrieve, model_uris.retrieve,
 * environment_variables.retrieve_default with its default include_aws_sdk_env_vars=True, i.e. the variables of a
 * low-level CreateModel call), run offline with AWS_JUMPSTART_{MANIFEST,SPECS}_LOCAL_ROOT_DIR_OVERRIDE pointing at
 * the real manifest and spec files, region us-east-1.
 */
describe('agrees with the SageMaker Python SDK', () => {
  const expected: Record<
    string,
    { image: string; model: string; env: Record<string, string> }
  > = JSON.parse(
    fs.readFileSync(
      path.join(__dirname, 'jumpstartDeploySdkResults.json'),
      'utf8'
    )
  );

  it.each(Object.keys(expected))('%s', key => {
    const [modelId, instanceType] = key.split(' ');
    const r = build(realSpec(modelId), { instanceType, acceptEula: true });
    const c = r.model.PrimaryContainer!;
    expect(c.Image).toBe(expected[key].image);
    expect(c.ModelDataSource?.S3DataSource?.S3Uri ?? c.ModelDataUrl).toBe(
      expected[key].model
    );
    expect(c.Environment).toEqual(expected[key].env);
  });
});
