// C's logf as glibc computes it (the table-driven algorithm by Szabolcs Nagy, Arm's optimized
// routines, MIT licensed; glibc and musl share it). PyTorch's scalar CPU kernels call std::log on
// floats, which is this function; it is not always correctly rounded, so Math.fround(Math.log(x))
// differs from it in the last bit now and then (binary_cross_entropy's loss showed it).
import { fma64 } from './fma';

/** invc = 1/c and logc = log(c) for the 16 subintervals of [0x3f330000, 2 * 0x3f330000). */
const TABLE: readonly (readonly [number, number])[] = [
  [1.398907162146528, -0.33569133332882284],
  [1.3403141896637998, -0.2929040563774074],
  [1.286432210124115, -0.2518726580937369],
  [1.2367150214269895, -0.21245868807117255],
  [1.1906977166711752, -0.17453945183745634],
  [1.1479821020556429, -0.1380057072319758],
  [1.1082251448272158, -0.10275976698545139],
  [1.0711297413057381, -0.06871392447020525],
  [1.036437278977283, -0.0357891387398228],
  [1.0, 0],
  [0.9492859795739057, 0.05204517742929496],
  [0.8951049428609004, 0.11081431298787942],
  [0.8476821620351103, 0.1652495223695143],
  [0.8050314851692001, 0.21687389031699977],
  [0.7664671008843108, 0.2659635028121397],
  [0.731428603316328, 0.3127556664073557],
];
const LN2 = 0.6931471805599453;
const A0 = -0.25089342214237154;
const A1 = 0.333456765744066;
const A2 = -0.4999997485802103;
const OFF = 0x3f330000;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** logf(x) for a float32 x, as glibc's (x86-64 FMA variant) returns it. */
export function logf(x: number): number {
  f32[0] = x;
  let ix = u32[0];
  if (ix === 0x3f800000) return 0;
  if ((ix - 0x00800000) >>> 0 >= 0x7f800000 - 0x00800000) {
    // zero, subnormal, negative, infinite or NaN
    if ((ix & 0x7fffffff) === 0) return -Infinity;
    if (ix === 0x7f800000) return Infinity;
    if (ix & 0x80000000 || (ix & 0x7fffffff) > 0x7f800000) return NaN;
    f32[0] = x * 8388608;
    ix = u32[0] - (23 << 23);
  }
  const tmp = (ix - OFF) >>> 0;
  const i = (tmp >>> 19) % 16;
  const k = (tmp | 0) >> 23;
  u32[0] = (ix - (tmp & (0x1ff << 23))) >>> 0;
  const z = f32[0];
  const [invc, logc] = TABLE[i];
  const r = fma64(z, invc, -1);
  const y0 = fma64(k, LN2, logc);
  const r2 = r * r;
  let y = fma64(A1, r, A2);
  y = fma64(A0, r2, y);
  y = fma64(y, r2, y0 + r);
  return Math.fround(y);
}
