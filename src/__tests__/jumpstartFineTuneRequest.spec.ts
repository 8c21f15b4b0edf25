/**
 * Tests of the JumpStart fine-tune request builder with the real spec of pytorch-ic-mobilenet-v2: the form fields,
 * the CreateTrainingJob request (image, channels, hyperparameters) and the sentences of every validation.
 */
import * as fs from 'fs';
import * as path from 'path';

import {
  buildFineTuneRequest,
  defaultTrainingData,
  defaultTrainingJobName,
  hyperparameterFields,
  IFineTuneChoices,
  ITrainingSpec,
  TRAINING_JOB_NAME_PATTERN
} from '../jumpstart/fineTuneRequest';

/** The real spec file, as the local backend ships it (byte for byte the public one). */
function realSpec(modelId: string): ITrainingSpec {
  const file = path.join(
    __dirname,
    '../../jupyterlab_sagemaker_studio/local/jumpstart_data',
    `${modelId}.json`
  );
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

const spec = realSpec('pytorch-ic-mobilenet-v2');
const ROLE = 'arn:aws:iam::123456789012:role/SageMakerExecution';

function choices(over: Partial<IFineTuneChoices> = {}): IFineTuneChoices {
  return {
    region: 'us-east-1',
    account: '123456789012',
    instanceType: 'ml.m5.xlarge',
    trainingData: defaultTrainingData(spec, 'us-east-1'),
    jobName: 'pytorch-ic-mobilenet-v2-ft-20260101-000000',
    roleArn: ROLE,
    hyperparameters: {},
    ...over
  };
}

function problems(over: Partial<IFineTuneChoices> = {}): string[] {
  const result = buildFineTuneRequest(spec, choices(over));
  return result.ok ? [] : result.problems.map(p => p.message);
}

describe('hyperparameterFields', () => {
  it('lists the algorithm-scope hyperparameters with their bounds and options', () => {
    const fields = hyperparameterFields(spec);
    expect(fields.map(f => f.name)).toEqual([
      'train_only_top_layer',
      'epochs',
      'learning_rate',
      'batch_size',
      'reinitialize_top_layer'
    ]);
    expect(fields[1]).toEqual({
      name: 'epochs',
      type: 'int',
      defaultValue: '5',
      min: 1,
      max: 1000
    });
    expect(fields[0].options).toEqual(['True', 'False']);
  });
});

describe('buildFineTuneRequest', () => {
  it('builds the request the SDK would send for the real spec', () => {
    const result = buildFineTuneRequest(
      spec,
      choices({ hyperparameters: { epochs: '3' } })
    );
    if (!result.ok) {
      throw new Error(JSON.stringify(result.problems));
    }
    const request = result.request;
    expect(request.AlgorithmSpecification).toEqual({
      TrainingImage:
        '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:1.10.0-cpu-py38',
      TrainingInputMode: 'File',
      MetricDefinitions: [
        { Name: 'pytorch-ic:val-accuracy', Regex: 'val_accuracy: ([0-9\\.]+)' }
      ]
    });
    const channels = Object.fromEntries(
      (request.InputDataConfig ?? []).map(c => [
        c.ChannelName,
        c.DataSource?.S3DataSource?.S3Uri
      ])
    );
    expect(channels).toEqual({
      training:
        's3://jumpstart-cache-prod-us-east-1/training-datasets/tf_flowers/',
      model:
        's3://jumpstart-cache-prod-us-east-1/pytorch-training/v2.0.0/train-pytorch-ic-mobilenet-v2.tar.gz',
      code: 's3://jumpstart-cache-prod-us-east-1/source-directory-tarballs/pytorch/transfer_learning/ic/prepack/v1.1.0/sourcedir.tar.gz'
    });
    expect(request.HyperParameters).toEqual({
      train_only_top_layer: '"True"',
      epochs: '"3"',
      learning_rate: '"0.001"',
      batch_size: '"4"',
      reinitialize_top_layer: '"Auto"',
      sagemaker_submit_directory: '"/opt/ml/input/data/code/sourcedir.tar.gz"',
      sagemaker_program: '"transfer_learning.py"',
      sagemaker_container_log_level: '"20"',
      sagemaker_job_name: '"pytorch-ic-mobilenet-v2-ft-20260101-000000"',
      sagemaker_region: '"us-east-1"'
    });
    expect(request.OutputDataConfig).toEqual({
      S3OutputPath: 's3://sagemaker-us-east-1-123456789012/jumpstart-training/'
    });
    expect(request.ResourceConfig).toEqual({
      InstanceType: 'ml.m5.xlarge',
      InstanceCount: 1,
      VolumeSizeInGB: 30
    });
    expect(request.EnableNetworkIsolation).toBe(true);
    expect(request.EnableInterContainerTrafficEncryption).toBe(true);
    expect(request.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 360000 });
    expect(request.RoleArn).toBe(ROLE);
    expect(request.AlgorithmSpecification).not.toHaveProperty(
      'ContainerEntrypoint'
    );
    expect(request.Tags).toEqual([
      {
        Key: 'sagemaker-sdk:jumpstart-model-id',
        Value: 'pytorch-ic-mobilenet-v2'
      },
      { Key: 'sagemaker-sdk:jumpstart-model-version', Value: '3.0.25' }
    ]);
  });

  it('picks the GPU image for a GPU instance type', () => {
    const gpu = {
      ...spec,
      supported_training_instance_types: ['ml.g5.2xlarge']
    };
    const result = buildFineTuneRequest(
      gpu,
      choices({ instanceType: 'ml.g5.2xlarge' })
    );
    expect(
      result.ok && result.request.AlgorithmSpecification?.TrainingImage
    ).toBe(
      '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:1.10.0-gpu-py38'
    );
  });

  it('points the script directory at S3 and adds no code channel without network isolation', () => {
    const open = { ...spec, training_enable_network_isolation: false };
    const result = buildFineTuneRequest(open, choices());
    if (!result.ok) {
      throw new Error('not built');
    }
    expect(result.request.HyperParameters?.sagemaker_submit_directory).toBe(
      '"s3://jumpstart-cache-prod-us-east-1/source-directory-tarballs/pytorch/transfer_learning/ic/prepack/v1.1.0/sourcedir.tar.gz"'
    );
    expect(result.request.InputDataConfig?.map(c => c.ChannelName)).toEqual([
      'training',
      'model'
    ]);
    expect(result.request.EnableNetworkIsolation).toBe(false);
  });

  it('says an out-of-range value is out of range', () => {
    expect(problems({ hyperparameters: { epochs: '100000' } })).toEqual([
      'epochs must be at most 1000'
    ]);
    expect(problems({ hyperparameters: { epochs: '0' } })).toEqual([
      'epochs must be at least 1'
    ]);
  });

  it('says a non-numeric value is not a number', () => {
    expect(problems({ hyperparameters: { epochs: 'ten' } })).toEqual([
      'epochs must be a whole number.'
    ]);
    expect(problems({ hyperparameters: { epochs: '2.5' } })).toEqual([
      'epochs must be a whole number.'
    ]);
    expect(problems({ hyperparameters: { learning_rate: 'fast' } })).toEqual([
      'learning_rate must be a number.'
    ]);
  });

  it('says a value that is not one of the options must be one of them', () => {
    expect(
      problems({ hyperparameters: { train_only_top_layer: 'yes' } })
    ).toEqual(['train_only_top_layer must be one of True, False.']);
  });

  it('rejects a bad S3 URI, job name and role', () => {
    expect(problems({ trainingData: '/home/data' })).toEqual([
      '"/home/data" is not an S3 URI; the training data should look like s3://my-bucket/my-data/.'
    ]);
    expect(problems({ jobName: 'my_job!' })).toEqual([
      'The training job name "my_job!" is not valid: use 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit.'
    ]);
    expect(problems({ roleArn: 'SageMakerRole' })).toEqual([
      '"SageMakerRole" is not an IAM role ARN; it should look like arn:aws:iam::123456789012:role/MyRole.'
    ]);
    expect(problems({ instanceType: 'ml.p4d.24xlarge' })).toEqual([
      'ml.p4d.24xlarge is not an instance type this model can be trained on; choose one of ml.m5.xlarge, ml.c5.2xlarge, ml.m4.xlarge.'
    ]);
  });

  it('builds nothing for a model that cannot be trained', () => {
    expect(problems({})).toEqual([]);
    const untrainable = {
      ...spec,
      training_supported: false,
      fine_tuning_supported: false
    };
    const result = buildFineTuneRequest(untrainable, choices());
    expect(result.ok).toBe(false);
  });
});

describe('defaultTrainingJobName', () => {
  it('is a valid job name for long model ids', () => {
    const name = defaultTrainingJobName(
      'huggingface-llm-mistral-7b-instruct-v0-3-with-a-very-long-suffix',
      new Date(Date.UTC(2026, 11, 3, 18, 5, 9))
    );
    expect(name.endsWith('-ft-20261203-180509')).toBe(true);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(TRAINING_JOB_NAME_PATTERN.test(name)).toBe(true);
  });
});
