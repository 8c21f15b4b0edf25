/**
 * Translated labels of Model Monitor values (monitoring types, execution statuses, constraint check types). A light
 * module: the registry's endpoint tab uses it too without loading the dashboard.
 */
import type { TranslationBundle } from '@jupyterlab/translation';

/** The translated label of a monitoring type. */
export function monitoringTypeLabel(
  type: string,
  trans: TranslationBundle
): string {
  switch (type) {
    case 'DataQuality':
      return trans.__('Data quality');
    case 'ModelQuality':
      return trans.__('Model quality');
    case 'ModelBias':
      return trans.__('Model bias');
    case 'ModelExplainability':
      return trans.__('Model explainability');
    default:
      return type;
  }
}

/** The translated label of a constraint check type. */
export function checkTypeLabel(type: string, trans: TranslationBundle): string {
  switch (type) {
    case 'data_type_check':
      return trans.__('Data type');
    case 'completeness_check':
      return trans.__('Completeness');
    case 'baseline_drift_check':
      return trans.__('Baseline drift');
    case 'missing_column_check':
      return trans.__('Missing column');
    case 'extra_column_check':
      return trans.__('Extra column');
    case 'categorical_values_check':
      return trans.__('Categorical values');
    default:
      return type;
  }
}

/** The translated label of a monitoring execution status. */
export function executionStatusLabel(
  status: string,
  trans: TranslationBundle
): string {
  switch (status) {
    case 'Completed':
      return trans.__('Completed');
    case 'CompletedWithViolations':
      return trans.__('Completed with violations');
    case 'InProgress':
      return trans.__('In progress');
    case 'Pending':
      return trans.__('Pending');
    case 'Failed':
      return trans.__('Failed');
    case 'Stopping':
      return trans.__('Stopping');
    case 'Stopped':
      return trans.__('Stopped');
    default:
      return status;
  }
}
