/**
 * Tests of reading pipeline definitions: the step graph SageMaker derives (DependsOn, property references, Condition
 * branches), the display of references, and the checks of parameter values typed before a start.
 */
import { nullTranslator } from '@jupyterlab/translation';

import {
  displayValue,
  parsePipelineDefinition,
  PipelineDefinitionError,
  stepReferences,
  validateDisplayName,
  validateParameters,
  validateParameterValue
} from '../registry/details/pipelineDefinition';

const trans = nullTranslator.load('jupyterlab_sagemaker_studio');

const get = (path: string) => ({ Get: path });

/** A definition shaped like the demo's build pipeline (as the SageMaker Python SDK writes them). */
const BUILD = {
  Version: '2020-12-01',
  Parameters: [
    { Name: 'InputDataUrl', Type: 'String', DefaultValue: 's3://b/raw/' },
    { Name: 'TrainingInstanceCount', Type: 'Integer', DefaultValue: 1 },
    { Name: 'MinAccuracy', Type: 'Float', DefaultValue: 0.95 },
    { Name: 'Strict', Type: 'Boolean', DefaultValue: false },
    { Name: 'Owner' }
  ],
  Steps: [
    {
      Name: 'Prepare',
      Type: 'Processing',
      Arguments: {
        ProcessingInputs: [
          { S3Input: { S3Uri: get('Parameters.InputDataUrl') } }
        ]
      }
    },
    {
      Name: 'Train',
      Type: 'Training',
      DisplayName: 'Train the model',
      Arguments: {
        InputDataConfig: [
          {
            DataSource: {
              S3DataSource: {
                S3Uri: get(
                  "Steps.Prepare.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri"
                )
              }
            }
          }
        ],
        ResourceConfig: {
          InstanceCount: get('Parameters.TrainingInstanceCount')
        }
      }
    },
    {
      Name: 'Evaluate',
      Type: 'Processing',
      Arguments: {
        Model: {
          'Std:Join': {
            On: '/',
            Values: [get('Steps.Train.ModelArtifacts.S3ModelArtifacts'), 'x']
          }
        }
      }
    },
    {
      Name: 'Audit',
      Type: 'Processing',
      DependsOn: ['Prepare'],
      Arguments: {}
    },
    {
      Name: 'Check',
      Type: 'Condition',
      Arguments: {
        Conditions: [
          {
            Type: 'GreaterThanOrEqualTo',
            LeftValue: {
              'Std:JsonGet': {
                PropertyFile: get('Steps.Evaluate.PropertyFiles.Report'),
                Path: 'accuracy'
              }
            },
            RightValue: get('Parameters.MinAccuracy')
          }
        ],
        IfSteps: [
          {
            Name: 'Register',
            Type: 'RegisterModel',
            DependsOn: ['Audit'],
            Arguments: {
              ModelDataUrl: get('Steps.Train.ModelArtifacts.S3ModelArtifacts')
            }
          }
        ],
        ElseSteps: [
          {
            Name: 'TooLow',
            Type: 'Fail',
            Arguments: { ErrorMessage: 'too low' }
          }
        ]
      }
    }
  ]
};

function edgesOf(text: string): string[] {
  return parsePipelineDefinition(text, trans)
    .edges.map(e => `${e.from}->${e.to}:${e.kind}`)
    .sort();
}

describe('parsePipelineDefinition', () => {
  it('derives edges from DependsOn, property references and Condition branches', () => {
    expect(edgesOf(JSON.stringify(BUILD))).toEqual(
      [
        'Prepare->Train:data',
        'Train->Evaluate:data',
        'Prepare->Audit:dependsOn',
        // Std:JsonGet's property file belongs to the Condition itself …
        'Evaluate->Check:data',
        // … its branches are steps of their own, after it.
        'Check->Register:if',
        'Check->TooLow:else',
        'Audit->Register:dependsOn',
        'Train->Register:data'
      ].sort()
    );
  });

  it('lists nested steps with their branch, after their Condition', () => {
    const graph = parsePipelineDefinition(JSON.stringify(BUILD), trans);
    expect(graph.steps.map(s => s.name)).toEqual([
      'Prepare',
      'Train',
      'Evaluate',
      'Audit',
      'Check',
      'Register',
      'TooLow'
    ]);
    expect(graph.steps.find(s => s.name === 'TooLow')?.branchOf).toEqual({
      condition: 'Check',
      branch: 'else'
    });
    expect(graph.steps.find(s => s.name === 'Train')?.displayName).toBe(
      'Train the model'
    );
    // The condition does not depend on what its branches read (Train's artifacts).
    expect(graph.edges.filter(e => e.to === 'Check').map(e => e.from)).toEqual([
      'Evaluate'
    ]);
  });

  it('keeps one edge per pair, the strongest reason winning', () => {
    const text = JSON.stringify({
      Steps: [
        { Name: 'A', Type: 'Processing' },
        {
          Name: 'B',
          Type: 'Training',
          DependsOn: ['A'],
          Arguments: { X: get('Steps.A.Output') }
        }
      ]
    });
    expect(edgesOf(text)).toEqual(['A->B:dependsOn']);
  });

  it('ignores references to unknown steps and execution variables', () => {
    const text = JSON.stringify({
      Steps: [
        {
          Name: 'A',
          Type: 'Processing',
          Arguments: {
            Id: get('Execution.PipelineExecutionId'),
            Missing: get('Steps.Ghost.Output'),
            Self: get('Steps.A.Output')
          }
        }
      ]
    });
    expect(edgesOf(text)).toEqual([]);
  });

  it('reads the declared parameters with their types and defaults as text', () => {
    const graph = parsePipelineDefinition(JSON.stringify(BUILD), trans);
    expect(graph.parameters).toEqual([
      { name: 'InputDataUrl', type: 'String', defaultValue: 's3://b/raw/' },
      { name: 'TrainingInstanceCount', type: 'Integer', defaultValue: '1' },
      { name: 'MinAccuracy', type: 'Float', defaultValue: '0.95' },
      { name: 'Strict', type: 'Boolean', defaultValue: 'false' },
      { name: 'Owner', type: 'String', defaultValue: null }
    ]);
  });

  it('refuses what is not a definition, with a sentence', () => {
    expect(() => parsePipelineDefinition('{"Steps": [', trans)).toThrow(
      new PipelineDefinitionError('The pipeline definition is not valid JSON.')
    );
    expect(() => parsePipelineDefinition('{"Parameters": []}', trans)).toThrow(
      'The pipeline definition has no list of steps.'
    );
    expect(() =>
      parsePipelineDefinition(
        JSON.stringify({
          Steps: [
            { Name: 'A', Type: 'Processing' },
            { Name: 'A', Type: 'Training' }
          ]
        }),
        trans
      )
    ).toThrow('The step name “A” is used twice in the pipeline definition.');
  });
});

describe('stepReferences and displayValue', () => {
  it('finds step names in Get references at any depth, including bracketed paths', () => {
    expect(
      stepReferences({
        a: [get("Steps.One.Outputs['x'].S3Uri")],
        b: { 'Std:Join': { On: '/', Values: [get('Steps.Two.Arn')] } },
        c: get('Parameters.P')
      })
    ).toEqual(['One', 'Two']);
  });

  it('shows references as their paths and Std functions as calls', () => {
    expect(
      displayValue({
        Count: get('Parameters.TrainingInstanceCount'),
        Uri: { 'Std:Join': { On: '/', Values: ['s3:/', get('Steps.A.X')] } },
        Score: {
          'Std:JsonGet': {
            PropertyFile: get('Steps.E.PropertyFiles.R'),
            Path: 'a.b'
          }
        },
        N: 3
      })
    ).toEqual({
      kind: 'object',
      entries: [
        ['Count', { kind: 'ref', path: 'Parameters.TrainingInstanceCount' }],
        [
          'Uri',
          {
            kind: 'call',
            name: 'Join',
            args: [
              { kind: 'scalar', value: '/' },
              {
                kind: 'list',
                items: [
                  { kind: 'scalar', value: 's3:/' },
                  { kind: 'ref', path: 'Steps.A.X' }
                ]
              }
            ]
          }
        ],
        [
          'Score',
          {
            kind: 'call',
            name: 'JsonGet',
            args: [
              { kind: 'ref', path: 'Steps.E.PropertyFiles.R' },
              { kind: 'scalar', value: 'a.b' }
            ]
          }
        ],
        ['N', { kind: 'scalar', value: 3 }]
      ]
    });
  });
});

describe('parameter validation', () => {
  const declared = parsePipelineDefinition(
    JSON.stringify(BUILD),
    trans
  ).parameters;
  const integer = declared[1];

  it('explains a value that is not of the parameter type', () => {
    expect(validateParameterValue(integer, 'abc', trans)).toBe(
      'Parameter “TrainingInstanceCount” is an Integer: “abc” is not a whole number.'
    );
    expect(validateParameterValue(integer, '1.5', trans)).toMatch(
      /not a whole number/
    );
    expect(validateParameterValue(integer, ' 4 ', trans)).toBeNull();
    expect(validateParameterValue(declared[2], '0.9e0', trans)).toBeNull();
    expect(validateParameterValue(declared[2], '9,5', trans)).toBe(
      'Parameter “MinAccuracy” is a Float: “9,5” is not a number.'
    );
    expect(validateParameterValue(declared[3], 'yes', trans)).toBe(
      'Parameter “Strict” is a Boolean: enter true or false, not “yes”.'
    );
    expect(
      validateParameterValue(declared[0], 'x'.repeat(1025), trans)
    ).toMatch(/longer than 1024 characters/);
  });

  it('needs a value only where there is no default, and sends only typed values', () => {
    const missing = validateParameters(declared, {}, trans);
    expect(missing.errors).toEqual({
      Owner: 'Parameter “Owner” has no default value: enter a value.'
    });
    const ok = validateParameters(
      declared,
      { Owner: 'me', Strict: 'TRUE', TrainingInstanceCount: ' 2 ' },
      trans
    );
    expect(ok.errors).toEqual({});
    expect(ok.parameters).toEqual([
      { Name: 'TrainingInstanceCount', Value: '2' },
      { Name: 'Strict', Value: 'true' },
      { Name: 'Owner', Value: 'me' }
    ]);
  });

  it('collects every wrong value at once', () => {
    const check = validateParameters(
      declared,
      { Owner: 'me', TrainingInstanceCount: 'abc', MinAccuracy: 'high' },
      trans
    );
    expect(Object.keys(check.errors)).toEqual([
      'TrainingInstanceCount',
      'MinAccuracy'
    ]);
  });

  it('checks display names like the API', () => {
    expect(validateDisplayName('', trans)).toBeNull();
    expect(validateDisplayName('nightly-build-2', trans)).toBeNull();
    expect(validateDisplayName('-bad', trans)).toMatch(/letters, digits/);
    expect(validateDisplayName('with space', trans)).toMatch(/letters/);
  });
});
