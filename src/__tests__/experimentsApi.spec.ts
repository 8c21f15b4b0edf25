/**
 * Tests of the experiments calls against a fake SageMaker client: the Search request members, paging by NextToken
 * and the trial component → run conversion.
 *
 * @jest-environment-options {"customExportConditions": ["node", "require"]}
 */
import {
  ListExperimentsCommand,
  ListTrialsCommand,
  SearchCommand
} from '@aws-sdk/client-sagemaker';

import {
  listExperiments,
  listTrials,
  runOfTrialComponent,
  runsByName,
  searchRunPages,
  searchRuns
} from '../experiments/api';

/** A client that records each command and answers it with `answer(name, input)`. */
function fakeClient(answer: (name: string, input: any) => unknown) {
  const sent: Array<{ name: string; input: any }> = [];
  const client = {
    send: async (command: any) => {
      const name = command.constructor.name;
      sent.push({ name, input: command.input });
      return answer(name, command.input);
    }
  };
  return { client: client as any, sent };
}

const component = {
  TrialComponentName: 'digits-classifier-run-1',
  TrialComponentArn:
    'arn:aws:sagemaker:us-east-1:123456789012:experiment-trial-component/digits-classifier-run-1',
  DisplayName: 'run-1',
  Status: { PrimaryStatus: 'Completed' },
  CreationTime: new Date(1700000000000),
  LastModifiedTime: new Date(1700000100000),
  Source: {
    SourceArn: 'arn:aws:sagemaker:us-east-1:123456789012:training-job/tj',
    SourceType: 'SageMakerTrainingJob'
  },
  Parameters: {
    eta: { NumberValue: 0.3 },
    objective: { StringValue: 'multi:softmax' }
  },
  Metrics: [
    {
      MetricName: 'validation:error',
      Last: 0.1,
      Min: 0.05,
      Max: 0.4,
      Avg: 0.2,
      Count: 10,
      StdDev: 0.01,
      TimeStamp: new Date(1700000050000)
    }
  ],
  Parents: [
    { ExperimentName: 'digits-classifier', TrialName: 'digits-baseline' }
  ]
};

describe('experiments calls', () => {
  it('converts a trial component to a run', () => {
    const run = runOfTrialComponent(component as any);
    expect(run).toEqual({
      name: 'digits-classifier-run-1',
      arn: component.TrialComponentArn,
      displayName: 'run-1',
      experimentName: 'digits-classifier',
      trialName: 'digits-baseline',
      status: 'Completed',
      created: 1700000000000,
      lastModified: 1700000100000,
      sourceArn: 'arn:aws:sagemaker:us-east-1:123456789012:training-job/tj',
      sourceType: 'SageMakerTrainingJob',
      parameters: { eta: 0.3, objective: 'multi:softmax' },
      metrics: {
        'validation:error': {
          last: 0.1,
          min: 0.05,
          max: 0.4,
          avg: 0.2,
          count: 10,
          stdDev: 0.01,
          timestamp: 1700000050000
        }
      }
    });
  });

  it('fills what a bare trial component lacks', () => {
    const run = runOfTrialComponent({ TrialComponentName: 'bare' });
    expect(run).toMatchObject({
      name: 'bare',
      displayName: 'bare',
      experimentName: null,
      trialName: null,
      status: '',
      created: null,
      sourceArn: null,
      parameters: {},
      metrics: {}
    });
  });

  it('searches the runs of an experiment 100 at a time, following NextToken', async () => {
    const { client, sent } = fakeClient((name, input) => {
      expect(name).toBe(SearchCommand.name);
      return input.NextToken
        ? { Results: [{ TrialComponent: { TrialComponentName: 'b' } }] }
        : {
            Results: [{ TrialComponent: { TrialComponentName: 'a' } }],
            NextToken: 'page-2'
          };
    });
    const pages: string[][] = [];
    for await (const page of searchRunPages(client, {
      experimentName: 'digits-classifier'
    })) {
      pages.push(page.map(run => run.name));
    }
    expect(pages).toEqual([['a'], ['b']]);
    expect(sent[0].input).toEqual({
      Resource: 'ExperimentTrialComponent',
      SearchExpression: {
        Filters: [
          {
            Name: 'Parents.ExperimentName',
            Operator: 'Equals',
            Value: 'digits-classifier'
          }
        ]
      },
      SortBy: 'CreationTime',
      SortOrder: 'Descending',
      MaxResults: 100
    });
    expect(sent[1].input.NextToken).toBe('page-2');
  });

  it('filters by trial too and collects all pages', async () => {
    const { client, sent } = fakeClient(() => ({
      Results: [{ TrialComponent: component }]
    }));
    const runs = await searchRuns(client, {
      experimentName: 'digits-classifier',
      trialName: 'digits-baseline'
    });
    expect(runs).toHaveLength(1);
    expect(sent[0].input.SearchExpression.Filters[1]).toEqual({
      Name: 'Parents.TrialName',
      Operator: 'Equals',
      Value: 'digits-baseline'
    });
  });

  it('lists experiments and trials across pages', async () => {
    const { client, sent } = fakeClient((name, input) => {
      if (name === ListExperimentsCommand.name) {
        return input.NextToken
          ? { ExperimentSummaries: [{ ExperimentName: 'e2' }] }
          : {
              ExperimentSummaries: [
                {
                  ExperimentName: 'e1',
                  ExperimentArn: 'arn:e1',
                  CreationTime: new Date(1),
                  LastModifiedTime: new Date(2)
                }
              ],
              NextToken: 't'
            };
      }
      expect(name).toBe(ListTrialsCommand.name);
      return {
        TrialSummaries: [{ TrialName: 'e1-baseline', DisplayName: 'baseline' }]
      };
    });
    expect(await listExperiments(client)).toEqual([
      {
        name: 'e1',
        arn: 'arn:e1',
        displayName: 'e1',
        created: 1,
        lastModified: 2
      },
      {
        name: 'e2',
        arn: '',
        displayName: 'e2',
        created: null,
        lastModified: null
      }
    ]);
    const trials = await listTrials(client, 'e1');
    expect(trials[0]).toMatchObject({
      name: 'e1-baseline',
      displayName: 'baseline',
      experimentName: 'e1'
    });
    expect(sent[2].input).toMatchObject({
      ExperimentName: 'e1',
      MaxResults: 100
    });
  });
});

describe('runsByName', () => {
  const named = (name: string) => ({
    TrialComponent: { ...component, TrialComponentName: name }
  });

  it('searches a few runs by name in In filters of at most 1,024 characters', async () => {
    const names = Array.from(
      { length: 120 },
      (_, i) => `exp-run-${String(i).padStart(4, '0')}`
    );
    const { client, sent } = fakeClient((_, input) => ({
      Results: input.SearchExpression.Filters[0].Value.split(',')
        .filter((n: string) => n !== 'exp-run-0007')
        .map(named)
    }));
    const runs = await runsByName(client, names, 'exp');
    expect(sent.length).toBeGreaterThan(1);
    for (const { name, input } of sent) {
      expect(name).toBe('SearchCommand');
      expect(input.SearchExpression.Filters[0]).toMatchObject({
        Name: 'TrialComponentName',
        Operator: 'In'
      });
      expect(
        input.SearchExpression.Filters[0].Value.length
      ).toBeLessThanOrEqual(1024);
    }
    expect(runs.length).toBe(119);
  });

  it("reads many runs from their experiment's pages and keeps the named ones", async () => {
    const names = Array.from({ length: 300 }, (_, i) => `exp-run-${i}`);
    const { client, sent } = fakeClient((_, input) => ({
      Results: [...names, 'exp-other'].map(named)
    }));
    const runs = await runsByName(client, names, 'exp');
    expect(sent).toHaveLength(1);
    expect(sent[0].input.SearchExpression.Filters[0]).toEqual({
      Name: 'Parents.ExperimentName',
      Operator: 'Equals',
      Value: 'exp'
    });
    expect(runs.map(r => r.name)).toEqual(names);
  });
});
