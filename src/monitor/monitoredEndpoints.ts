/**
 * Which endpoints are monitored and whether a schedule's latest execution found violations, as cheaply as AWS
 * allows: one paged ListMonitoringSchedules for the region, then DescribeMonitoringSchedule per schedule (the
 * summary lacks the last execution). Shared by the dashboard's endpoint picker and the registry's warning badges;
 * it imports only SageMaker commands, so the registry's chunk does not pull in the S3 client.
 */
import {
  DescribeMonitoringScheduleCommand,
  ListMonitoringSchedulesCommand,
  type ListMonitoringSchedulesCommandInput,
  type ListMonitoringSchedulesCommandOutput,
  type SageMakerClient
} from '@aws-sdk/client-sagemaker';

import { mapConcurrently } from '../aws/concurrency';
import { collect } from '../aws/paginate';

/**
 * Endpoints with monitoring schedules, and whether a schedule's latest execution found violations: one paged
 * ListMonitoringSchedules, then DescribeMonitoringSchedule per schedule (its LastMonitoringExecutionSummary).
 */
export async function monitoredEndpoints(
  client: SageMakerClient,
  options: { signal?: AbortSignal; concurrency: number; limit?: number }
): Promise<Map<string, { violations: boolean }>> {
  const { signal } = options;
  const { items } = await collect(
    (
      input: ListMonitoringSchedulesCommandInput
    ): Promise<ListMonitoringSchedulesCommandOutput> =>
      client.send(new ListMonitoringSchedulesCommand(input), {
        abortSignal: signal
      }),
    {} as ListMonitoringSchedulesCommandInput,
    page => page.MonitoringScheduleSummaries,
    { pageSize: 100, limit: options.limit ?? 1000, signal }
  );
  const result = new Map<string, { violations: boolean }>();
  const withEndpoint = items.filter(s => !!s.EndpointName);
  const flags = await mapConcurrently(
    withEndpoint,
    options.concurrency,
    async summary => {
      try {
        const described = await client.send(
          new DescribeMonitoringScheduleCommand({
            MonitoringScheduleName: summary.MonitoringScheduleName
          }),
          { abortSignal: signal }
        );
        return (
          described.LastMonitoringExecutionSummary
            ?.MonitoringExecutionStatus === 'CompletedWithViolations'
        );
      } catch {
        // One unreadable schedule costs only its badge.
        return false;
      }
    }
  );
  withEndpoint.forEach((summary, i) => {
    const name = summary.EndpointName as string;
    const entry = result.get(name) ?? { violations: false };
    entry.violations = entry.violations || flags[i];
    result.set(name, entry);
  });
  return result;
}
