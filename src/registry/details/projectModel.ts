/**
 * What a project tab shows: DescribeProject, and the project's pipelines, model package groups and endpoints found
 * as SageMaker Studio finds them — by the tags AWS puts on a project's resources (`sagemaker:project-name`,
 * `sagemaker:project-id`), with one Search call per kind (paged). Search filters on the server, so the cost is one
 * request per kind and page, not a ListTags call per resource in the account. No DOM.
 */
import type {
  DescribeProjectCommandOutput,
  SageMakerClient,
  SearchCommandInput,
  SearchRecord
} from '@aws-sdk/client-sagemaker';

/** AWS's tags tying a resource to a project. */
export const PROJECT_NAME_TAG = 'sagemaker:project-name';
export const PROJECT_ID_TAG = 'sagemaker:project-id';

/** Search results per page (the API's maximum). */
const PAGE_SIZE = 100;
/** Pages fetched per kind at most; a project with more resources says the list is cut. */
const MAX_PAGES = 5;

/** The kinds of resource a project tab lists, as detail kinds (each opens its own tab). */
export type ProjectResourceKind =
  'pipeline' | 'model-package-group' | 'endpoint';

/** The kinds, in the order the tab shows them. */
export const PROJECT_RESOURCE_KINDS: ReadonlyArray<ProjectResourceKind> = [
  'pipeline',
  'model-package-group',
  'endpoint'
];

/** One resource of a project. */
export interface IProjectResource {
  /** Its kind. */
  kind: ProjectResourceKind;
  /** Name (what its tab opens with). */
  name: string;
  /** ARN. */
  arn: string;
  /** Status (pipeline Active, model group Completed, endpoint InService…). */
  status: string | null;
  /** Creation time (ms since epoch). */
  created: number | null;
}

/** The resources of one kind, or why they could not be listed. */
export interface IProjectResources {
  /** The resources found, newest first. */
  items: IProjectResource[];
  /** The sentence of a failed Search, null after a success. */
  error: string | null;
  /** Whether more resources exist than were fetched. */
  truncated: boolean;
}

/** A key-value parameter (provisioning or template parameter). */
export interface IParameter {
  /** Key. */
  key: string;
  /** Value. */
  value: string;
}

/** A project as its tab shows it. */
export interface IProject {
  /** Name. */
  name: string;
  /** Project id (p-…). */
  id: string;
  /** ARN. */
  arn: string;
  /** CreateInProgress, CreateCompleted, … */
  status: string | null;
  /** Description. */
  description: string | null;
  /** Creation time (ms since epoch). */
  created: number | null;
  /** Who created it: a Studio user profile, an IAM identity, or null when AWS recorded none. */
  createdBy: string | null;
  /** The Service Catalog product the project was provisioned from. */
  serviceCatalog: {
    productId: string | null;
    provisioningArtifactId: string | null;
    pathId: string | null;
    parameters: IParameter[];
  } | null;
  /** The provisioned product. */
  provisionedProduct: {
    id: string | null;
    statusMessage: string | null;
  } | null;
  /** CloudFormation template providers (projects created without Service Catalog). */
  templateProviders: Array<{
    templateName: string;
    templateUrl: string;
    roleArn: string | null;
    parameters: IParameter[];
  }>;
  /** The project's resources by kind. */
  resources: Record<ProjectResourceKind, IProjectResources>;
}

/** DescribeProject's answer in the tab's shape (resources not yet searched). */
export function projectFromDescribe(
  output: Omit<DescribeProjectCommandOutput, '$metadata'>
): Omit<IProject, 'resources'> {
  const details = output.ServiceCatalogProvisioningDetails;
  const provisioned = output.ServiceCatalogProvisionedProductDetails;
  const creator = output.CreatedBy;
  return {
    name: output.ProjectName ?? '',
    id: output.ProjectId ?? '',
    arn: output.ProjectArn ?? '',
    status: output.ProjectStatus ?? null,
    description: output.ProjectDescription ?? null,
    created: output.CreationTime ? output.CreationTime.getTime() : null,
    createdBy:
      creator?.UserProfileName ??
      creator?.IamIdentity?.Arn ??
      creator?.UserProfileArn ??
      null,
    serviceCatalog: details
      ? {
          productId: details.ProductId ?? null,
          provisioningArtifactId: details.ProvisioningArtifactId ?? null,
          pathId: details.PathId ?? null,
          parameters: (details.ProvisioningParameters ?? []).map(p => ({
            key: p.Key ?? '',
            value: p.Value ?? ''
          }))
        }
      : null,
    provisionedProduct: provisioned
      ? {
          id: provisioned.ProvisionedProductId ?? null,
          statusMessage: provisioned.ProvisionedProductStatusMessage ?? null
        }
      : null,
    templateProviders: (output.TemplateProviderDetails ?? [])
      .map(t => t.CfnTemplateProviderDetail)
      .filter(t => t !== undefined)
      .map(t => ({
        templateName: t.TemplateName ?? '',
        templateUrl: t.TemplateURL ?? '',
        roleArn: t.RoleARN ?? null,
        parameters: (t.Parameters ?? []).map(p => ({
          key: p.Key ?? '',
          value: p.Value ?? ''
        }))
      }))
  };
}

/** The Search `Resource` of each kind. */
const SEARCH_RESOURCE: Record<
  ProjectResourceKind,
  NonNullable<SearchCommandInput['Resource']>
> = {
  pipeline: 'Pipeline',
  'model-package-group': 'ModelPackageGroup',
  endpoint: 'Endpoint'
};

/**
 * The Search request finding a kind's resources of a project: tagged with its name or its id (AWS's project
 * templates set both; a resource tagged by hand may carry only one).
 */
export function projectSearchInput(
  kind: ProjectResourceKind,
  project: { name: string; id: string }
): SearchCommandInput {
  const filters = [
    {
      Name: `Tags.${PROJECT_NAME_TAG}`,
      Operator: 'Equals',
      Value: project.name
    }
  ] as NonNullable<SearchCommandInput['SearchExpression']>['Filters'];
  if (project.id) {
    filters!.push({
      Name: `Tags.${PROJECT_ID_TAG}`,
      Operator: 'Equals',
      Value: project.id
    });
  }
  return {
    Resource: SEARCH_RESOURCE[kind],
    SearchExpression: { Filters: filters, Operator: 'Or' },
    SortBy: 'CreationTime',
    SortOrder: 'Descending',
    MaxResults: PAGE_SIZE
  };
}

/** A Search record as a project resource, or null when it is not of the kind. */
export function resourceFromRecord(
  kind: ProjectResourceKind,
  record: SearchRecord
): IProjectResource | null {
  const ms = (date: Date | undefined) => (date ? date.getTime() : null);
  if (kind === 'pipeline' && record.Pipeline) {
    const p = record.Pipeline;
    return {
      kind,
      name: p.PipelineName ?? '',
      arn: p.PipelineArn ?? '',
      status: p.PipelineStatus ?? null,
      created: ms(p.CreationTime)
    };
  }
  if (kind === 'model-package-group' && record.ModelPackageGroup) {
    const g = record.ModelPackageGroup;
    return {
      kind,
      name: g.ModelPackageGroupName ?? '',
      arn: g.ModelPackageGroupArn ?? '',
      status: g.ModelPackageGroupStatus ?? null,
      created: ms(g.CreationTime)
    };
  }
  if (kind === 'endpoint' && record.Endpoint) {
    const e = record.Endpoint;
    return {
      kind,
      name: e.EndpointName ?? '',
      arn: e.EndpointArn ?? '',
      status: e.EndpointStatus ?? null,
      created: ms(e.CreationTime)
    };
  }
  return null;
}

/** Every resource of a kind in the project (up to {@link MAX_PAGES} pages). */
export async function searchProjectResources(
  client: SageMakerClient,
  kind: ProjectResourceKind,
  project: { name: string; id: string },
  signal: AbortSignal
): Promise<Omit<IProjectResources, 'error'>> {
  const { SearchCommand } = await import('@aws-sdk/client-sagemaker');
  const items: IProjectResource[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const output = await client.send(
      new SearchCommand({
        ...projectSearchInput(kind, project),
        NextToken: nextToken
      }),
      { abortSignal: signal }
    );
    for (const record of output.Results ?? []) {
      const resource = resourceFromRecord(kind, record);
      if (resource) {
        items.push(resource);
      }
    }
    nextToken = output.NextToken;
    if (!nextToken) {
      break;
    }
  }
  return { items, truncated: !!nextToken };
}

/**
 * DescribeProject, then the three Searches side by side. A failed Search (e.g. `sagemaker:Search` denied) leaves
 * the rest of the tab working and says what failed for its kind.
 */
export async function loadProject(
  client: SageMakerClient,
  name: string,
  signal: AbortSignal,
  describeError: (err: unknown) => string
): Promise<IProject> {
  const { DescribeProjectCommand } = await import('@aws-sdk/client-sagemaker');
  const output = await client.send(
    new DescribeProjectCommand({ ProjectName: name }),
    { abortSignal: signal }
  );
  const project = projectFromDescribe(output);
  const lists = await Promise.all(
    PROJECT_RESOURCE_KINDS.map(async kind => {
      try {
        const found = await searchProjectResources(
          client,
          kind,
          project,
          signal
        );
        return { ...found, error: null };
      } catch (err) {
        if (signal.aborted) {
          throw err;
        }
        return { items: [], truncated: false, error: describeError(err) };
      }
    })
  );
  const resources = {} as Record<ProjectResourceKind, IProjectResources>;
  PROJECT_RESOURCE_KINDS.forEach((kind, i) => (resources[kind] = lists[i]));
  return { ...project, resources };
}
