/**
 * Services the plugins of the suite share.
 */
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { PricingClient } from '@aws-sdk/client-pricing';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import type { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { Token } from '@lumino/coreutils';
import type { ISignal } from '@lumino/signaling';

import type { MetricsClient } from './aws/metrics';

/** The AWS connection: where requests go (local backend or an AWS account), and the clients that send them. */
export const IAwsConnection = new Token<IAwsConnection>(
  'jupyterlab-sagemaker-studio:IAwsConnection',
  'The AWS connection of the SageMaker Studio suite: mode, region, identity, and SDK clients that send through the Jupyter server.'
);

/** The AWS connection of the suite. All AWS calls of all panels go through its clients. */
export interface IAwsConnection {
  /** Resolves once the first connection state was read (successfully or not). */
  readonly ready: Promise<void>;
  /** The server's connection state, or null before it was read or when reading failed. */
  readonly state: IAwsConnection.IState | null;
  /** 'local' (the embedded backend) or 'aws'; null while unknown. */
  readonly mode: IAwsConnection.Mode | null;
  /** The current region; null while unknown. */
  readonly region: string | null;
  /** The account id (from the server in local mode, from STS in AWS mode); null while unknown. */
  readonly accountId: string | null;
  /** Who the server's credentials belong to, once known. */
  readonly identity: IAwsConnection.IIdentity | null;
  /** Why the connection state or identity could not be read, as a sentence; null when all is well. */
  readonly error: string | null;
  /** Emitted whenever state, identity or error change (e.g. after a region switch). */
  readonly changed: ISignal<IAwsConnection, void>;
  /** Read the connection state (and identity in AWS mode) again. */
  refresh(): Promise<void>;
  /** Switch region and/or profile on the server; rejects with the server's sentence on bad input. */
  switch(change: IAwsConnection.ISwitch): Promise<void>;
  /** A SageMaker client for the current region (the SDK loads on first call). */
  sagemaker(): Promise<SageMakerClient>;
  /** A SageMaker Runtime client (InvokeEndpoint) for the current region (the SDK loads on first call). */
  sagemakerRuntime(): Promise<SageMakerRuntimeClient>;
  /** A path-style S3 client for the current region (the SDK loads on first call). */
  s3(): Promise<S3Client>;
  /** A CloudWatch Logs client (job logs) for the current region (the SDK loads on first call). */
  logs(): Promise<CloudWatchLogsClient>;
  /** A Service Quotas client (the account's limits) for the current region (the SDK loads on first call). */
  serviceQuotas(): Promise<ServiceQuotasClient>;
  /** A Price List client; it calls us-east-1, which answers for every region (the SDK loads on first call). */
  pricing(): Promise<PricingClient>;
  /** A SageMaker Metrics client for the current region. */
  metrics(): Promise<MetricsClient>;
  /** Who the server's credentials belong to (STS GetCallerIdentity), fetched once per region and profile. */
  fetchIdentity(): Promise<IAwsConnection.IIdentity>;
  /** A sentence for the user explaining an error of any of the clients. */
  describeError(err: unknown): string;
}

/** Types of {@link IAwsConnection}. */
export namespace IAwsConnection {
  /** Where requests go. */
  export type Mode = 'local' | 'aws';

  /** The connection state the server reports at `sagemaker-studio/connection`. */
  export interface IState {
    /** Local backend or AWS. */
    mode: Mode;
    /** Current region. */
    region: string;
    /** Current profile (AWS mode), or null. */
    profile: string | null;
    /** Profiles the server knows (AWS mode). */
    profiles: string[];
    /** Regions to choose from. */
    regions: string[];
    /** Account id, when the server knows it without a call (local mode); else null. */
    accountId: string | null;
    /** Whether the server refuses all but read operations. */
    readOnly: boolean;
    /** Proxy service segments the server allows. */
    services: string[];
  }

  /** The principal the server's credentials belong to. */
  export interface IIdentity {
    /** 12-digit account id. */
    account: string;
    /** ARN of the principal. */
    arn: string;
    /** Unique id of the principal. */
    userId: string;
  }

  /** A region and/or profile switch. */
  export interface ISwitch {
    /** New region. */
    region?: string;
    /** New profile (AWS mode). */
    profile?: string;
  }
}
