/**
 * Reading a SageMaker pipeline definition (JSON schema 2020-12-01): its steps as a graph, with the edges SageMaker
 * derives (DependsOn, property references of one step to another's outputs, a Condition step's branches), its
 * declared parameters, and the checks of parameter values a user types before an execution starts.
 * No DOM, no SDK.
 */
import type { TranslationBundle } from '@jupyterlab/translation';

/** The parameter types a pipeline definition declares. */
export type ParameterType = 'String' | 'Integer' | 'Float' | 'Boolean';

/** One step of the definition (top-level, or nested in a Condition step's branches). */
export interface IPipelineStep {
  /** Unique step name (how executions report the step). */
  name: string;
  /** Step type, e.g. Processing, Training, Condition. */
  type: string;
  /** Display name, if the definition gives one. */
  displayName: string | null;
  /** Description, if the definition gives one. */
  description: string | null;
  /** The step's Arguments as the definition has them (references unresolved). */
  arguments: unknown;
  /** For a step nested in a Condition step: that step and which branch. */
  branchOf: { condition: string; branch: 'if' | 'else' } | null;
}

/** Why one step runs after another. */
export type EdgeKind = 'dependsOn' | 'data' | 'if' | 'else';

/** An edge of the step graph: `to` runs after `from`. */
export interface IPipelineEdge {
  /** The step that runs first. */
  from: string;
  /** The step that waits for it. */
  to: string;
  /** DependsOn, a property reference, or a Condition branch. */
  kind: EdgeKind;
}

/** A parameter the definition declares. */
export interface IPipelineParameter {
  /** Its name (`Parameters.<name>` in references). */
  name: string;
  /** Its type; String when the definition omits it. */
  type: ParameterType;
  /** Its default as text (how the API passes values), or null when it has none. */
  defaultValue: string | null;
}

/** A definition read as a graph. */
export interface IPipelineGraph {
  /** Every step, top-level first in definition order, each Condition's nested steps after it. */
  steps: IPipelineStep[];
  /** One edge per ordered pair of steps (the strongest reason wins: branch, then DependsOn, then data). */
  edges: IPipelineEdge[];
  /** Declared parameters, in declaration order. */
  parameters: IPipelineParameter[];
}

/** A definition that cannot be read; its message is a sentence for the user. */
export class PipelineDefinitionError extends Error {
  /** Create the error. */
  constructor(message: string) {
    super(message);
    this.name = 'PipelineDefinitionError';
  }
}

const PARAMETER_TYPES: ParameterType[] = [
  'String',
  'Integer',
  'Float',
  'Boolean'
];
const EDGE_STRENGTH: Record<EdgeKind, number> = {
  data: 0,
  dependsOn: 1,
  if: 2,
  else: 2
};

/**
 * Read a pipeline definition.
 * @throws PipelineDefinitionError when it is not JSON or has no list of named steps.
 */
export function parsePipelineDefinition(
  text: string,
  trans: TranslationBundle
): IPipelineGraph {
  let definition: unknown;
  try {
    definition = JSON.parse(text);
  } catch (err) {
    throw new PipelineDefinitionError(
      trans.__('The pipeline definition is not valid JSON.')
    );
  }
  if (!isObject(definition) || !Array.isArray(definition.Steps)) {
    throw new PipelineDefinitionError(
      trans.__('The pipeline definition has no list of steps.')
    );
  }
  const steps: IPipelineStep[] = [];
  const raw = new Map<string, Record<string, unknown>>();
  const visit = (
    list: unknown[],
    branchOf: IPipelineStep['branchOf']
  ): void => {
    for (const item of list) {
      if (!isObject(item) || typeof item.Name !== 'string' || !item.Name) {
        throw new PipelineDefinitionError(
          trans.__('A step of the pipeline definition has no name.')
        );
      }
      if (raw.has(item.Name)) {
        throw new PipelineDefinitionError(
          trans.__(
            'The step name “%1” is used twice in the pipeline definition.',
            item.Name
          )
        );
      }
      raw.set(item.Name, item);
      steps.push({
        name: item.Name,
        type: typeof item.Type === 'string' ? item.Type : '',
        displayName:
          typeof item.DisplayName === 'string' ? item.DisplayName : null,
        description:
          typeof item.Description === 'string' ? item.Description : null,
        arguments: item.Arguments ?? {},
        branchOf
      });
      if (item.Type === 'Condition' && isObject(item.Arguments)) {
        for (const [member, branch] of [
          ['IfSteps', 'if'],
          ['ElseSteps', 'else']
        ] as const) {
          const nested = item.Arguments[member];
          if (Array.isArray(nested)) {
            visit(nested, { condition: item.Name, branch });
          }
        }
      }
    }
  };
  visit(definition.Steps, null);

  const edges = new Map<string, IPipelineEdge>();
  const add = (from: string, to: string, kind: EdgeKind): void => {
    // A reference to an unknown step (or to itself) cannot be drawn; SageMaker refuses such definitions anyway.
    if (from === to || !raw.has(from)) {
      return;
    }
    const key = `${from}\u0000${to}`;
    const existing = edges.get(key);
    if (!existing || EDGE_STRENGTH[kind] > EDGE_STRENGTH[existing.kind]) {
      edges.set(key, { from, to, kind });
    }
  };
  for (const step of steps) {
    const item = raw.get(step.name)!;
    if (step.branchOf) {
      add(step.branchOf.condition, step.name, step.branchOf.branch);
    }
    if (Array.isArray(item.DependsOn)) {
      for (const dep of item.DependsOn) {
        if (typeof dep === 'string') {
          add(dep, step.name, 'dependsOn');
        }
      }
    }
    for (const ref of stepReferences(ownArguments(step))) {
      add(ref, step.name, 'data');
    }
  }

  return {
    steps,
    edges: [...edges.values()],
    parameters: parseParameters(definition.Parameters)
  };
}

/**
 * Names of the steps a value reads properties of: every `{"Get": "Steps.<name>…"}`, wherever it is nested
 * (inside `Std:Join` values, a `Std:JsonGet` property file, lists, objects), in first-seen order.
 */
export function stepReferences(value: unknown): string[] {
  const found = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      v.forEach(walk);
    } else if (isObject(v)) {
      const get = v.Get;
      if (typeof get === 'string' && get.startsWith('Steps.')) {
        const name = /^Steps\.([^.[\]]+)/.exec(get)?.[1];
        if (name) {
          found.add(name);
        }
      }
      Object.values(v).forEach(walk);
    }
  };
  walk(value);
  return [...found];
}

/** A step's Arguments without the steps nested in them (a Condition's branches are steps of their own). */
export function ownArguments(step: IPipelineStep): unknown {
  if (step.type !== 'Condition' || !isObject(step.arguments)) {
    return step.arguments;
  }
  const { IfSteps, ElseSteps, ...rest } = step.arguments;
  void IfSteps;
  void ElseSteps;
  return rest;
}

/**
 * A definition value as a user reads it: a reference `{"Get": "Parameters.X"}` becomes the text `Parameters.X`
 * (likewise `Steps.…` and `Execution.…`), `Std:Join` becomes `Join("/", […])`, `Std:JsonGet` becomes
 * `JsonGet(<file>, "<path>")`; other values are kept. Returns a tree of {@link DisplayValue}.
 */
export function displayValue(value: unknown): DisplayValue {
  if (Array.isArray(value)) {
    return { kind: 'list', items: value.map(displayValue) };
  }
  if (isObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && typeof value.Get === 'string') {
      return { kind: 'ref', path: value.Get };
    }
    if (keys.length === 1 && isObject(value['Std:Join'])) {
      const join = value['Std:Join'];
      return {
        kind: 'call',
        name: 'Join',
        args: [
          { kind: 'scalar', value: join.On ?? '' },
          displayValue(join.Values ?? [])
        ]
      };
    }
    if (keys.length === 1 && isObject(value['Std:JsonGet'])) {
      const get = value['Std:JsonGet'];
      return {
        kind: 'call',
        name: 'JsonGet',
        args: [displayValue(get.PropertyFile), displayValue(get.Path)]
      };
    }
    return {
      kind: 'object',
      entries: keys.map(k => [k, displayValue(value[k])])
    };
  }
  return { kind: 'scalar', value: value as string | number | boolean | null };
}

/** A definition value prepared for display (see {@link displayValue}). */
export type DisplayValue =
  | { kind: 'scalar'; value: string | number | boolean | null | unknown }
  | { kind: 'ref'; path: string }
  | { kind: 'call'; name: string; args: DisplayValue[] }
  | { kind: 'list'; items: DisplayValue[] }
  | { kind: 'object'; entries: Array<[string, DisplayValue]> };

/** The declared parameters of a definition's `Parameters` member. */
function parseParameters(value: unknown): IPipelineParameter[] {
  if (!Array.isArray(value)) {
    return [];
  }
  const out: IPipelineParameter[] = [];
  for (const item of value) {
    if (!isObject(item) || typeof item.Name !== 'string') {
      continue;
    }
    const type = PARAMETER_TYPES.includes(item.Type as ParameterType)
      ? (item.Type as ParameterType)
      : 'String';
    const def = item.DefaultValue;
    out.push({
      name: item.Name,
      type,
      defaultValue:
        def === undefined || def === null
          ? null
          : typeof def === 'boolean'
            ? def
              ? 'true'
              : 'false'
            : String(def)
    });
  }
  return out;
}

/** Longest parameter value the API takes. */
const MAX_VALUE_LENGTH = 1024;

/**
 * Check one typed value; returns the sentence explaining what is wrong, or null. An empty value is accepted when
 * the parameter has a default (the execution then uses it).
 */
export function validateParameterValue(
  parameter: IPipelineParameter,
  text: string,
  trans: TranslationBundle
): string | null {
  const value = parameter.type === 'String' ? text : text.trim();
  if (value === '') {
    return parameter.defaultValue === null
      ? trans.__(
          'Parameter “%1” has no default value: enter a value.',
          parameter.name
        )
      : null;
  }
  if (value.length > MAX_VALUE_LENGTH) {
    return trans.__(
      'Parameter “%1” is longer than %2 characters.',
      parameter.name,
      MAX_VALUE_LENGTH
    );
  }
  switch (parameter.type) {
    case 'Integer':
      return /^[+-]?\d+$/.test(value)
        ? null
        : trans.__(
            'Parameter “%1” is an Integer: “%2” is not a whole number.',
            parameter.name,
            value
          );
    case 'Float':
      return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value)
        ? null
        : trans.__(
            'Parameter “%1” is a Float: “%2” is not a number.',
            parameter.name,
            value
          );
    case 'Boolean':
      return /^(true|false)$/i.test(value)
        ? null
        : trans.__(
            'Parameter “%1” is a Boolean: enter true or false, not “%2”.',
            parameter.name,
            value
          );
    default:
      return null;
  }
}

/** The outcome of checking the values of a start dialog. */
export interface IParameterCheck {
  /** Sentence per parameter name whose value is wrong; empty when all are fine. */
  errors: Record<string, string>;
  /** The values to send (only those typed; the others take their defaults), as the API takes them. */
  parameters: Array<{ Name: string; Value: string }>;
}

/** Check the typed values of every declared parameter (missing ones count as empty). */
export function validateParameters(
  declared: IPipelineParameter[],
  values: Record<string, string>,
  trans: TranslationBundle
): IParameterCheck {
  const errors: Record<string, string> = {};
  const parameters: Array<{ Name: string; Value: string }> = [];
  for (const parameter of declared) {
    const text = values[parameter.name] ?? '';
    const error = validateParameterValue(parameter, text, trans);
    if (error) {
      errors[parameter.name] = error;
      continue;
    }
    const value = parameter.type === 'String' ? text : text.trim();
    if (value !== '') {
      parameters.push({
        Name: parameter.name,
        Value: parameter.type === 'Boolean' ? value.toLowerCase() : value
      });
    }
  }
  return { errors, parameters };
}

/** Check an execution display name like the API does; returns a sentence or null (empty is fine). */
export function validateDisplayName(
  text: string,
  trans: TranslationBundle
): string | null {
  const value = text.trim();
  if (value === '' || /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,81}$/.test(value)) {
    return null;
  }
  return trans.__(
    'The display name may contain letters, digits and hyphens (not at its start or end), at most 82 characters.'
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
