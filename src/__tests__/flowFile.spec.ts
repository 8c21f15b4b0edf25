/**
 * Tests of reading Data Wrangler .flow files: the demo's flow (built on the public format of AWS's examples), and
 * every way a file can fail to be a flow.
 */
import * as fs from 'fs';
import * as path from 'path';

import {
  FlowFormatError,
  operatorLabel,
  parseFlow
} from '../registry/flowFile';

const demoFlow = fs.readFileSync(
  path.join(
    __dirname,
    '../../jupyterlab_sagemaker_studio/demo/flows/breast-cancer-prep.flow'
  ),
  'utf-8'
);

/** The code of the FlowFormatError `text` raises. */
function errorOf(text: string): { code: string; detail: string } {
  try {
    parseFlow(text);
  } catch (err) {
    expect(err).toBeInstanceOf(FlowFormatError);
    const { code, detail } = err as FlowFormatError;
    return { code, detail };
  }
  throw new Error('parseFlow accepted the text');
}

describe('parseFlow', () => {
  it('summarises the demo flow: metadata, sources, steps in order', () => {
    const flow = parseFlow(demoFlow);
    expect(flow.version).toBe('1');
    expect(flow.instanceType).toBe('ml.m5.4xlarge');
    expect(flow.disableLimits).toBe(false);
    expect(flow.counts).toEqual([
      { type: 'SOURCE', count: 1 },
      { type: 'TRANSFORM', count: 4 },
      { type: 'DATASET', count: 2 }
    ]);
    expect(flow.sources).toEqual([
      {
        nodeId: flow.nodes[0].id,
        name: 'biopsies.csv',
        sourceType: 'S3',
        location:
          's3://sagemaker-us-east-1-123456789012/sagemaker-studio-demo/datasets/breast_cancer/raw/biopsies.csv',
        database: null,
        contentType: 'csv',
        hasHeader: true
      }
    ]);
    expect(flow.nodes.map(n => n.label)).toEqual([
      'biopsies.csv',
      'Infer and cast type',
      'Manage columns: Drop column',
      'Manage columns: Move column',
      'Split: Randomized split',
      'Identity',
      'Identity'
    ]);
    const split = flow.nodes[4];
    expect(split.outputs).toEqual(['Train', 'Test']);
    expect(flow.nodes[5].inputs).toEqual([
      { name: 'df', nodeId: split.id, outputName: 'Train' }
    ]);
    expect(flow.warnings).toEqual([]);
  });

  it('orders nodes after the nodes they read, whatever the file order', () => {
    const flow = parseFlow(
      JSON.stringify({
        nodes: [
          {
            node_id: 'join',
            type: 'TRANSFORM',
            operator: 'sagemaker.spark.join_tables_0.1',
            name: 'by user',
            inputs: [{ node_id: 'b' }, { node_id: 'a' }]
          },
          {
            node_id: 'b',
            type: 'SOURCE',
            operator: 'sagemaker.athena_source_0.1',
            parameters: {
              dataset_definition: {
                name: 'ratings',
                athenaExecutionContext: {
                  databaseName: 'music',
                  queryString: 'select * from ratings'
                }
              }
            }
          },
          { node_id: 'a', type: 'SOURCE', operator: 'sagemaker.s3_source_0.1' }
        ]
      })
    );
    expect(flow.nodes.map(n => n.id)).toEqual(['b', 'a', 'join']);
    expect(flow.nodes[2].label).toBe('by user');
    expect(flow.sources[0]).toMatchObject({
      name: 'ratings',
      sourceType: 'ATHENA',
      location: 'select * from ratings',
      database: 'music'
    });
    expect(flow.version).toBeNull();
  });

  it('keeps a flow whose inputs name missing nodes, with a warning', () => {
    const flow = parseFlow(
      JSON.stringify({
        metadata: { version: 1 },
        nodes: [
          {
            node_id: 'x',
            type: 'TRANSFORM',
            operator: 'sagemaker.spark.custom_code_0.1',
            parameters: { name: 'my code' },
            inputs: [{ node_id: 'gone', output_name: 'default' }]
          }
        ]
      })
    );
    expect(flow.warnings).toEqual([
      { code: 'unknown-input', nodeId: 'x', detail: 'gone' }
    ]);
    expect(flow.nodes[0].label).toBe('my code');
  });

  it('places nodes of a cycle in file order instead of looping', () => {
    const flow = parseFlow(
      JSON.stringify({
        nodes: [
          { node_id: 'p', type: 'TRANSFORM', inputs: [{ node_id: 'q' }] },
          { node_id: 'q', type: 'TRANSFORM', inputs: [{ node_id: 'p' }] }
        ]
      })
    );
    expect(flow.nodes.map(n => n.id)).toEqual(['p', 'q']);
  });

  it('says why a file is not a flow', () => {
    expect(errorOf('{"nodes": [').code).toBe('json');
    expect(errorOf('[1, 2]')).toEqual({ code: 'not-object', detail: 'array' });
    expect(errorOf('{"metadata": {}}')).toEqual({
      code: 'no-nodes',
      detail: 'undefined'
    });
    expect(
      errorOf('{"nodes": [{"node_id": "a", "type": "SOURCE"}, {"type": 3}]}')
    ).toEqual({ code: 'bad-node', detail: '2' });
  });
});

describe('operatorLabel', () => {
  it('turns operator ids into words', () => {
    expect(operatorLabel('sagemaker.spark.infer_and_cast_type_0.1')).toBe(
      'Infer and cast type'
    );
    expect(operatorLabel('sagemaker.s3_source_0.1')).toBe('S3 source');
    expect(operatorLabel('custom')).toBe('Custom');
  });
});
