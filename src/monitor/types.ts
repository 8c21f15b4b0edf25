/**
 * What the Model Monitor dashboard works with: schedules and executions as plain data, and the API the model
 * calls (implemented on the AWS SDK in `./api`, faked in tests). No DOM, no SDK imports.
 */

/** The monitoring types of SageMaker Model Monitor. */
export type MonitoringType =
  'DataQuality' | 'ModelQuality' | 'ModelBias' | 'ModelExplainability';

/** One execution of a schedule (a processing job). */
export interface IExecution {
  /** The schedule it belongs to. */
  scheduleName: string;
  /** When it was scheduled (ms since epoch). */
  scheduledTime: number | null;
  /** When it was created (ms since epoch). */
  created: number | null;
  /** Pending, Completed, CompletedWithViolations, InProgress, Failed, Stopping, Stopped. */
  status: string;
  /** The processing job that ran it, once there is one. */
  processingJobArn: string | null;
  /** Why it failed, when it did. */
  failureReason: string | null;
  /** Its monitoring type, when reported. */
  type: string | null;
}

/** A monitoring schedule of the endpoint, described. */
export interface ISchedule {
  /** Name. */
  name: string;
  /** ARN. */
  arn: string;
  /** DataQuality, ModelQuality, ModelBias or ModelExplainability. */
  type: string | null;
  /** Pending, Scheduled, Stopped, Failed. */
  status: string | null;
  /** The schedule expression, e.g. `cron(0 * ? * * *)`. */
  cron: string | null;
  /** Why the schedule failed, if it did. */
  failureReason: string | null;
  /** Its job definition. */
  jobDefinitionName: string | null;
  /** Its latest execution. */
  lastExecution: IExecution | null;
  /** The baseline statistics.json (data quality only). */
  baselineStatisticsUri: string | null;
  /** The baseline constraints.json. */
  baselineConstraintsUri: string | null;
  /** Why the details (cron, baseline) could not be read, if they could not. */
  detailsError: string | null;
}

/** The calls the dashboard needs. */
export interface IMonitorApi {
  /** The schedules of an endpoint, described. */
  listSchedules(
    endpointName: string,
    signal?: AbortSignal
  ): Promise<ISchedule[]>;
  /** Endpoints that have schedules, with whether a latest execution found violations. */
  monitoredEndpoints(
    signal?: AbortSignal
  ): Promise<Map<string, { violations: boolean }>>;
  /** Executions of a schedule, newest scheduled first. */
  listExecutions(
    scheduleName: string,
    limit: number,
    signal?: AbortSignal
  ): Promise<{ executions: IExecution[]; truncated: boolean }>;
  /** The S3 prefix of an execution's reports. */
  reportLocation(
    processingJobArn: string,
    signal?: AbortSignal
  ): Promise<string>;
  /** An S3 object's text; its size instead when larger than `maxBytes`; `missing` when it does not exist. */
  readText(
    uri: string,
    maxBytes: number,
    signal?: AbortSignal
  ): Promise<{ text: string } | { tooLarge: number } | { missing: true }>;
  /** Start a schedule. */
  startSchedule(name: string): Promise<void>;
  /** Stop a schedule. */
  stopSchedule(name: string): Promise<void>;
}
