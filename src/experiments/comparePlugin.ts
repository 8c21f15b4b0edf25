/**
 * Wiring of run comparisons: the `*.smcompare` file type and its view, the "compare runs" command that the run
 * table calls, and the chart property pane in the right sidebar.
 */
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { WidgetTracker } from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { TRANSLATION_DOMAIN } from '../i18n';
import { chartPropertiesIcon, sageMakerIcon } from '../icons';
import { IAwsConnection } from '../tokens';
import { ChartPropertiesPanel } from './ChartProperties';
import {
  COMPARE_FACTORY,
  COMPARE_FILE_TYPE,
  CompareDocument,
  CompareWidgetFactory
} from './compareDocument';
import { CompareModel } from './compareModel';
import { serializeComparison } from './comparison';
import { SeriesStore } from './series';
import { COMPARISON_EXTENSION, IComparison, IRun } from './types';

/** How long run records handed over by the run table are used instead of a new Search. */
const HANDOVER_MS = 30_000;

/** Command ids of comparisons. */
export namespace CommandIDs {
  /** Open a new comparison of runs (arguments `runs`: trial component names, `experiment`: its experiment). */
  export const compareRuns = 'sagemaker-studio:compare-runs';
  /** Show the chart property pane. */
  export const showProperties = 'sagemaker-studio:show-chart-properties';
}

/** Run comparisons with charts, saved as `*.smcompare` files. */
export const comparePlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-sagemaker-studio:compare',
  description:
    'Compares experiment runs in charts (line, scatter, bar, histogram), with a chart property pane in the right sidebar; comparisons are saved as .smcompare files.',
  autoStart: true,
  requires: [IAwsConnection, IDocumentManager],
  optional: [
    ITranslator,
    ILayoutRestorer,
    IDefaultFileBrowser,
    ISettingRegistry
  ],
  activate: (
    app: JupyterFrontEnd,
    connection: IAwsConnection,
    docManager: IDocumentManager,
    translator: ITranslator | null,
    restorer: ILayoutRestorer | null,
    fileBrowser: IDefaultFileBrowser | null,
    settingRegistry: ISettingRegistry | null
  ): void => {
    const trans = (translator ?? nullTranslator).load(TRANSLATION_DOMAIN);
    const settings = { concurrency: 4, liveSeconds: 5 };

    // One series cache for every comparison of the session: reopening a comparison costs no calls for finished runs.
    let series: SeriesStore | null = null;
    const seriesStore = () =>
      (series ??= new SeriesStore({
        batchGetMetrics: async (input, options) =>
          (await connection.metrics()).batchGetMetrics(input, options),
        concurrency: settings.concurrency,
        trans
      }));
    // Records the run table handed over with "Compare": a new comparison opens without searching for them again.
    const handedOver = new Map<string, { run: IRun; at: number }>();
    connection.changed.connect(() => {
      series?.clear();
      handedOver.clear();
    });
    const loadRuns = async (
      names: readonly string[],
      experimentName: string | null,
      signal: AbortSignal
    ): Promise<IRun[]> => {
      const now = Date.now();
      const known: IRun[] = [];
      const rest: string[] = [];
      for (const name of names) {
        const entry = handedOver.get(name);
        // Only briefly: a refresh must see the runs' new metrics.
        if (entry && now - entry.at < HANDOVER_MS) {
          known.push(entry.run);
        } else {
          rest.push(name);
        }
      }
      if (rest.length === 0) {
        return known;
      }
      const [client, api] = await Promise.all([
        connection.sagemaker(),
        import('./api')
      ]);
      return known.concat(
        await api.runsByName(client, rest, experimentName, { signal })
      );
    };

    app.docRegistry.addFileType({
      name: COMPARE_FILE_TYPE,
      displayName: trans.__('SageMaker Run Comparison'),
      extensions: [COMPARISON_EXTENSION],
      mimeTypes: ['application/json'],
      contentType: 'file',
      fileFormat: 'text',
      icon: sageMakerIcon
    });
    const factory = new CompareWidgetFactory({
      name: COMPARE_FACTORY,
      label: trans.__('SageMaker Run Comparison'),
      fileTypes: [COMPARE_FILE_TYPE],
      defaultFor: [COMPARE_FILE_TYPE],
      modelName: 'text',
      translator: translator ?? nullTranslator,
      trans,
      createModel: isVisible =>
        new CompareModel({
          loadRuns,
          series: seriesStore(),
          describeError: err => connection.describeError(err),
          trans,
          isVisible,
          liveSeconds: settings.liveSeconds
        })
    });
    app.docRegistry.addWidgetFactory(factory);

    const tracker = new WidgetTracker<CompareDocument>({
      namespace: 'sagemaker-studio-compare'
    });
    factory.widgetCreated.connect((_, widget) => {
      widget.context.pathChanged.connect(() => void tracker.save(widget));
      widget.content.model.propertiesRequested.connect(() =>
        app.shell.activateById(properties.id)
      );
      void tracker.add(widget);
    });
    void restorer?.restore(tracker, {
      command: 'docmanager:open',
      args: widget => ({ path: widget.context.path, factory: COMPARE_FACTORY }),
      name: widget => widget.context.path
    });

    const properties = new ChartPropertiesPanel({
      trans,
      current: () => tracker.currentWidget?.content.model ?? null,
      currentChanged: tracker.currentChanged
    });
    properties.title.icon = chartPropertiesIcon;
    app.shell.add(properties, 'right', { rank: 650 });
    restorer?.add(properties, properties.id);

    app.commands.addCommand(CommandIDs.showProperties, {
      label: trans.__('Show Chart Properties'),
      execute: () => app.shell.activateById(properties.id)
    });

    app.commands.addCommand(CommandIDs.compareRuns, {
      label: trans.__('Compare Runs'),
      caption: trans.__(
        'Open the selected runs in a new comparison of charts (arguments: runs, experiment, and optionally their records)'
      ),
      execute: async args => {
        const runs = args.runs;
        const experiment =
          typeof args.experiment === 'string' && args.experiment
            ? args.experiment
            : null;
        if (
          !Array.isArray(runs) ||
          runs.length === 0 ||
          runs.some(name => typeof name !== 'string' || !name)
        ) {
          throw new Error(trans.__('Select at least one run to compare.'));
        }
        if (Array.isArray(args.records)) {
          const at = Date.now();
          for (const [name, entry] of handedOver) {
            if (at - entry.at >= HANDOVER_MS) {
              handedOver.delete(name);
            }
          }
          for (const record of args.records as unknown as IRun[]) {
            if (record && typeof record.name === 'string') {
              handedOver.set(record.name, { run: record, at });
            }
          }
        }
        const directory = fileBrowser?.model.path ?? '';
        const path = await Private.freePath(
          app,
          directory,
          `${experiment ?? 'runs'}-comparison`
        );
        const comparison: IComparison = {
          version: 1,
          experimentName: experiment,
          runs: runs as string[],
          charts: []
        };
        await app.serviceManager.contents.save(path, {
          type: 'file',
          format: 'text',
          content: serializeComparison(comparison)
        });
        const widget = docManager.openOrReveal(path, COMPARE_FACTORY) as
          CompareDocument | undefined;
        if (widget) {
          // A new comparison starts with a line chart of the most widely logged metric, saved with the file.
          const model = widget.content.model;
          const addFirstChart = () => {
            if (model.status !== 'ready') {
              return;
            }
            model.stateChanged.disconnect(addFirstChart);
            if (
              model.comparison.charts.length === 0 &&
              model.metricNames.length > 0
            ) {
              model.addChart('line');
              void widget.context.save();
            }
          };
          model.stateChanged.connect(addFirstChart);
          addFirstChart();
        }
        return path;
      }
    });

    if (settingRegistry) {
      void settingRegistry
        .load(comparePlugin.id)
        .then(loaded => {
          const apply = () => {
            settings.concurrency = loaded.get('metricsConcurrency')
              .composite as number;
            settings.liveSeconds = loaded.get('liveRefreshSeconds')
              .composite as number;
          };
          apply();
          loaded.changed.connect(apply);
        })
        .catch(reason =>
          console.error('Failed to load SageMaker comparison settings.', reason)
        );
    }
  }
};

namespace Private {
  /** A path `<directory>/<base>.smcompare` (or `-2`, `-3`…) that does not exist yet. */
  export async function freePath(
    app: JupyterFrontEnd,
    directory: string,
    base: string
  ): Promise<string> {
    const safe = base.replace(/[\\/:*?"<>|]+/g, '-');
    for (let n = 1; n < 1000; n++) {
      const name = `${safe}${n === 1 ? '' : `-${n}`}${COMPARISON_EXTENSION}`;
      const path = PathExt.join(directory, name);
      try {
        await app.serviceManager.contents.get(path, { content: false });
      } catch {
        return path;
      }
    }
    throw new Error(`Could not find a free file name for ${base}.`);
  }
}
