/**
 * Tests of the graph layout with dagre.
 */
import { nullTranslator } from '@jupyterlab/translation';
import { deserialize, serialize } from 'v8';

import { parsePipelineDefinition } from '../registry/details/pipelineDefinition';
import { layoutPipeline } from '../registry/details/pipelineLayout';

const trans = nullTranslator.load('jupyterlab_sagemaker_studio');

// dagre copies its data with structuredClone, which browsers and Node have but jest's jsdom does not expose.
if (typeof globalThis.structuredClone !== 'function') {
  globalThis.structuredClone = (<T>(value: T): T =>
    deserialize(serialize(value))) as typeof structuredClone;
}

const DEFINITION = JSON.stringify({
  Steps: [
    { Name: 'Prepare', Type: 'Processing' },
    {
      Name: 'Train',
      Type: 'Training',
      Arguments: { Data: { Get: 'Steps.Prepare.Output' } }
    },
    { Name: 'Audit', Type: 'Processing', DependsOn: ['Prepare'] },
    {
      Name: 'Check',
      Type: 'Condition',
      DependsOn: ['Train', 'Audit'],
      Arguments: {
        IfSteps: [{ Name: 'Register', Type: 'RegisterModel' }],
        ElseSteps: [{ Name: 'Stop', Type: 'Fail' }]
      }
    }
  ]
});

describe('layoutPipeline', () => {
  it('places every step below the steps it waits for, inside the drawing', () => {
    const graph = parsePipelineDefinition(DEFINITION, trans);
    const layout = layoutPipeline(graph);
    expect(layout.nodes.map(n => n.name)).toEqual([
      'Prepare',
      'Train',
      'Audit',
      'Check',
      'Register',
      'Stop'
    ]);
    const y = new Map(layout.nodes.map(n => [n.name, n.y]));
    expect(graph.edges).toHaveLength(6);
    for (const edge of graph.edges) {
      expect(y.get(edge.to)!).toBeGreaterThan(y.get(edge.from)!);
    }
    expect(layout.edges).toHaveLength(graph.edges.length);
    for (const edge of layout.edges) {
      expect(edge.points.length).toBeGreaterThanOrEqual(2);
    }
    for (const node of layout.nodes) {
      expect(node.x).toBeGreaterThanOrEqual(0);
      expect(node.x + node.width).toBeLessThanOrEqual(layout.width);
      expect(node.y + node.height).toBeLessThanOrEqual(layout.height);
    }
    // Steps of one rank do not overlap.
    const train = layout.nodes[1];
    const audit = layout.nodes[2];
    expect(train.y).toBe(audit.y);
    expect(Math.abs(train.x - audit.x)).toBeGreaterThanOrEqual(train.width);
  });
});
