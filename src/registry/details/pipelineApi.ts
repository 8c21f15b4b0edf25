/**
 * The SageMaker calls of the pipeline tab, through the AWS SDK: {@link IPipelineApi} on a SageMaker client.
 * Loaded with the pipeline detail module (never at JupyterLab's start).
 */
import {
  DescribePipelineCommand,
  DescribePipelineDefinitionForExecutionCommand,
  DescribePipelineExecutionCommand,
  ListPipelineExecutionsCommand,
  ListPipelineExecutionStepsCommand,
  ListPipelineParametersForExecutionCommand,
  PipelineExecutionStep,
  RetryPipelineExecutionCommand,
  SageMakerClient,
  StartPipelineExecutionCommand,
  StopPipelineExecutionCommand
} from '@aws-sdk/client-sagemaker';
import { UUID } from '@lumino/coreutils';

import { paginate } from '../../aws/paginate';
import type { IPipelineApi, IStepRun } from './pipelineModel';

/** Executions per page of the executions table. */
const EXECUTIONS_PAGE_SIZE = 20;

/** A Date from the SDK as ms since epoch. */
function ms(date: Date | undefined): number | null {
  return date ? date.getTime() : null;
}

/** The pipeline calls on the client `client()` resolves to (the connection re-creates it on region changes). */
export function sdkPipelineApi(
  client: () => Promise<SageMakerClient>
): IPipelineApi {
  return {
    async describePipeline(name, signal) {
      const sm = await client();
      const out = await sm.send(
        new DescribePipelineCommand({ PipelineName: name }),
        { abortSignal: signal }
      );
      return {
        name: out.PipelineName ?? name,
        arn: out.PipelineArn ?? '',
        displayName: out.PipelineDisplayName ?? null,
        description: out.PipelineDescription ?? null,
        status: out.PipelineStatus ?? null,
        created: ms(out.CreationTime),
        lastRun: ms(out.LastRunTime),
        roleArn: out.RoleArn ?? null,
        definition: out.PipelineDefinition ?? ''
      };
    },

    async listExecutions(pipeline, nextToken, signal) {
      const sm = await client();
      const page = await sm.send(
        new ListPipelineExecutionsCommand({
          PipelineName: pipeline,
          SortBy: 'CreationTime',
          SortOrder: 'Descending',
          MaxResults: EXECUTIONS_PAGE_SIZE,
          NextToken: nextToken
        }),
        { abortSignal: signal }
      );
      return {
        items: (page.PipelineExecutionSummaries ?? []).map(e => ({
          arn: e.PipelineExecutionArn ?? '',
          displayName:
            e.PipelineExecutionDisplayName ??
            (e.PipelineExecutionArn ?? '').split('/').pop() ??
            '',
          status: e.PipelineExecutionStatus ?? '',
          started: ms(e.StartTime),
          lastModified: null,
          failureReason: e.PipelineExecutionFailureReason ?? null,
          description: e.PipelineExecutionDescription ?? null
        })),
        nextToken: page.NextToken
      };
    },

    async describeExecution(arn, signal) {
      const sm = await client();
      const e = await sm.send(
        new DescribePipelineExecutionCommand({ PipelineExecutionArn: arn }),
        { abortSignal: signal }
      );
      return {
        arn,
        displayName:
          e.PipelineExecutionDisplayName ?? arn.split('/').pop() ?? arn,
        status: e.PipelineExecutionStatus ?? '',
        started: ms(e.CreationTime),
        lastModified: ms(e.LastModifiedTime),
        failureReason: e.FailureReason ?? null,
        description: e.PipelineExecutionDescription ?? null
      };
    },

    async executionDefinition(arn, signal) {
      const sm = await client();
      const out = await sm.send(
        new DescribePipelineDefinitionForExecutionCommand({
          PipelineExecutionArn: arn
        }),
        { abortSignal: signal }
      );
      return out.PipelineDefinition ?? '';
    },

    async listSteps(arn, signal) {
      const sm = await client();
      const runs: IStepRun[] = [];
      for await (const page of paginate(
        (input: { PipelineExecutionArn: string; NextToken?: string }) =>
          sm.send(new ListPipelineExecutionStepsCommand(input), {
            abortSignal: signal
          }),
        { PipelineExecutionArn: arn },
        { pageSize: 100, signal }
      )) {
        runs.push(...(page.PipelineExecutionSteps ?? []).map(stepRun));
      }
      return runs;
    },

    async listParameters(arn, signal) {
      const sm = await client();
      const values: Array<{ name: string; value: string }> = [];
      for await (const page of paginate(
        (input: { PipelineExecutionArn: string; NextToken?: string }) =>
          sm.send(new ListPipelineParametersForExecutionCommand(input), {
            abortSignal: signal
          }),
        { PipelineExecutionArn: arn },
        { pageSize: 100, signal }
      )) {
        for (const p of page.PipelineParameters ?? []) {
          values.push({ name: p.Name ?? '', value: p.Value ?? '' });
        }
      }
      return values;
    },

    async startExecution(pipeline, options) {
      const sm = await client();
      const out = await sm.send(
        new StartPipelineExecutionCommand({
          PipelineName: pipeline,
          PipelineExecutionDisplayName: options.displayName || undefined,
          PipelineParameters: options.parameters,
          ClientRequestToken: UUID.uuid4()
        })
      );
      return out.PipelineExecutionArn ?? '';
    },

    async stopExecution(arn) {
      const sm = await client();
      await sm.send(
        new StopPipelineExecutionCommand({
          PipelineExecutionArn: arn,
          ClientRequestToken: UUID.uuid4()
        })
      );
    },

    async retryExecution(arn) {
      const sm = await client();
      await sm.send(
        new RetryPipelineExecutionCommand({
          PipelineExecutionArn: arn,
          ClientRequestToken: UUID.uuid4()
        })
      );
    }
  };
}

/** A step of ListPipelineExecutionSteps, SDK-free. */
function stepRun(step: PipelineExecutionStep): IStepRun {
  return {
    name: step.StepName ?? '',
    status: step.StepStatus ?? '',
    started: ms(step.StartTime),
    ended: ms(step.EndTime),
    failureReason: step.FailureReason ?? null,
    metadata: (step.Metadata as Record<string, unknown> | undefined) ?? null,
    attempts: step.AttemptCount ?? null
  };
}
