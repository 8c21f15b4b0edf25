/**
 * The tab of one model package version: its fields and approval (with Approve / Reject / Reset to pending and a
 * comment), inference specification, metrics reports, customer metadata, approval history and the endpoints that
 * serve it. Reads the model of `modelRegistry.ts` only.
 */
import '../../../style/modelRegistry.css';
import { Dialog, showDialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import {
  ReactWidget,
  refreshIcon,
  ToolbarButton,
  UseSignal
} from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';
import * as React from 'react';

import {
  DetailFrame,
  DetailSection,
  Fields,
  StatusBadge,
  When
} from './components';
import {
  type ApprovalStatus,
  authorOf,
  checkApprovalComment,
  type CommentProblem,
  type IMetricsReport,
  MAX_APPROVAL_DESCRIPTION,
  ModelPackageModel,
  type PackageInfo,
  parseModelPackageArn
} from './modelRegistry';
import type { IDetailContent, IDetailContext, IResourceChange } from './types';

/** Build the tab of a model package version (its name is the version's ARN). */
export function createDetail(ctx: IDetailContext): IDetailContent {
  const { trans } = ctx;
  const model = new ModelPackageModel({
    arn: ctx.resource.name,
    sagemaker: () => ctx.connection.sagemaker(),
    s3: () => ctx.connection.s3(),
    describeError: err => ctx.connection.describeError(err),
    lineage: ctx.connection.mode === 'aws',
    describeCommentProblem: problem => describeCommentProblem(problem, trans)
  });
  const content = new ModelPackageView({
    model,
    trans,
    approve: async status => {
      const comment = await askComment(trans, status, model.info.data);
      if (comment === null) {
        return;
      }
      if (await model.setApproval(status, comment)) {
        ctx.notify({
          kind: 'model-package',
          name: ctx.resource.name,
          change: 'updated'
        });
      }
    },
    openGroup: name => ctx.open({ kind: 'model-package-group', name }),
    openEndpoint: name => ctx.open({ kind: 'endpoint', name })
  });
  const onChange = (_: unknown, change: IResourceChange) => {
    if (
      change.kind === 'model-package' &&
      change.name.toLowerCase() === ctx.resource.name.toLowerCase()
    ) {
      void model.info.refresh();
    } else if (change.kind === 'endpoint') {
      void model.deployments.refresh();
    }
  };
  ctx.changes.connect(onChange);
  content.disposed.connect(() => {
    ctx.changes.disconnect(onChange);
    model.dispose();
  });
  const refresh = new ToolbarButton({
    icon: refreshIcon,
    tooltip: trans.__('Fetch this version again'),
    onClick: () => void model.refresh()
  });
  void model.refresh();
  const parsed = parseModelPackageArn(ctx.resource.name);
  return {
    content,
    label: parsed
      ? trans.__('%1 v%2', parsed.group, parsed.version)
      : ctx.resource.name,
    toolbar: [{ name: 'refresh', widget: refresh }]
  };
}

/** The sentence for a comment AWS would refuse. */
export function describeCommentProblem(
  problem: NonNullable<CommentProblem>,
  trans: TranslationBundle
): string {
  switch (problem.kind) {
    case 'too-long':
      return trans.__(
        'The comment has %1 characters; SageMaker accepts at most %2. Shorten it and try again.',
        problem.length,
        problem.max
      );
    case 'control-characters':
      return trans.__(
        'The comment contains line breaks, tabs or other control characters, which SageMaker does not accept. Write it on one line.'
      );
  }
}

/** The translated label of an approval status. */
export function approvalLabel(
  status: string | null | undefined,
  trans: TranslationBundle
): string {
  switch (status) {
    case 'Approved':
      return trans.__('Approved');
    case 'Rejected':
      return trans.__('Rejected');
    case 'PendingManualApproval':
      return trans.__('Pending approval');
    default:
      return status ?? '';
  }
}

/** An approval status as a coloured badge. */
export function ApprovalBadge({
  status,
  trans
}: {
  status: string | null | undefined;
  trans: TranslationBundle;
}): JSX.Element | null {
  if (!status) {
    return null;
  }
  const mod =
    status === 'Approved'
      ? 'jp-mod-ok'
      : status === 'Rejected'
        ? 'jp-mod-bad'
        : 'jp-mod-busy';
  return (
    <span
      className={`jp-SageMakerRegistry-badge jp-SageMakerModelRegistry-approval ${mod}`}
      data-approval={status}
    >
      {approvalLabel(status, trans)}
    </span>
  );
}

/** Who a UserContext names, or a dash-worthy null with a note when AWS recorded nobody. */
export function authorLabel(
  user: Parameters<typeof authorOf>[0],
  trans: TranslationBundle
): string | null {
  return authorOf(user);
}

/** The tab's content. */
export class ModelPackageView extends ReactWidget {
  /** Create the view. */
  constructor(options: ModelPackageView.IOptions) {
    super();
    this._options = options;
    this.addClass('jp-SageMakerModelRegistry');
    this.addClass('jp-SageMakerModelRegistry-package');
    this.addClass('jp-SageMakerDetail-body');
    this.node.dataset.testid = 'sagemaker-studio-model-package';
  }

  /** Render; re-rendered on every model change. */
  render(): JSX.Element {
    const { model, trans } = this._options;
    return (
      <UseSignal signal={model.changed}>
        {() => (
          <DetailFrame model={model.info} trans={trans}>
            {info => <Package {...this._options} info={info} />}
          </DetailFrame>
        )}
      </UseSignal>
    );
  }

  private _options: ModelPackageView.IOptions;
}

/** Types of {@link ModelPackageView}. */
export namespace ModelPackageView {
  /** Options of the view. */
  export interface IOptions {
    /** The version's state. */
    model: ModelPackageModel;
    /** Translations. */
    trans: TranslationBundle;
    /** Ask for a comment and set the approval status. */
    approve: (status: ApprovalStatus) => Promise<void>;
    /** Open the group's tab. */
    openGroup: (name: string) => void;
    /** Open an endpoint's tab. */
    openEndpoint: (name: string) => void;
  }
}

/** Everything about a described version. */
function Package(
  props: ModelPackageView.IOptions & { info: PackageInfo }
): JSX.Element {
  const { info, trans, model } = props;
  return (
    <>
      <Overview {...props} />
      <DetailSection
        title={trans.__('Inference specification')}
        testId="inference"
      >
        <Inference info={info} trans={trans} />
      </DetailSection>
      <DetailSection title={trans.__('Model metrics')} testId="metrics">
        <Metrics reports={model.reports} trans={trans} />
      </DetailSection>
      <DetailSection
        title={trans.__('Customer metadata')}
        testId="customer-metadata"
      >
        {Object.keys(info.CustomerMetadataProperties ?? {}).length === 0 ? (
          <p className="jp-SageMakerModelRegistry-note">
            {trans.__('No customer metadata.')}
          </p>
        ) : (
          <Fields
            fields={Object.entries(info.CustomerMetadataProperties ?? {})}
          />
        )}
      </DetailSection>
      <DetailSection
        title={trans.__('Approval history')}
        testId="approval-history"
      >
        <History {...props} />
      </DetailSection>
      <DetailSection title={trans.__('Deployed on')} testId="deployments">
        <Deployments {...props} />
      </DetailSection>
    </>
  );
}

/** Version, group, status, approval (with the actions), times and authors. */
function Overview(
  props: ModelPackageView.IOptions & { info: PackageInfo }
): JSX.Element {
  const { info, trans, model, approve, openGroup } = props;
  const current = info.ModelApprovalStatus;
  const actions: Array<{ status: ApprovalStatus; label: string }> = [
    { status: 'Approved', label: trans.__('Approve') },
    { status: 'Rejected', label: trans.__('Reject') },
    { status: 'PendingManualApproval', label: trans.__('Reset to pending') }
  ];
  return (
    <DetailSection title={trans.__('Model version')} testId="overview">
      <Fields
        fields={[
          [trans.__('Version'), info.ModelPackageVersion],
          [
            trans.__('Group'),
            info.ModelPackageGroupName ? (
              <button
                key="group"
                className="jp-SageMakerModelRegistry-link"
                data-testid="sagemaker-studio-open-group"
                onClick={() => openGroup(info.ModelPackageGroupName!)}
              >
                {info.ModelPackageGroupName}
              </button>
            ) : null
          ],
          [
            trans.__('ARN'),
            <code key="arn" className="jp-SageMakerModelRegistry-arn">
              {info.ModelPackageArn}
            </code>
          ],
          [trans.__('Description'), info.ModelPackageDescription],
          [
            trans.__('Status'),
            <StatusBadge
              key="s"
              status={info.ModelPackageStatus}
              trans={trans}
            />
          ],
          [
            trans.__('Approval status'),
            <span key="a" data-testid="sagemaker-studio-approval-status">
              <ApprovalBadge status={current} trans={trans} />
            </span>
          ],
          [
            trans.__('Approval comment'),
            info.ApprovalDescription ? (
              <span key="d" data-testid="sagemaker-studio-approval-description">
                {info.ApprovalDescription}
              </span>
            ) : null
          ],
          [trans.__('Created'), <When key="c" date={info.CreationTime} />],
          [trans.__('Created by'), authorLabel(info.CreatedBy, trans)],
          [
            trans.__('Last modified'),
            <When key="m" date={info.LastModifiedTime} />
          ],
          [
            trans.__('Last modified by'),
            authorLabel(info.LastModifiedBy, trans)
          ]
        ]}
      />
      {info.ModelPackageVersion !== undefined && (
        <div className="jp-SageMakerModelRegistry-actions">
          {actions.map(action => (
            <button
              key={action.status}
              className={`jp-mod-styled ${
                action.status === 'Rejected' ? 'jp-mod-warn' : 'jp-mod-accept'
              }`}
              data-action={action.status}
              disabled={model.isUpdating || current === action.status}
              onClick={() => {
                model.clearUpdateError();
                void approve(action.status);
              }}
            >
              {action.label}
            </button>
          ))}
          {model.isUpdating && <span role="status">{trans.__('Saving…')}</span>}
        </div>
      )}
      {model.updateError && (
        <div
          className="jp-SageMakerModelRegistry-error"
          role="alert"
          data-testid="sagemaker-studio-approval-error"
        >
          {trans.__(
            'The approval status was not changed: %1',
            model.updateError
          )}
        </div>
      )}
    </DetailSection>
  );
}

/** Containers and what the version supports. */
function Inference({
  info,
  trans
}: {
  info: PackageInfo;
  trans: TranslationBundle;
}): JSX.Element {
  const spec = info.InferenceSpecification;
  if (!spec) {
    return (
      <p className="jp-SageMakerModelRegistry-note">
        {trans.__('This version has no inference specification.')}
      </p>
    );
  }
  const list = (values: string[] | undefined) =>
    values && values.length ? values.join(', ') : null;
  return (
    <>
      {(spec.Containers ?? []).map((container, i) => (
        <div key={i} className="jp-SageMakerModelRegistry-container">
          <h4>{trans.__('Container %1', i + 1)}</h4>
          <Fields
            fields={[
              [trans.__('Image'), <code key="i">{container.Image}</code>],
              [
                trans.__('Model data'),
                container.ModelDataUrl ? (
                  <code key="m">{container.ModelDataUrl}</code>
                ) : null
              ],
              [
                trans.__('Framework'),
                [container.Framework, container.FrameworkVersion]
                  .filter(Boolean)
                  .join(' ')
              ],
              [trans.__('Nearest model'), container.NearestModelName]
            ]}
          />
        </div>
      ))}
      <Fields
        fields={[
          [
            trans.__('Real-time instance types'),
            list(spec.SupportedRealtimeInferenceInstanceTypes)
          ],
          [
            trans.__('Transform instance types'),
            list(spec.SupportedTransformInstanceTypes)
          ],
          [trans.__('Content types'), list(spec.SupportedContentTypes)],
          [
            trans.__('Response MIME types'),
            list(spec.SupportedResponseMIMETypes)
          ]
        ]}
      />
    </>
  );
}

/** Each report with its S3 URI and content type, and the numbers read from it. */
function Metrics({
  reports,
  trans
}: {
  reports: ReadonlyArray<IMetricsReport>;
  trans: TranslationBundle;
}): JSX.Element {
  if (reports.length === 0) {
    return (
      <p className="jp-SageMakerModelRegistry-note">
        {trans.__('This version names no metrics reports (ModelMetrics).')}
      </p>
    );
  }
  return (
    <>
      {reports.map(report => (
        <div
          key={report.kind}
          className="jp-SageMakerModelRegistry-report"
          data-state={report.state}
        >
          <h4>{report.kind}</h4>
          <Fields
            fields={[
              [trans.__('S3 URI'), <code key="u">{report.s3Uri}</code>],
              [trans.__('Content type'), report.contentType]
            ]}
          />
          {report.state === 'pending' && (
            <p role="status">{trans.__('Reading the report…')}</p>
          )}
          {report.state === 'skipped' && (
            <p className="jp-SageMakerModelRegistry-note">
              {trans.__('Only JSON reports are read here.')}
            </p>
          )}
          {report.state === 'unreadable' && (
            <p className="jp-SageMakerModelRegistry-note" role="note">
              {trans.__(
                'The report could not be read: %1',
                report.reason ?? ''
              )}
            </p>
          )}
          {report.state === 'ready' &&
            (report.metrics.length === 0 ? (
              <p className="jp-SageMakerModelRegistry-note">
                {trans.__('The report holds no values.')}
              </p>
            ) : (
              <table className="jp-SageMakerDetail-table jp-SageMakerModelRegistry-metrics">
                <tbody>
                  {report.metrics.map(m => (
                    <tr key={m.name}>
                      <th scope="row">{m.name}</th>
                      <td>
                        {typeof m.value === 'number'
                          ? Number.isInteger(m.value)
                            ? m.value
                            : m.value.toPrecision(6)
                          : String(m.value)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ))}
        </div>
      ))}
    </>
  );
}

/** What is known of the approval's history, saying plainly what AWS does not keep. */
function History(
  props: ModelPackageView.IOptions & { info: PackageInfo }
): JSX.Element {
  const { info, model, trans } = props;
  return (
    <>
      <p className="jp-SageMakerModelRegistry-note">
        {trans.__(
          'SageMaker keeps the current decision only: UpdateModelPackage replaces the approval status and comment, and DescribeModelPackage reports who changed the version last and when.'
        )}
      </p>
      <Fields
        fields={[
          [
            trans.__('Current decision'),
            <ApprovalBadge
              key="a"
              status={info.ModelApprovalStatus}
              trans={trans}
            />
          ],
          [trans.__('Comment'), info.ApprovalDescription],
          [
            trans.__('Last changed'),
            <When key="m" date={info.LastModifiedTime} />
          ],
          [trans.__('Changed by'), authorLabel(info.LastModifiedBy, trans)],
          [trans.__('Registered'), <When key="c" date={info.CreationTime} />],
          [trans.__('Registered by'), authorLabel(info.CreatedBy, trans)]
        ]}
      />
      {model.hasLineage && (
        <>
          <h4>{trans.__('Lineage actions recorded for this version')}</h4>
          <DetailFrame model={model.lineage} trans={trans}>
            {actions =>
              actions.length === 0 ? (
                <p className="jp-SageMakerModelRegistry-note">
                  {trans.__(
                    'SageMaker lineage has no actions for this version.'
                  )}
                </p>
              ) : (
                <table className="jp-SageMakerDetail-table jp-SageMakerModelRegistry-metrics">
                  <thead>
                    <tr>
                      <th>{trans.__('Action')}</th>
                      <th>{trans.__('Type')}</th>
                      <th>{trans.__('Status')}</th>
                      <th>{trans.__('Created')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {actions.map(a => (
                      <tr key={a.name}>
                        <td>{a.name}</td>
                        <td>{a.type}</td>
                        <td>{a.status}</td>
                        <td>
                          <When date={a.created} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )
            }
          </DetailFrame>
        </>
      )}
    </>
  );
}

/** The endpoints whose models reference this version. */
function Deployments(
  props: ModelPackageView.IOptions & { info: PackageInfo }
): JSX.Element {
  const { model, trans, openEndpoint } = props;
  return (
    <DetailFrame model={model.deployments} trans={trans}>
      {found => (
        <>
          {found.endpoints.length === 0 ? (
            <p
              className="jp-SageMakerModelRegistry-note"
              data-testid="sagemaker-studio-not-deployed"
            >
              {trans._n(
                'Not deployed: none of the %1 endpoint checked serves a model made from this version.',
                'Not deployed: none of the %1 endpoints checked serves a model made from this version.',
                found.checked
              )}
            </p>
          ) : (
            <ul className="jp-SageMakerModelRegistry-deployments">
              {found.endpoints.map(d => (
                <li key={`${d.endpoint}/${d.variant}`}>
                  <button
                    className="jp-SageMakerModelRegistry-link"
                    onClick={() => openEndpoint(d.endpoint)}
                  >
                    {d.endpoint}
                  </button>{' '}
                  <StatusBadge status={d.status} trans={trans} />{' '}
                  {trans.__('variant %1, model %2', d.variant, d.model)}
                </li>
              ))}
            </ul>
          )}
          {found.truncated && (
            <p className="jp-SageMakerModelRegistry-note">
              {trans.__(
                'Only the first %1 endpoints were checked.',
                found.checked
              )}
            </p>
          )}
          {found.problems.map(problem => (
            <p
              key={problem}
              className="jp-SageMakerModelRegistry-note"
              role="note"
            >
              {trans.__('Not checked: %1', problem)}
            </p>
          ))}
        </>
      )}
    </DetailFrame>
  );
}

/** The body of the comment dialog: a one-line comment with a live length count and the last problem. */
class CommentBody extends Widget {
  constructor(trans: TranslationBundle, text: string, problem: string | null) {
    super();
    this.addClass('jp-SageMakerModelRegistry-comment');
    const label = document.createElement('label');
    label.textContent = trans.__('Comment (optional)');
    this._input = document.createElement('input');
    this._input.type = 'text';
    this._input.className = 'jp-mod-styled';
    this._input.name = 'approval-comment';
    this._input.value = text;
    this._input.placeholder = trans.__('Why this decision?');
    label.appendChild(this._input);
    const hint = document.createElement('p');
    hint.className = 'jp-SageMakerModelRegistry-commentHint';
    const alert = document.createElement('p');
    alert.className = 'jp-SageMakerModelRegistry-commentProblem';
    alert.setAttribute('role', 'alert');
    const update = () => {
      const found = checkApprovalComment(this._input.value);
      hint.textContent = trans.__(
        '%1 of %2 characters',
        this._input.value.trim().length,
        MAX_APPROVAL_DESCRIPTION
      );
      alert.textContent = found
        ? describeCommentProblem(found, trans)
        : (problem ?? '');
      problem = null;
    };
    this._input.addEventListener('input', update);
    update();
    this.node.append(label, hint, alert);
  }

  /** The comment typed. */
  getValue(): string {
    return this._input.value;
  }

  protected onAfterAttach(): void {
    this._input.focus();
  }

  private _input: HTMLInputElement;
}

/**
 * Ask for the comment of a decision; null when cancelled. A comment SageMaker would refuse is explained and the
 * dialog asked again with the text kept, so nothing is sent until it is acceptable.
 */
async function askComment(
  trans: TranslationBundle,
  status: ApprovalStatus,
  info: PackageInfo | null
): Promise<string | null> {
  const name = info
    ? `${info.ModelPackageGroupName ?? ''} v${info.ModelPackageVersion ?? ''}`
    : '';
  const titles: Record<ApprovalStatus, string> = {
    Approved: trans.__('Approve %1', name),
    Rejected: trans.__('Reject %1', name),
    PendingManualApproval: trans.__('Reset %1 to pending approval', name)
  };
  const buttons: Record<ApprovalStatus, string> = {
    Approved: trans.__('Approve'),
    Rejected: trans.__('Reject'),
    PendingManualApproval: trans.__('Reset to pending')
  };
  let text = '';
  let problem: string | null = null;
  for (;;) {
    const result = await showDialog({
      title: titles[status],
      body: new CommentBody(trans, text, problem),
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        status === 'Rejected'
          ? Dialog.warnButton({ label: buttons[status] })
          : Dialog.okButton({ label: buttons[status] })
      ],
      focusNodeSelector: 'input'
    });
    if (!result.button.accept) {
      return null;
    }
    text = result.value ?? '';
    const found = checkApprovalComment(text);
    if (!found) {
      return text;
    }
    problem = describeCommentProblem(found, trans);
  }
}
