// The charts' pure functions: decimation, smoothing, binning, CSV, palette and the line rasteriser.
import {
  decimateMinMax,
  decimateToGrid,
  ema,
  gridX,
  histogram,
  isAscending,
  lowerBound,
  quantile
} from '../charts/decimate';
import { csvField, toCsv } from '../charts/csv';
import {
  categoricalColor,
  continuousColor,
  TABLEAU_10
} from '../charts/palette';
import { drawPolyline, drawSegment, packRgb } from '../charts/lineRaster';

function randomWalk(n: number, seed = 1): { x: number[]; y: number[] } {
  let s = seed;
  const x: number[] = [];
  const y: number[] = [];
  let v = 0;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    v += s / 2147483648 - 0.5;
    x.push(i);
    y.push(v);
  }
  return { x, y };
}

describe('decimateMinMax', () => {
  it('keeps at most 2 × columns + 2 points, in x order', () => {
    const { x, y } = randomWalk(100_000);
    for (const columns of [1, 7, 100, 800]) {
      const d = decimateMinMax(x, y, 0, 99_999, columns);
      expect(d.x.length).toBeLessThanOrEqual(2 * columns + 2);
      expect(d.x.length).toBe(d.y.length);
      expect(isAscending(d.x)).toBe(true);
    }
  });

  it('keeps spikes, the first and the last point', () => {
    const x = Array.from({ length: 10_000 }, (_, i) => i);
    const y = x.map(() => 1);
    y[1234] = 1000;
    y[5678] = -1000;
    y[0] = 0.5;
    y[9999] = 0.25;
    const d = decimateMinMax(x, y, 0, 9999, 50);
    expect(Array.from(d.y)).toContain(1000);
    expect(Array.from(d.y)).toContain(-1000);
    expect(d.x[0]).toBe(0);
    expect(d.y[0]).toBe(0.5);
    expect(d.x[d.x.length - 1]).toBe(9999);
    expect(d.y[d.y.length - 1]).toBe(0.25);
    expect(Math.max(...d.y)).toBe(Math.max(...y));
    expect(Math.min(...d.y)).toBe(Math.min(...y));
  });

  it('returns short series unchanged', () => {
    const d = decimateMinMax([0, 1, 2], [3, 1, 2], 0, 2, 100);
    expect(Array.from(d.x)).toEqual([0, 1, 2]);
    expect(Array.from(d.y)).toEqual([3, 1, 2]);
  });

  it('skips NaN and infinite values and points outside the range', () => {
    const d = decimateMinMax(
      [0, 1, 2, 3, 4, 5],
      [1, NaN, Infinity, 4, -Infinity, 6],
      0,
      4,
      10
    );
    expect(Array.from(d.x)).toEqual([0, 3]);
    expect(Array.from(d.y)).toEqual([1, 4]);
  });

  it('handles empty input and an empty range', () => {
    expect(decimateMinMax([], [], 0, 1, 10).x.length).toBe(0);
    expect(Array.from(decimateMinMax([5, 5], [1, 2], 5, 5, 10).y)).toEqual([
      1, 2
    ]);
  });
});

describe('decimateToGrid', () => {
  it('puts each column’s extremes in its two slots, in logged order', () => {
    const columns = 4;
    const out = new Float64Array(2 * columns + 2).fill(NaN);
    // Column 0: x 0..0.99 → values 5 then 1 (max first); column 2: one value.
    const filled = decimateToGrid(
      [0, 0.5, 0.9, 2.5],
      [5, 3, 1, 7],
      0,
      4,
      columns,
      out
    );
    expect(filled).toBe(3);
    expect(out[1]).toBe(5);
    expect(out[2]).toBe(1);
    expect(out[5]).toBe(7);
    expect(Number.isNaN(out[6])).toBe(true);
    expect(Number.isNaN(out[0])).toBe(true);
    expect(Number.isNaN(out[9])).toBe(true);
  });

  it('interpolates the edges of a zoomed range from the points outside it', () => {
    const out = new Float64Array(2 * 2 + 2).fill(NaN);
    decimateToGrid([0, 10, 20], [0, 100, 200], 5, 15, 2, out);
    expect(out[0]).toBe(50);
    expect(out[5]).toBe(150);
    expect(out[3]).toBe(100);
  });

  it('writes at an offset, so one array holds every series', () => {
    const slots = 2 * 3 + 2;
    const out = new Float64Array(slots * 2).fill(NaN);
    decimateToGrid([0, 1, 2], [1, 2, 3], 0, 3, 3, out, 0);
    decimateToGrid([0, 1, 2], [4, 5, 6], 0, 3, 3, out, slots);
    expect(out[1]).toBe(1);
    expect(out[slots + 1]).toBe(4);
    expect(out[slots + 5]).toBe(6);
  });

  it('bounds the slots filled by 2 × columns + 2 and skips NaN', () => {
    const { x, y } = randomWalk(50_000, 3);
    y[10] = NaN;
    const out = new Float64Array(2 * 300 + 2).fill(NaN);
    const filled = decimateToGrid(x, y, 100, 40_000, 300, out);
    expect(filled).toBeLessThanOrEqual(2 * 300 + 2);
    expect(filled).toBe(out.filter(v => !Number.isNaN(v)).length);
  });

  it('gives strictly ascending grid x', () => {
    const g = gridX(10, 20, 5);
    expect(g.length).toBe(12);
    expect(g[0]).toBe(10);
    expect(g[11]).toBe(20);
    for (let i = 1; i < g.length; i++) {
      expect(g[i]).toBeGreaterThan(g[i - 1]);
    }
  });
});

describe('lowerBound and isAscending', () => {
  it('bisects', () => {
    expect(lowerBound([1, 2, 2, 5], 2)).toBe(1);
    expect(lowerBound([1, 2, 2, 5], 6)).toBe(4);
    expect(lowerBound([], 1)).toBe(0);
    expect(isAscending([1, 1, 2])).toBe(true);
    expect(isAscending([2, 1])).toBe(false);
  });
});

describe('ema', () => {
  it('returns the values unchanged at weight 0', () => {
    expect(Array.from(ema([1, 5, 3], 0))).toEqual([1, 5, 3]);
  });

  it('is debiased: a constant series stays constant', () => {
    const out = ema([4, 4, 4, 4], 0.9);
    out.forEach(v => expect(v).toBeCloseTo(4));
  });

  it('smooths towards the trend', () => {
    const out = ema([0, 10, 0, 10, 0, 10], 0.6);
    expect(out[0]).toBe(0);
    const spread = Math.max(...out.slice(2)) - Math.min(...out.slice(2));
    expect(spread).toBeLessThan(10);
  });

  it('keeps NaN where it was and ignores it', () => {
    const out = ema([2, NaN, 2], 0.5);
    expect(out[0]).toBeCloseTo(2);
    expect(Number.isNaN(out[1])).toBe(true);
    expect(out[2]).toBeCloseTo(2);
  });
});

describe('histogram', () => {
  it('gives no bins for no finite values', () => {
    expect(histogram([], 10)).toEqual([]);
    expect(histogram([NaN, Infinity], 0)).toEqual([]);
  });

  it('gives one bin around a single or all-equal value', () => {
    const one = histogram([3], 10);
    expect(one).toHaveLength(1);
    expect(one[0].count).toBe(1);
    expect(one[0].start).toBeLessThan(3);
    expect(one[0].end).toBeGreaterThan(3);
    const zeros = histogram([0, 0, 0], 0);
    expect(zeros).toEqual([{ start: -0.5, end: 0.5, count: 3 }]);
  });

  it('counts every value once with fixed bins, the maximum in the last bin', () => {
    const bins = histogram([-5, -1, 0, 1, 5, 5], 5);
    expect(bins).toHaveLength(5);
    expect(bins[0].start).toBe(-5);
    expect(bins[4].end).toBe(5);
    expect(bins.reduce((a, b) => a + b.count, 0)).toBe(6);
    expect(bins[4].count).toBe(2);
    expect(bins[0].count).toBe(1);
  });

  it('picks bins by Freedman–Diaconis, bounded', () => {
    const values = randomWalk(1000).y;
    const bins = histogram(values, 0);
    expect(bins.length).toBeGreaterThan(1);
    expect(bins.length).toBeLessThanOrEqual(100);
    expect(bins.reduce((a, b) => a + b.count, 0)).toBe(1000);
    // Zero interquartile range falls back to Sturges.
    const skewed = histogram([1, 1, 1, 1, 1, 1, 1, 9], 0);
    expect(skewed.length).toBe(Math.ceil(Math.log2(8)) + 1);
  });

  it('interpolates quantiles', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(Number.isNaN(quantile([], 0.5))).toBe(true);
  });
});

describe('CSV', () => {
  it('quotes fields as RFC 4180 says', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField(1.5)).toBe('1.5');
    expect(csvField(NaN)).toBe('');
    expect(csvField(null)).toBe('');
  });

  it('joins records with CRLF', () => {
    expect(
      toCsv([
        ['run', 'x'],
        ['a"b', 1]
      ])
    ).toBe('run,x\r\n"a""b",1\r\n');
    expect(toCsv([])).toBe('');
  });
});

describe('palette', () => {
  it('cycles Tableau 10', () => {
    expect(categoricalColor(0)).toBe('#4e79a7');
    expect(categoricalColor(10)).toBe(categoricalColor(0));
    expect(categoricalColor(-1)).toBe(TABLEAU_10[9]);
    expect(categoricalColor(NaN)).toBe(TABLEAU_10[0]);
  });

  it('ramps continuously with clamping', () => {
    const colors = [0, 0.25, 0.5, 0.75, 1].map(continuousColor);
    colors.forEach(c => expect(c).toMatch(/^#[0-9a-f]{6}$/));
    expect(new Set(colors).size).toBe(5);
    expect(continuousColor(-1)).toBe(continuousColor(0));
    expect(continuousColor(2)).toBe(continuousColor(1));
    expect(continuousColor(1)).toBe('#fde725');
  });
});

describe('lineRaster', () => {
  const buffer = (w: number, h: number) => ({
    pixels: new Uint32Array(w * h),
    width: w,
    height: h
  });
  const lit = (b: ReturnType<typeof buffer>) =>
    Array.from(b.pixels).filter(p => p !== 0).length;

  it('draws connected segments and skips NaN', () => {
    const b = buffer(10, 10);
    const color = packRgb(255, 0, 0);
    const segments = drawPolyline(
      b,
      Float64Array.from([0, 5, 9]),
      Float64Array.from([0, NaN, 0]),
      0,
      3,
      color
    );
    expect(segments).toBe(1);
    expect(lit(b)).toBe(10);
    expect(b.pixels[9]).toBe(color);
  });

  it('clips segments to the buffer', () => {
    const b = buffer(10, 10);
    drawSegment(b, -1e9, 5, 1e9, 5, 1);
    expect(lit(b)).toBe(10);
    drawSegment(b, 50, 50, 60, 60, 1);
    expect(lit(b)).toBe(10);
  });

  it('draws diagonals pixel by pixel', () => {
    const b = buffer(4, 4);
    drawSegment(b, 0, 0, 3, 3, 7);
    expect(lit(b)).toBe(4);
    expect(b.pixels[15]).toBe(7);
  });
});
