// Min/max decimation: for each pixel column keep the lowest and the highest value (in the order
// they occurred), so spikes survive and a 10-million-point series draws as ~2 points per pixel.

export interface Point {
  x: number;
  y: number;
}

export interface SeriesSource {
  /** Number of recorded points. */
  length: number;
  /** x of point i (for a loss history: the epoch number). */
  x(i: number): number;
  /** y of point i. */
  y(i: number): number;
}

/** First index whose x is >= target (xs ascending). */
function lowerBound(source: SeriesSource, target: number): number {
  let lo = 0;
  let hi = source.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (source.x(mid) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose x is > target (xs ascending). */
function upperBound(source: SeriesSource, target: number): number {
  let lo = 0;
  let hi = source.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (source.x(mid) <= target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Points to draw for the x range [xMin, xMax] on a plot `buckets` pixels wide. One point either side
 * of the range is included so the line runs to the edges. Points failing `keep` (non-finite values,
 * or <= 0 on a log axis) are left out of the drawing only; the data itself is untouched.
 */
export function decimateMinMax(
  source: SeriesSource,
  xMin: number,
  xMax: number,
  buckets: number,
  keep: (y: number) => boolean = Number.isFinite,
): Point[] {
  const n = source.length;
  if (n === 0) return [];
  const start = Math.max(0, lowerBound(source, xMin) - 1);
  const end = Math.min(n, upperBound(source, xMax) + 1); // exclusive
  const count = end - start;
  const out: Point[] = [];
  const width = Math.max(1, Math.floor(buckets));
  if (count <= width * 2) {
    for (let i = start; i < end; i++) {
      const y = source.y(i);
      if (keep(y)) out.push({ x: source.x(i), y });
    }
    return out;
  }
  const first = source.x(start);
  const span = source.x(end - 1) - first || 1;
  let i = start;
  for (let bucket = 0; bucket < width && i < end; bucket++) {
    const bucketEnd = bucket === width - 1 ? Infinity : first + (span * (bucket + 1)) / width;
    let minIndex = -1;
    let maxIndex = -1;
    let minY = Infinity;
    let maxY = -Infinity;
    for (; i < end && source.x(i) < bucketEnd; i++) {
      const y = source.y(i);
      if (!keep(y)) continue;
      if (y < minY) {
        minY = y;
        minIndex = i;
      }
      if (y > maxY) {
        maxY = y;
        maxIndex = i;
      }
    }
    if (minIndex < 0) continue;
    if (minIndex === maxIndex) out.push({ x: source.x(minIndex), y: minY });
    else if (minIndex < maxIndex) out.push({ x: source.x(minIndex), y: minY }, { x: source.x(maxIndex), y: maxY });
    else out.push({ x: source.x(maxIndex), y: maxY }, { x: source.x(minIndex), y: minY });
  }
  // The first and last points of the range are always drawn, so the line reaches both ends.
  const firstY = source.y(start);
  if (keep(firstY) && (out.length === 0 || out[0].x !== source.x(start))) out.unshift({ x: source.x(start), y: firstY });
  const lastY = source.y(end - 1);
  if (keep(lastY) && (out.length === 0 || out[out.length - 1].x !== source.x(end - 1))) out.push({ x: source.x(end - 1), y: lastY });
  return out;
}

/** Indices for a table that shows at most `maxRows` of `total` rows: every k-th, always the last. */
export function tableStride(total: number, maxRows: number): number {
  return total <= maxRows ? 1 : Math.ceil(total / maxRows);
}
