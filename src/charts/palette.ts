/**
 * Colours of runs. Categorical colours are Tableau 10 (the 2016 revision): mid-lightness hues that keep their
 * contrast on JupyterLab's light and dark themes alike, unlike Okabe-Ito whose black vanishes on dark. The
 * continuous ramp is viridis (perceptually uniform, colour-blind safe) without its darkest fifth, which is
 * unreadable on the dark theme.
 */

/** Tableau 10 colours, in Tableau's order. */
export const TABLEAU_10: readonly string[] = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac'
];

/** The colour of the i-th category (cycles after ten; negative or fractional indices are folded in). */
export function categoricalColor(i: number): string {
  const n = TABLEAU_10.length;
  const k = Math.floor(Number.isFinite(i) ? i : 0);
  return TABLEAU_10[((k % n) + n) % n];
}

/** The colour of t in 0..1 on the viridis ramp (t outside is clamped, NaN maps to the middle). */
export function continuousColor(t: number): string {
  const clamped = Number.isNaN(t) ? 0.5 : Math.min(1, Math.max(0, t));
  // Start at 0.2 of viridis: see the module comment.
  const u = 0.2 + 0.8 * clamped;
  const pos = u * (Private.VIRIDIS.length - 1);
  const i = Math.min(Private.VIRIDIS.length - 2, Math.floor(pos));
  const f = pos - i;
  const a = Private.VIRIDIS[i];
  const b = Private.VIRIDIS[i + 1];
  const channel = (k: number) =>
    Math.round(a[k] + (b[k] - a[k]) * f)
      .toString(16)
      .padStart(2, '0');
  return `#${channel(0)}${channel(1)}${channel(2)}`;
}

namespace Private {
  /** Viridis sampled at 0, 0.1, …, 1 (matplotlib's values). */
  export const VIRIDIS: readonly [number, number, number][] = [
    [68, 1, 84],
    [72, 36, 117],
    [65, 68, 135],
    [53, 95, 141],
    [42, 120, 142],
    [33, 145, 140],
    [34, 168, 132],
    [68, 191, 112],
    [122, 209, 81],
    [189, 223, 38],
    [253, 231, 37]
  ];
}
