// Tick labels shared by the live charts and the exported PNGs.

/** Epoch-axis labels that stay short: 950, 12k, 3.5M. */
export function compactEpoch(value: number): string {
  if (Math.abs(value) >= 1e6) return `${Number((value / 1e6).toPrecision(3))}M`;
  if (Math.abs(value) >= 1e4) return `${Number((value / 1e3).toPrecision(3))}k`;
  return String(Math.round(value));
}

/** Value-axis labels: 4 significant digits, powers of ten in e-notation (log axes reach 1e-7). */
export function axisValue(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e6 || abs < 1e-3) return value.toExponential(abs.toExponential(0) === abs.toExponential() ? 0 : 2);
  return String(Number(value.toPrecision(4)));
}
