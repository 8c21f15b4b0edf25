/**
 * Reading a SageMaker Data Wrangler `.flow` file: a JSON document with `metadata` (format version, processing
 * instance type) and `nodes`, each with `node_id`, `type` (SOURCE, TRANSFORM, DATASET, DESTINATION, VISUALIZATION…),
 * `operator` (e.g. `sagemaker.s3_source_0.1`, `sagemaker.spark.infer_and_cast_type_0.1`), `parameters`, and
 * `inputs` naming the `node_id` and `output_name` they read. No DOM; failures are {@link FlowFormatError}s with a
 * code the view words.
 */

/** Why a file is not a readable flow. */
export type FlowErrorCode =
  'not-text' | 'json' | 'not-object' | 'no-nodes' | 'bad-node';

/** A file that is not a readable Data Wrangler flow. */
export class FlowFormatError extends Error {
  /** Create the error; `detail` is the JSON parser's message or the index of the bad node. */
  constructor(
    readonly code: FlowErrorCode,
    readonly detail: string
  ) {
    super(`${code}: ${detail}`);
    this.name = 'FlowFormatError';
  }
}

/** One input of a node: the node and output it reads. */
export interface IFlowInput {
  /** Input name (e.g. `df`). */
  name: string;
  /** The node read. */
  nodeId: string;
  /** That node's output (e.g. `default`, or a split's `Train`). */
  outputName: string;
}

/** One node of the flow. */
export interface IFlowNode {
  /** `node_id`. */
  id: string;
  /** SOURCE, TRANSFORM, DATASET, DESTINATION, VISUALIZATION… as written. */
  type: string;
  /** The operator, e.g. `sagemaker.spark.manage_columns_0.1`. */
  operator: string;
  /** What the step does, e.g. "Manage columns: Drop column" or the name the user gave it. */
  label: string;
  /** The nodes it reads. */
  inputs: IFlowInput[];
  /** Its output names. */
  outputs: string[];
}

/** A data source of the flow. */
export interface IFlowSource {
  /** The SOURCE node. */
  nodeId: string;
  /** The data set's name in the flow. */
  name: string;
  /** S3, Athena, Redshift, Snowflake… (`datasetSourceType`, else read from the operator). */
  sourceType: string;
  /** Where the data is: the S3 URI, or the query. */
  location: string;
  /** Database or cluster, for query sources. */
  database: string | null;
  /** csv, parquet… for S3 sources. */
  contentType: string | null;
  /** Whether a CSV source has a header row. */
  hasHeader: boolean | null;
}

/** A problem that leaves the flow readable. */
export interface IFlowWarning {
  /** An input names a node the file does not define. */
  code: 'unknown-input';
  /** The node with the input. */
  nodeId: string;
  /** The missing node's id. */
  detail: string;
}

/** What the flow tab shows. */
export interface IFlowSummary {
  /** `metadata.version`. */
  version: string | null;
  /** `metadata.instance_type`: the processing instance the flow runs on. */
  instanceType: string | null;
  /** `metadata.disable_limits`. */
  disableLimits: boolean | null;
  /** Nodes in an order where every node comes after the nodes it reads (file order otherwise). */
  nodes: IFlowNode[];
  /** Number of nodes of each type, in order of first appearance. */
  counts: Array<{ type: string; count: number }>;
  /** The data sources. */
  sources: IFlowSource[];
  /** Inputs naming missing nodes. */
  warnings: IFlowWarning[];
}

/** Read a flow file's text; throws {@link FlowFormatError} when it is not a readable flow. */
export function parseFlow(text: string): IFlowSummary {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new FlowFormatError('json', (err as Error).message);
  }
  if (!isObject(doc)) {
    throw new FlowFormatError('not-object', typeName(doc));
  }
  if (!Array.isArray(doc.nodes)) {
    throw new FlowFormatError('no-nodes', typeName(doc.nodes));
  }
  const metadata = isObject(doc.metadata) ? doc.metadata : {};
  const nodes = doc.nodes.map((raw, index) => readNode(raw, index));
  const byId = new Map(nodes.map(node => [node.id, node]));
  const warnings: IFlowWarning[] = [];
  for (const node of nodes) {
    for (const input of node.inputs) {
      if (!byId.has(input.nodeId)) {
        warnings.push({
          code: 'unknown-input',
          nodeId: node.id,
          detail: input.nodeId
        });
      }
    }
  }
  const counts: Array<{ type: string; count: number }> = [];
  for (const node of nodes) {
    const entry = counts.find(c => c.type === node.type);
    if (entry) {
      entry.count++;
    } else {
      counts.push({ type: node.type, count: 1 });
    }
  }
  return {
    version: scalar(metadata.version),
    instanceType: scalar(metadata.instance_type),
    disableLimits:
      typeof metadata.disable_limits === 'boolean'
        ? metadata.disable_limits
        : null,
    nodes: inputOrder(nodes),
    counts,
    sources: doc.nodes
      .map((raw, i) => readSource(raw as Record<string, unknown>, nodes[i]))
      .filter((s): s is IFlowSource => s !== null),
    warnings
  };
}

/** `sagemaker.spark.infer_and_cast_type_0.1` → "Infer and cast type". */
export function operatorLabel(operator: string): string {
  const match =
    /^(?:sagemaker\.)?(?:[a-z]+\.)?([A-Za-z0-9_]+?)(?:_\d+(?:\.\d+)*)?$/.exec(
      operator
    );
  const words = (match ? match[1] : operator).replace(/_/g, ' ').trim();
  return words ? words[0].toUpperCase() + words.slice(1) : operator;
}

function readNode(raw: unknown, index: number): IFlowNode {
  if (
    !isObject(raw) ||
    typeof raw.node_id !== 'string' ||
    typeof raw.type !== 'string'
  ) {
    throw new FlowFormatError('bad-node', String(index + 1));
  }
  const operator = typeof raw.operator === 'string' ? raw.operator : '';
  const parameters = isObject(raw.parameters) ? raw.parameters : {};
  const base = operatorLabel(operator);
  // A user-named step (`name` on the node or in its parameters) keeps its name; a multi-operation transform
  // ("Manage columns") names the operation chosen ("Drop column").
  const given =
    (typeof raw.name === 'string' && raw.name) ||
    (typeof parameters.name === 'string' && parameters.name) ||
    '';
  const sub =
    typeof parameters.operator === 'string' ? parameters.operator : '';
  let label = given || (sub ? `${base}: ${sub}` : base);
  if (raw.type === 'SOURCE') {
    const definition = isObject(parameters.dataset_definition)
      ? parameters.dataset_definition
      : {};
    if (typeof definition.name === 'string' && definition.name) {
      label = definition.name;
    }
  }
  return {
    id: raw.node_id,
    type: raw.type,
    operator,
    label,
    inputs: (Array.isArray(raw.inputs) ? raw.inputs : [])
      .filter(isObject)
      .map(input => ({
        name: typeof input.name === 'string' ? input.name : '',
        nodeId: typeof input.node_id === 'string' ? input.node_id : '',
        outputName:
          typeof input.output_name === 'string' ? input.output_name : ''
      })),
    outputs: (Array.isArray(raw.outputs) ? raw.outputs : [])
      .filter(isObject)
      .map(output => (typeof output.name === 'string' ? output.name : ''))
  };
}

function readSource(
  raw: Record<string, unknown>,
  node: IFlowNode
): IFlowSource | null {
  if (node.type !== 'SOURCE') {
    return null;
  }
  const parameters = isObject(raw.parameters) ? raw.parameters : {};
  const definition = isObject(parameters.dataset_definition)
    ? parameters.dataset_definition
    : {};
  // Each source type keeps its settings in `<type>ExecutionContext` (s3ExecutionContext, athenaExecutionContext…).
  const contextKey = Object.keys(definition).find(k =>
    k.endsWith('ExecutionContext')
  );
  const context =
    contextKey && isObject(definition[contextKey])
      ? definition[contextKey]
      : {};
  const fromOperator = /^(?:sagemaker\.)?([a-z0-9]+)_source/.exec(
    node.operator
  );
  const sourceType =
    scalar(definition.datasetSourceType) ??
    (fromOperator ? fromOperator[1].toUpperCase() : node.operator);
  return {
    nodeId: node.id,
    name: scalar(definition.name) ?? node.label,
    sourceType,
    location:
      scalar(context.s3Uri) ??
      scalar(context.queryString) ??
      scalar(context.query) ??
      '',
    database:
      scalar(context.databaseName) ??
      scalar(context.database) ??
      scalar(context.clusterIdentifier) ??
      null,
    contentType: scalar(context.s3ContentType),
    hasHeader:
      typeof context.s3HasHeader === 'boolean' ? context.s3HasHeader : null
  };
}

/** Nodes ordered so that each follows its inputs; ties and cycles keep the file's order. */
function inputOrder(nodes: IFlowNode[]): IFlowNode[] {
  const ids = new Set(nodes.map(n => n.id));
  const placed = new Set<string>();
  const ordered: IFlowNode[] = [];
  let remaining = nodes.slice();
  while (remaining.length) {
    const ready = remaining.filter(n =>
      n.inputs.every(i => !ids.has(i.nodeId) || placed.has(i.nodeId))
    );
    // A cycle (not valid in Data Wrangler, but possible in a hand-edited file): place the rest as written.
    const batch = ready.length ? ready : remaining;
    for (const node of batch) {
      placed.add(node.id);
      ordered.push(node);
    }
    remaining = remaining.filter(n => !placed.has(n.id));
  }
  return ordered;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scalar(value: unknown): string | null {
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return null;
}

function typeName(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'array';
  }
  return typeof value;
}
