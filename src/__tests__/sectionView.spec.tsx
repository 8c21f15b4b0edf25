/**
 * Tests of the generic section view: a long list is windowed (only the rows in view are in the DOM), the search
 * box filters, and errors show as the model's sentence.
 */
import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { SectionModel } from '../registry/section';
import { sectionDescriptors } from '../registry/sections';
import { SectionView } from '../registry/SectionView';

const trans = nullTranslator.load('jupyterlab_sagemaker_studio');
const descriptor = sectionDescriptors(trans).find(
  d => d.id === 'model-registry'
)!;

/** Let React commit what the widget asked for. */
const settle = () => new Promise(r => setTimeout(r, 50));

/** A model whose one page holds `n` rows. */
async function loadedModel(n: number): Promise<SectionModel> {
  const model = new SectionModel({
    list: async () => ({
      items: Array.from({ length: n }, (_, i) => ({
        name: `group-${String(i).padStart(5, '0')}`,
        arn: `arn:${i}`,
        status: 'Completed',
        created: 1700000000000 + i
      }))
    }),
    describeError: err => String(err),
    pageSize: 100
  });
  await model.refresh();
  return model;
}

describe('SectionView', () => {
  let view: SectionView | null = null;
  afterEach(() => {
    view?.dispose();
    view = null;
  });

  it('keeps only a window of a 10,000-row list in the DOM', async () => {
    const model = await loadedModel(10000);
    view = new SectionView({ model, descriptor, trans });
    Widget.attach(view, document.body);
    view.update();
    await settle();
    const rows = view.node.querySelectorAll('.jp-SageMakerRegistry-row');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(100);
    expect(rows[0].getAttribute('data-name')).toBe('group-00000');
    expect(
      view.node.querySelector('.jp-SageMakerRegistry-sectionCount')?.textContent
    ).toBe('10000 model groups');
  });

  it('shows the model’s error sentence and a retry button', async () => {
    const model = new SectionModel({
      list: async () => {
        throw new Error('boom');
      },
      describeError: () => 'You are not allowed to perform sagemaker:ListX.'
    });
    await model.refresh();
    view = new SectionView({ model, descriptor, trans });
    Widget.attach(view, document.body);
    view.update();
    await settle();
    const error = view.node.querySelector('[role="alert"]');
    expect(error?.textContent).toContain(
      'You are not allowed to perform sagemaker:ListX.'
    );
    expect(error?.querySelector('button')?.textContent).toBe('Try again');
  });

  it('says what to do when the section is empty', async () => {
    const model = await loadedModel(0);
    view = new SectionView({ model, descriptor, trans });
    Widget.attach(view, document.body);
    view.update();
    await settle();
    expect(
      view.node.querySelector('.jp-SageMakerRegistry-sectionEmpty')?.textContent
    ).toContain('then refresh');
  });
});
