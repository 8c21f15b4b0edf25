/**
 * Draws many 1-pixel lines straight into a pixel buffer. With a thousand runs a line chart has about a million
 * segments of a pixel or two; the canvas's anti-aliased path stroking spends some 200 ns on each, this loop a few,
 * which is what keeps the first paint of such a chart within a frame budget. Charts with few segments keep
 * canvas strokes, which look smoother.
 */

/** A pixel buffer: RGBA bytes of an ImageData seen as one 32-bit word per pixel (platform byte order). */
export interface IPixelBuffer {
  /** Pixels, row by row. */
  pixels: Uint32Array;
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
}

/** Whether this platform stores a Uint32 with its lowest byte first (all browsers in practice). */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The 32-bit pixel of an opaque colour given as r, g, b bytes. */
export function packRgb(r: number, g: number, b: number): number {
  return LITTLE_ENDIAN
    ? ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0
    : ((r << 24) | (g << 16) | (b << 8) | 255) >>> 0;
}

/**
 * Draws a polyline through (xs[i], ys[i]) for the indices where ys is finite (NaN is skipped and the line joins
 * its neighbours, as a metric line spans missing steps). Coordinates are in pixels; pixels outside the buffer are
 * left out. Returns how many segments were drawn.
 */
export function drawPolyline(
  buffer: IPixelBuffer,
  xs: Float64Array,
  ys: Float64Array,
  from: number,
  to: number,
  color: number
): number {
  const { pixels, width: w, height: h } = buffer;
  let px = 0;
  let py = 0;
  let started = false;
  let segments = 0;
  for (let i = from; i < to; i++) {
    const y = ys[i];
    // NaN and ±Infinity fail this test: a gap, not a point.
    if (!(y - y === 0)) {
      continue;
    }
    const x = Math.round(xs[i]);
    const yy = Math.round(y);
    if (!started) {
      px = x;
      py = yy;
      started = true;
    }
    if (
      px >= 0 &&
      px < w &&
      x >= 0 &&
      x < w &&
      py >= 0 &&
      py < h &&
      yy >= 0 &&
      yy < h
    ) {
      // Bresenham inlined: a function call per segment costs as much as drawing it.
      const dx = Math.abs(x - px);
      const dy = -Math.abs(yy - py);
      const sx = px < x ? 1 : -1;
      const sy = py < yy ? w : -w;
      let err = dx + dy;
      let k = py * w + px;
      const end = yy * w + x;
      for (let steps = dx - dy; steps >= 0; steps--) {
        pixels[k] = color;
        if (k === end) {
          break;
        }
        const e2 = 2 * err;
        if (e2 >= dy) {
          err += dy;
          k += sx;
        }
        if (e2 <= dx) {
          err += dx;
          k += sy;
        }
      }
    } else {
      drawSegment(buffer, px, py, x, yy, color);
    }
    segments++;
    px = x;
    py = yy;
  }
  // The first point drew a zero-length segment onto itself.
  return Math.max(0, segments - 1);
}

/** Bresenham's line between integer pixels, both ends included, clipped to the buffer. */
export function drawSegment(
  buffer: IPixelBuffer,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  color: number
): void {
  const w = buffer.width;
  const h = buffer.height;
  if (
    x0 >= 0 &&
    x0 < w &&
    x1 >= 0 &&
    x1 < w &&
    y0 >= 0 &&
    y0 < h &&
    y1 >= 0 &&
    y1 < h
  ) {
    bresenham(buffer.pixels, w, x0, y0, x1, y1, color);
    return;
  }
  // Liang–Barsky first: walking a far-off segment pixel by pixel would take as long as the segment is.
  const c = clip(x0, y0, x1, y1, w, h);
  if (c) {
    bresenham(buffer.pixels, w, c[0], c[1], c[2], c[3], color);
  }
}

/** Bresenham on end points known to be inside the buffer (the hot loop: no bounds checks, no calls). */
function bresenham(
  pixels: Uint32Array,
  w: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  color: number
): void {
  const dx = Math.abs(x1 - x0);
  const dy = -Math.abs(y1 - y0);
  const sx = x0 < x1 ? 1 : -1;
  const sy = y0 < y1 ? w : -w;
  let err = dx + dy;
  let i = y0 * w + x0;
  const end = y1 * w + x1;
  for (let steps = dx - dy; steps >= 0; steps--) {
    pixels[i] = color;
    if (i === end) {
      return;
    }
    const e2 = 2 * err;
    if (e2 >= dy) {
      err += dy;
      i += sx;
    }
    if (e2 <= dx) {
      err += dx;
      i += sy;
    }
  }
}

function clip(
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  w: number,
  h: number
): [number, number, number, number] | null {
  const dx = x1 - x0;
  const dy = y1 - y0;
  let t0 = 0;
  let t1 = 1;
  // Edges at the centres of the outermost pixels, so the clipped ends round to pixels inside.
  const edges: [number, number][] = [
    [-dx, x0],
    [dx, w - 1 - x0],
    [-dy, y0],
    [dy, h - 1 - y0]
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) {
        return null;
      }
      continue;
    }
    const t = q / p;
    if (p < 0) {
      t0 = Math.max(t0, t);
    } else {
      t1 = Math.min(t1, t);
    }
    if (t0 > t1) {
      return null;
    }
  }
  return [
    Math.round(x0 + t0 * dx),
    Math.round(y0 + t0 * dy),
    Math.round(x0 + t1 * dx),
    Math.round(y0 + t1 * dy)
  ];
}
