// Numbers written the way PyTorch prints float32 tensors (4 decimals, scientific when huge or tiny),
// so what the window shows matches what the lesson's code prints.

/** One float formatted like an element of a PyTorch tensor printout: 183.0799, -9.4314, 1.2346e+10, inf, nan. */
export function fmt4(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  const abs = Math.abs(value);
  // PyTorch writes at least two exponent digits: 1.2340e-05, 1.5000e+10.
  if (abs !== 0 && (abs >= 1e8 || abs < 1e-4)) return value.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2');
  const text = value.toFixed(4);
  return text === '-0.0000' ? '0.0000' : text;
}

/** An input value as written in the lesson's hand arithmetic: whole numbers without decimals (× 1), others with 4. */
export function fmtInput(value: number): string {
  return Number.isInteger(value) && Math.abs(value) < 1e15 ? String(value) : fmt4(value);
}

/** A vector like PyTorch shows it: every value up to `edge * 2` values, otherwise the first and last `edge` around "...". */
export function fmtVector(values: ArrayLike<number>, edge = 3): string {
  const n = values.length;
  const parts: string[] = [];
  if (n <= edge * 2 + 1) {
    for (let i = 0; i < n; i++) parts.push(fmt4(values[i]));
  } else {
    for (let i = 0; i < edge; i++) parts.push(fmt4(values[i]));
    parts.push('...');
    for (let i = n - edge; i < n; i++) parts.push(fmt4(values[i]));
  }
  return `[${parts.join(', ')}]`;
}

/** Seconds as h:mm:ss or m:ss, the same in every language. */
export function fmtDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Epochs per second, rounded so the figure does not flicker. */
export function fmtRate(rate: number): string {
  if (!Number.isFinite(rate) || rate <= 0) return '0';
  if (rate >= 100) return Math.round(rate).toLocaleString('en-US');
  return rate.toFixed(1);
}

/** A learning rate as the learner would write it (0.01, 1e-5), never with float noise. */
export function fmtRateValue(lr: number): string {
  if (lr === 0) return '0';
  const text = String(Number(lr.toPrecision(6)));
  return text;
}
