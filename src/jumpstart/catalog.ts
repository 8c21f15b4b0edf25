/**
 * The JumpStart catalog without DOM or SDK: validating `models_manifest.json`, one row per model id (latest
 * version first, older versions kept), task and framework read from the id, and filter / search / sort fast
 * enough to run on every keystroke.
 */
import type { IManifestEntry, IModelSpec } from './types';

/** A manifest that cannot be used at all (not JSON, not an array); its message is a sentence for the user. */
export class ManifestError extends Error {
  /** Create the error with a sentence for the user. */
  constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
  }
}

/** The usable entries of a manifest, and how many were skipped as malformed. */
export interface IParsedManifest {
  /** Valid entries, in file order. */
  entries: IManifestEntry[];
  /** Entries that were skipped because a required field was missing or of the wrong type. */
  skipped: number;
}

/**
 * Validate a parsed `models_manifest.json`. Malformed entries are skipped and counted; a value that is not an
 * array of objects throws a {@link ManifestError}.
 */
export function parseManifest(json: unknown): IParsedManifest {
  if (!Array.isArray(json)) {
    throw new ManifestError(
      'The JumpStart model list (models_manifest.json) is not a JSON array, so no models can be shown. Try again later or check the bucket.'
    );
  }
  const entries: IManifestEntry[] = [];
  let skipped = 0;
  for (const item of json) {
    const entry = Private.toEntry(item);
    if (entry) {
      entries.push(entry);
    } else {
      skipped++;
    }
  }
  if (json.length > 0 && entries.length === 0) {
    throw new ManifestError(
      `None of the ${json.length} entries of the JumpStart model list (models_manifest.json) has a model id, version and spec key, so no models can be shown.`
    );
  }
  return { entries, skipped };
}

/**
 * Compare two versions like `3.0.25` numerically, part by part (the SDK compares with `packaging.version`).
 * A numeric part is greater than a non-numeric one; versions with a pre-release suffix (`1.0.0-rc1`) sort
 * before the release.
 */
export function compareVersions(a: string, b: string): number {
  const [coreA, preA] = Private.splitPre(a);
  const [coreB, preB] = Private.splitPre(b);
  const partsA = coreA.split('.');
  const partsB = coreB.split('.');
  const n = Math.max(partsA.length, partsB.length);
  for (let i = 0; i < n; i++) {
    const diff = Private.comparePart(partsA[i] ?? '0', partsB[i] ?? '0');
    if (diff !== 0) {
      return diff;
    }
  }
  if (preA === preB) {
    return 0;
  }
  if (preA === null) {
    return 1;
  }
  if (preB === null) {
    return -1;
  }
  return preA < preB ? -1 : 1;
}

/**
 * Task abbreviations of the model id and their problem types, as the SageMaker Python SDK names them
 * (`Tasks` and `TASK_MAP` in `doc/doc_utils/jumpstart_doc_utils.py`, which builds the published model table).
 */
export const SDK_TASKS: Readonly<Record<string, string>> = {
  ic: 'Image Classification',
  icembedding: 'Image Embedding',
  od: 'Object Detection',
  od1: 'Object Detection',
  semseg: 'Semantic Segmentation',
  is: 'Instance Segmentation',
  tc: 'Text Classification',
  tcembedding: 'Text Embedding',
  eqa: 'Question Answering',
  spc: 'Sentence Pair Classification',
  textgeneration: 'Text Generation',
  summarization: 'Text Summarization',
  translation: 'Machine Translation',
  ner: 'Named Entity Recognition',
  regression: 'Regression',
  classification: 'Classification'
};

/**
 * Further task abbreviations that occur in real model ids (the 1,079 ids of the SDK's 2025 model table) but that
 * the SDK's table leaves without a problem type ("Source"). The names are ours, read from the abbreviation; ids
 * whose second part is a model family (`huggingface-llm-…`, `cohere-command-…`) get no task.
 */
export const ID_TASKS: Readonly<Record<string, string>> = {
  textgeneration1: 'Text Generation',
  textgeneration2: 'Text Generation',
  textgenerationjp: 'Text Generation',
  textgenerationneuron: 'Text Generation',
  txt2img: 'Text to Image',
  txt2imgneuron: 'Text to Image',
  imagegeneration: 'Text to Image',
  depth2img: 'Depth to Image',
  inpainting: 'Image Inpainting',
  upscaling: 'Image Upscaling',
  zstc: 'Zero-Shot Text Classification',
  text2text: 'Text to Text Generation',
  sentencesimilarity: 'Sentence Similarity',
  textembedding: 'Text Embedding',
  fillmask: 'Fill Mask',
  asr: 'Speech Recognition',
  audioembedding: 'Audio Embedding',
  forecasting: 'Forecasting',
  tabtransformerclassification: 'Classification',
  tabtransformerregression: 'Regression'
};

/** Framework and task read from a model id the way the SDK does (`<framework>-<task>-<rest>`). */
export interface IIdParts {
  /** First part of the id (`pytorch`, `huggingface`, `meta`…), or null for ids of fewer than three parts. */
  framework: string | null;
  /** Second part of the id as written (`ic`, `textgeneration`, `llm`…), or null. */
  taskCode: string | null;
  /** Problem type of the task code, or null when the code is not a known task abbreviation. */
  task: string | null;
}

/**
 * Split a model id like the SDK's `extract_framework_task_model` (framework, task, rest; fewer than three parts
 * is not such an id) and name the task from {@link SDK_TASKS}, then {@link ID_TASKS}.
 */
export function idParts(modelId: string): IIdParts {
  const parts = modelId.split('-');
  if (parts.length < 3 || !parts[0] || !parts[1]) {
    return { framework: null, taskCode: null, task: null };
  }
  const code = parts[1].toLowerCase();
  return {
    framework: parts[0].toLowerCase(),
    taskCode: code,
    task: SDK_TASKS[code] ?? ID_TASKS[code] ?? null
  };
}

/** One model of the catalog: its latest version, facts read from the id, and what is known from its spec. */
export interface ICatalogModel {
  /** Model id. */
  readonly id: string;
  /** What the list shows as its name: the id (neither the manifest nor the spec has a display name). */
  readonly name: string;
  /** The latest manifest entry. */
  readonly latest: IManifestEntry;
  /** Every manifest entry of the model, newest first (the first is {@link latest}). */
  readonly versions: ReadonlyArray<IManifestEntry>;
  /** Framework from the id, or null. */
  readonly framework: string | null;
  /** Publisher from the manifest, or null when absent. */
  readonly provider: string | null;
  /** Task from the id, or null. */
  readonly task: string | null;
  /** Whether the latest entry is deprecated. */
  readonly deprecated: boolean;
  /** Whether the model can be fine-tuned: from its spec or a caller-supplied fact; null while unknown. */
  readonly fineTunable: boolean | null;
  /** Whether the model is gated (EULA): from its spec; null while unknown. */
  readonly gated: boolean | null;
  /** Whether the model is a proprietary (Marketplace) one; null while unknown. */
  readonly proprietary: boolean | null;
  /** Lower-cased id, provider, task and search keywords: the one string a search scans. */
  readonly searchText: string;
}

/** Facts about a model that the manifest does not carry (from its spec or another source). */
export interface IModelFacts {
  /** Whether it can be fine-tuned. */
  fineTunable?: boolean;
  /** Whether it is gated. */
  gated?: boolean;
  /** Whether it is proprietary. */
  proprietary?: boolean;
}

/** The facts a spec file gives about fine-tuning and gating. */
export function specFacts(spec: IModelSpec): IModelFacts {
  const facts: IModelFacts = {};
  const tunable = spec.training_supported ?? spec.fine_tuning_supported;
  if (typeof tunable === 'boolean') {
    facts.fineTunable = tunable;
  }
  // A spec without an EULA key, a gated bucket or a "Gated" access is an open model.
  facts.gated =
    !!spec.hosting_eula_key ||
    spec.gated_bucket === true ||
    spec.model_access === 'Gated';
  return facts;
}

/** One catalog row per model id, the latest version first, in first-seen order. */
export function buildModels(
  entries: ReadonlyArray<IManifestEntry>,
  facts?: ReadonlyMap<string, IModelFacts>
): ICatalogModel[] {
  const byId = new Map<string, IManifestEntry[]>();
  for (const entry of entries) {
    const list = byId.get(entry.model_id);
    if (list) {
      list.push(entry);
    } else {
      byId.set(entry.model_id, [entry]);
    }
  }
  const models: ICatalogModel[] = [];
  for (const [id, list] of byId) {
    const versions =
      list.length > 1
        ? list.slice().sort((a, b) => compareVersions(b.version, a.version))
        : list;
    models.push(Private.makeModel(id, versions, facts?.get(id)));
  }
  return models;
}

/** What {@link JumpStartCatalog.query} keeps and in which order. */
export interface ICatalogQuery {
  /** Words that must all occur in the id, provider, task or search keywords (case-insensitive). */
  text?: string;
  /** Keep only this task (a problem type such as `Text Generation`). */
  task?: string | null;
  /** Keep only this framework (first part of the id). */
  framework?: string | null;
  /** Keep only this provider. */
  provider?: string | null;
  /** Keep only models known to be (true) or known not to be (false) fine-tunable. */
  fineTunable?: boolean | null;
  /** Keep only models known to be (true) or known not to be (false) gated. */
  gated?: boolean | null;
  /** Keep only models known to be (true) or known not to be (false) proprietary. */
  proprietary?: boolean | null;
  /** Include deprecated models (hidden by default, as in Studio). */
  includeDeprecated?: boolean;
  /** Order of the result; by name ascending by default. */
  sort?: JumpStartCatalog.ISort;
}

/** The models of one manifest, with the indexes that make a query one pass over them. */
export class JumpStartCatalog {
  /** Index the models (see {@link buildModels}). */
  constructor(models: ReadonlyArray<ICatalogModel>) {
    this._models = models;
    for (const model of models) {
      this._byId.set(model.id, model);
    }
  }

  /** Build the catalog from a parsed manifest (see {@link parseManifest}). */
  static fromManifest(
    json: unknown,
    facts?: ReadonlyMap<string, IModelFacts>
  ): JumpStartCatalog.IResult {
    const { entries, skipped } = parseManifest(json);
    return {
      catalog: new JumpStartCatalog(buildModels(entries, facts)),
      skipped
    };
  }

  /** Every model, in manifest order. */
  get models(): ReadonlyArray<ICatalogModel> {
    return this._models;
  }

  /** The model of an id, if present. */
  get(id: string): ICatalogModel | undefined {
    return this._byId.get(id);
  }

  /** A catalog where one model carries more facts (e.g. after its spec was read). */
  withFacts(id: string, facts: IModelFacts): JumpStartCatalog {
    return this.withManyFacts(new Map([[id, facts]]));
  }

  /** A catalog where several models carry more facts (one new catalog for a whole batch of specs read). */
  withManyFacts(facts: ReadonlyMap<string, IModelFacts>): JumpStartCatalog {
    let changed = false;
    const models = this._models.map(model => {
      const more = facts.get(model.id);
      if (!more) {
        return model;
      }
      changed = true;
      return Private.makeModel(model.id, model.versions, {
        fineTunable: model.fineTunable ?? undefined,
        gated: model.gated ?? undefined,
        proprietary: model.proprietary ?? undefined,
        ...more
      });
    });
    return changed ? new JumpStartCatalog(models) : this;
  }

  /** The distinct tasks, frameworks and providers, sorted, for filter menus. */
  get facets(): JumpStartCatalog.IFacets {
    if (!this._facets) {
      const tasks = new Set<string>();
      const frameworks = new Set<string>();
      const providers = new Set<string>();
      for (const m of this._models) {
        m.task && tasks.add(m.task);
        m.framework && frameworks.add(m.framework);
        m.provider && providers.add(m.provider);
      }
      this._facets = {
        tasks: [...tasks].sort(),
        frameworks: [...frameworks].sort(),
        providers: [...providers].sort()
      };
    }
    return this._facets;
  }

  /** The models a query keeps, in its order: one pass over a pre-sorted list, so fast enough per keystroke. */
  query(query: ICatalogQuery = {}): ICatalogModel[] {
    const sort = query.sort ?? { by: 'name', order: 'asc' };
    const ordered = this._ordered(sort.by);
    const words = (query.text ?? '')
      .toLowerCase()
      .split(/\s+/)
      .filter(w => w.length > 0);
    const task = query.task ?? null;
    const framework = query.framework ?? null;
    const provider = query.provider ?? null;
    const fineTunable = query.fineTunable ?? null;
    const gated = query.gated ?? null;
    const proprietary = query.proprietary ?? null;
    const includeDeprecated = query.includeDeprecated ?? false;
    const out: ICatalogModel[] = [];
    const n = ordered.length;
    for (let k = 0; k < n; k++) {
      const m = ordered[sort.order === 'desc' ? n - 1 - k : k];
      if (
        (!includeDeprecated && m.deprecated) ||
        (task !== null && m.task !== task) ||
        (framework !== null && m.framework !== framework) ||
        (provider !== null && m.provider !== provider) ||
        (fineTunable !== null && m.fineTunable !== fineTunable) ||
        (gated !== null && m.gated !== gated) ||
        (proprietary !== null && m.proprietary !== proprietary)
      ) {
        continue;
      }
      let hit = true;
      for (const w of words) {
        if (!m.searchText.includes(w)) {
          hit = false;
          break;
        }
      }
      if (hit) {
        out.push(m);
      }
    }
    return out;
  }

  /** The models sorted by a key (ties and missing values by id), computed once per key. */
  private _ordered(by: JumpStartCatalog.SortBy): ReadonlyArray<ICatalogModel> {
    let list = this._orders.get(by);
    if (!list) {
      const key = (m: ICatalogModel): string =>
        by === 'task'
          ? (m.task ?? '\uffff')
          : by === 'framework'
            ? (m.framework ?? '\uffff')
            : '';
      list = this._models.slice().sort((a, b) => {
        const ka = key(a);
        const kb = key(b);
        if (ka !== kb) {
          return ka < kb ? -1 : 1;
        }
        return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
      });
      this._orders.set(by, list);
    }
    return list;
  }

  private _models: ReadonlyArray<ICatalogModel>;
  private _byId = new Map<string, ICatalogModel>();
  private _orders = new Map<JumpStartCatalog.SortBy, ICatalogModel[]>();
  private _facets: JumpStartCatalog.IFacets | null = null;
}

/** Types of {@link JumpStartCatalog}. */
export namespace JumpStartCatalog {
  /** Sort keys. */
  export type SortBy = 'name' | 'task' | 'framework';

  /** An order. */
  export interface ISort {
    /** Key. */
    by: SortBy;
    /** Direction. */
    order: 'asc' | 'desc';
  }

  /** Values for filter menus. */
  export interface IFacets {
    /** Tasks read from the ids. */
    tasks: string[];
    /** Frameworks read from the ids. */
    frameworks: string[];
    /** Providers of the manifest. */
    providers: string[];
  }

  /** A catalog and how many manifest entries were skipped. */
  export interface IResult {
    /** The catalog. */
    catalog: JumpStartCatalog;
    /** Malformed entries skipped. */
    skipped: number;
  }
}

namespace Private {
  /** The entry if it has the required fields of the right types; optional fields of a wrong type are dropped. */
  export function toEntry(item: unknown): IManifestEntry | null {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      return null;
    }
    const o = item as Record<string, unknown>;
    const { model_id, version, min_version, spec_key } = o;
    if (
      typeof model_id !== 'string' ||
      !model_id ||
      typeof version !== 'string' ||
      !version ||
      typeof spec_key !== 'string' ||
      !spec_key
    ) {
      return null;
    }
    const entry: IManifestEntry = {
      model_id,
      version,
      min_version: typeof min_version === 'string' ? min_version : '',
      spec_key
    };
    if (typeof o.deprecated === 'boolean') {
      entry.deprecated = o.deprecated;
    }
    if (typeof o.provider === 'string') {
      entry.provider = o.provider;
    }
    if (Array.isArray(o.search_keywords)) {
      entry.search_keywords = o.search_keywords.filter(
        (k): k is string => typeof k === 'string'
      );
    }
    return entry;
  }

  /** Build a catalog row. */
  export function makeModel(
    id: string,
    versions: ReadonlyArray<IManifestEntry>,
    facts: IModelFacts | undefined
  ): ICatalogModel {
    const latest = versions[0];
    const { framework, task } = idParts(id);
    const provider = latest.provider ?? null;
    const searchText = [
      id,
      provider ?? '',
      task ?? '',
      ...(latest.search_keywords ?? [])
    ]
      .join('\n')
      .toLowerCase();
    return {
      id,
      name: id,
      latest,
      versions,
      framework,
      provider,
      task,
      deprecated: latest.deprecated === true,
      fineTunable: facts?.fineTunable ?? null,
      gated: facts?.gated ?? null,
      proprietary: facts?.proprietary ?? null,
      searchText
    };
  }

  /** `[core, pre-release or null]` of a version. */
  export function splitPre(version: string): [string, string | null] {
    // Build metadata (`+…`) does not order versions.
    const plain = version.split('+')[0];
    const i = plain.indexOf('-');
    return i < 0 ? [plain, null] : [plain.slice(0, i), plain.slice(i + 1)];
  }

  /** Compare one dot-separated part: numbers numerically, numbers above words, words as strings. */
  export function comparePart(a: string, b: string): number {
    const numA = /^\d+$/.test(a);
    const numB = /^\d+$/.test(b);
    if (numA && numB) {
      return Number(a) - Number(b);
    }
    if (numA !== numB) {
      return numA ? 1 : -1;
    }
    return a < b ? -1 : a > b ? 1 : 0;
  }
}
