// The Chart's behaviour that needs no canvas (jsdom has none): "No data", the log-scale note, what reaches
// uPlot (mocked), the CSV export and disposal.
import { Chart } from '../charts/Chart';
import type { ChartData, IHover, ILineData } from '../charts/types';

interface IFakePlot {
  opts: any;
  data: any[];
  destroyed: boolean;
}

jest.mock('uplot', () => {
  class FakePlot {
    static pxRatio = 1;
    static paths = { bars: () => () => null };
    static instances: FakePlot[] = [];
    constructor(opts: any, data: any[], target: HTMLElement) {
      this.opts = opts;
      this.data = data;
      target.appendChild(this.root);
      this.root.appendChild(this.over);
      FakePlot.instances.push(this);
    }
    opts: any;
    data: any[];
    destroyed = false;
    root = document.createElement('div');
    over = document.createElement('div');
    bbox = { left: 0, top: 0, width: 100, height: 100 };
    scales = { x: { min: 0, max: 1 }, y: { min: 0, max: 1 } };
    cursor = {};
    ctx = {};
    setData(data: any[]) {
      this.data = data;
    }
    setSize() {
      /* no layout in jsdom */
    }
    setScale() {
      /* no layout in jsdom */
    }
    redraw() {
      /* no canvas in jsdom */
    }
    destroy() {
      this.destroyed = true;
      this.root.remove();
    }
  }
  return { __esModule: true, default: FakePlot };
});

// eslint-disable-next-line @typescript-eslint/no-var-requires
const plots = (): IFakePlot[] => require('uplot').default.instances;

function line(overrides: Partial<ILineData> = {}): ILineData {
  return {
    kind: 'line',
    series: [
      { id: 'a', label: 'run, "a"', x: [0, 1, 2], y: [1, 3, 2], color: '#111' },
      { id: 'b', label: 'b', x: [1, 2], y: [-1, 5], color: '#222' }
    ],
    xLabel: 'step',
    yLabel: 'loss',
    xIsTime: false,
    logScale: false,
    smoothing: 0,
    ...overrides
  };
}

describe('Chart', () => {
  let host: HTMLElement;
  let chart: Chart;

  beforeAll(() => {
    HTMLCanvasElement.prototype.getContext = (() =>
      null) as unknown as typeof HTMLCanvasElement.prototype.getContext;
  });

  beforeEach(() => {
    plots().length = 0;
    host = document.createElement('div');
    document.body.appendChild(host);
    chart = new Chart({ host, height: 200 });
  });

  afterEach(() => {
    chart.dispose();
    host.remove();
  });

  const empty = () => host.querySelector('.jp-SageMakerChart-empty')!;
  const note = () => host.querySelector('.jp-SageMakerChart-note')!;

  it('says "No data" until there is something to draw', () => {
    expect(empty().textContent).toBe('No data');
    expect(empty().classList.contains('jp-mod-hidden')).toBe(false);
    chart.setData(line({ series: [] }));
    expect(empty().classList.contains('jp-mod-hidden')).toBe(false);
    chart.setData({
      kind: 'scatter',
      points: [],
      xLabel: 'x',
      yLabel: 'y',
      logScale: false
    });
    chart.setData({
      kind: 'histogram',
      values: [NaN],
      bins: 0,
      xLabel: 'x',
      color: '#000'
    });
    expect(empty().classList.contains('jp-mod-hidden')).toBe(false);
    expect(plots()).toHaveLength(0);
  });

  it('hands uPlot the grid and the envelope of the lines, not every line', () => {
    chart.setData(line());
    expect(empty().classList.contains('jp-mod-hidden')).toBe(true);
    expect(plots()).toHaveLength(1);
    const [x, lo, hi] = plots()[0].data;
    expect(plots()[0].data).toHaveLength(3);
    expect(x[0]).toBe(0);
    expect(x[x.length - 1]).toBe(2);
    expect(Math.min(...lo.filter((v: number | null) => v !== null))).toBe(-1);
    expect(Math.max(...hi.filter((v: number | null) => v !== null))).toBe(5);
  });

  it('updates a plot of the same shape in place', () => {
    chart.setData(line());
    chart.setData(line({ smoothing: 0.5 }));
    expect(plots()).toHaveLength(1);
    chart.setData(line({ logScale: true }));
    expect(plots()).toHaveLength(2);
    expect(plots()[0].destroyed).toBe(true);
  });

  it('leaves values ≤ 0 off a log scale and says so', () => {
    chart.setData(line({ logScale: true }));
    expect(note().textContent).toBe(
      '1 value ≤ 0 is not shown on the log scale'
    );
    chart.setData({
      kind: 'bar',
      bars: [
        { id: 'a', label: 'a', value: 0, color: '#000' },
        { id: 'b', label: 'b', value: -2, color: '#000' },
        { id: 'c', label: 'c', value: 3, color: '#000' }
      ],
      yLabel: 'y',
      logScale: true
    });
    expect(note().textContent).toBe(
      '2 values ≤ 0 are not shown on the log scale'
    );
    expect(plots()[plots().length - 1].data[1]).toEqual([null, null, 3]);
    chart.setData(line());
    expect(note().classList.contains('jp-mod-hidden')).toBe(true);
  });

  it('shows "No data" when a log scale leaves nothing', () => {
    chart.setData({
      kind: 'scatter',
      points: [{ id: 'a', label: 'a', x: 1, y: -1, color: '#000' }],
      xLabel: 'x',
      yLabel: 'y',
      logScale: true
    });
    expect(empty().classList.contains('jp-mod-hidden')).toBe(false);
    expect(note().textContent).toContain('not shown on the log scale');
  });

  it('exports every point as CSV, quoted', () => {
    expect(chart.toCSV()).toBe('');
    chart.setData(line());
    expect(chart.toCSV()).toBe(
      'run,x,y\r\n"run, ""a""",0,1\r\n"run, ""a""",1,3\r\n"run, ""a""",2,2\r\nb,1,-1\r\nb,2,5\r\n'
    );
    chart.setData(line({ smoothing: 0.5 }));
    expect(chart.toCSV().split('\r\n')[0]).toBe('run,x,y,y_smoothed');
    chart.setData(
      line({
        xIsTime: true,
        series: [{ id: 'a', label: 'a', x: [0], y: [1], color: '#000' }]
      })
    );
    expect(chart.toCSV()).toBe('run,x,y\r\na,1970-01-01T00:00:00.000Z,1\r\n');
  });

  it('exports scatter, bar and histogram data as CSV', () => {
    const cases: [ChartData, string][] = [
      [
        {
          kind: 'scatter',
          points: [{ id: 'a', label: 'a', x: 1, y: 2, color: '#000' }],
          xLabel: 'x',
          yLabel: 'y',
          logScale: false
        },
        'run,x,y\r\na,1,2\r\n'
      ],
      [
        {
          kind: 'bar',
          bars: [{ id: 'a', label: 'a', value: 3, color: '#000' }],
          yLabel: 'y',
          logScale: false
        },
        'run,value\r\na,3\r\n'
      ],
      [
        {
          kind: 'histogram',
          values: [0, 1, 2, 3],
          bins: 2,
          xLabel: 'x',
          color: '#000'
        },
        'bin_start,bin_end,count\r\n0,1.5,2\r\n1.5,3,2\r\n'
      ]
    ];
    for (const [data, csv] of cases) {
      chart.setData(data);
      expect(chart.toCSV()).toBe(csv);
    }
  });

  it('clears the hover when the data changes', () => {
    const seen: (IHover | null)[] = [];
    chart.hoverChanged.connect((_, hover) => seen.push(hover));
    chart.setData(line());
    expect(seen).toEqual([null]);
  });

  it('leaves its host empty when disposed', () => {
    chart.setData(line());
    chart.dispose();
    expect(host.children).toHaveLength(0);
    expect(chart.isDisposed).toBe(true);
    expect(plots()[0].destroyed).toBe(true);
    chart.setData(line());
    expect(plots()).toHaveLength(1);
  });
});
