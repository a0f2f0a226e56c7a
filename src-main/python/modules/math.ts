// The `math` module, as CPython's: the same functions, domain errors and overflow errors.
import { asInt, checkArgs, floatToInt, kwarg, noKwargs, toFloat } from '../args';
import type { Context, Value } from '../context';
import { PyException, typeError, valueError } from '../errors';
import type { ModuleDefinition } from '../module-registry';
import { typeName } from '../objects';
import { binaryOp, floatPow, iterableToArray, iterate } from '../ops';
import { Builtin, makeModule } from '../values';

function mathFn(name: string, f: (x: number) => number, domain: (x: number) => boolean = () => true): Builtin {
  return new Builtin(name, (args, kwargs, cx) => {
    noKwargs(name, kwargs);
    if (args.length !== 1) throw typeError(`math.${name}() takes exactly one argument (${args.length} given)`);
    const x = toFloatArg(cx, args[0]);
    if (!domain(x)) throw valueError('math domain error');
    const r = f(x);
    if (!Number.isFinite(r) && Number.isFinite(x)) throw new PyException('OverflowError', 'math range error');
    return r;
  });
}

function toFloatArg(cx: Context, v: Value): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint' || typeof v === 'boolean') return toFloat(cx, v);
  if (typeof v === 'object' && v !== null) {
    const x = cx.nativeType(v)?.scalar?.(v);
    if (x !== undefined) return Number(x);
  }
  throw typeError(`must be real number, not ${typeName(cx, v)}`);
}

/** Math.hypot over any number of values (spreading more than ~100k arguments throws in V8). */
function hypot(values: number[]): number {
  const CHUNK = 4096;
  if (values.length <= CHUNK) return Math.hypot(...values);
  const partial: number[] = [];
  for (let i = 0; i < values.length; i += CHUNK) partial.push(Math.hypot(...values.slice(i, i + CHUNK)));
  return hypot(partial);
}

/** n (n-1) ... (n-k+1), divided by k! for comb: exact integers. */
function fallingFactorial(n: bigint, k: bigint, divide: boolean): bigint {
  let r = 1n;
  for (let i = 0n; i < k; i++) {
    r *= n - i;
    if (divide) r /= i + 1n; // exact: a product of i+1 consecutive integers is divisible by (i+1)!
  }
  return r;
}

export const mathModule: ModuleDefinition = {
  name: 'math',
  create: () =>
    makeModule('math', {
      pi: Math.PI,
      e: Math.E,
      tau: 2 * Math.PI,
      inf: Infinity,
      nan: NaN,
      sqrt: mathFn('sqrt', Math.sqrt, (x) => x >= 0 || x !== x),
      exp: mathFn('exp', Math.exp),
      log: new Builtin('log', (args, _kwargs, cx) => {
        checkArgs('log', args, 1, 2);
        const v = args[0];
        let lnx: number;
        if (typeof v === 'bigint' && v > 0n && !Number.isFinite(Number(v))) {
          const s = v.toString();
          lnx = Math.log(Number('0.' + s.slice(0, 17))) + s.length * Math.LN10;
        } else {
          const x = toFloatArg(cx, v);
          if (!(x > 0) && x === x) throw valueError('math domain error');
          lnx = Math.log(x);
        }
        if (args.length === 1) return lnx;
        const b = toFloatArg(cx, args[1]);
        if (!(b > 0)) throw valueError('math domain error');
        const lnb = Math.log(b);
        if (lnb === 0) throw new PyException('ZeroDivisionError', 'float division by zero');
        return lnx / lnb;
      }),
      log10: mathFn('log10', Math.log10, (x) => x > 0 || x !== x),
      log2: mathFn('log2', Math.log2, (x) => x > 0 || x !== x),
      log1p: mathFn('log1p', Math.log1p, (x) => x > -1 || x !== x),
      expm1: mathFn('expm1', Math.expm1),
      sin: mathFn('sin', Math.sin, (x) => Number.isFinite(x) || x !== x),
      cos: mathFn('cos', Math.cos, (x) => Number.isFinite(x) || x !== x),
      tan: mathFn('tan', Math.tan, (x) => Number.isFinite(x) || x !== x),
      asin: mathFn('asin', Math.asin, (x) => (x >= -1 && x <= 1) || x !== x),
      acos: mathFn('acos', Math.acos, (x) => (x >= -1 && x <= 1) || x !== x),
      atan: mathFn('atan', Math.atan),
      sinh: mathFn('sinh', Math.sinh),
      cosh: mathFn('cosh', Math.cosh),
      tanh: mathFn('tanh', Math.tanh),
      fabs: mathFn('fabs', Math.abs),
      degrees: mathFn('degrees', (x) => (x * 180) / Math.PI),
      radians: mathFn('radians', (x) => (x * Math.PI) / 180),
      atan2: new Builtin('atan2', (args, _kwargs, cx) => Math.atan2(toFloatArg(cx, args[0]), toFloatArg(cx, args[1]))),
      hypot: new Builtin('hypot', (args, _kwargs, cx) => hypot(args.map((v) => toFloatArg(cx, v)))),
      pow: new Builtin('pow', (args, _kwargs, cx) => {
        checkArgs('pow', args, 2, 2);
        const x = toFloatArg(cx, args[0]);
        const y = toFloatArg(cx, args[1]);
        if (x === 0 && y < 0) throw valueError('math domain error');
        if (x < 0 && !Number.isInteger(y) && Number.isFinite(y)) throw valueError('math domain error');
        return floatPow(x, y);
      }),
      floor: new Builtin('floor', (args, _kwargs, cx) => intRound(cx, args, Math.floor, 'floor')),
      ceil: new Builtin('ceil', (args, _kwargs, cx) => intRound(cx, args, Math.ceil, 'ceil')),
      trunc: new Builtin('trunc', (args, _kwargs, cx) => intRound(cx, args, Math.trunc, 'trunc')),
      isnan: new Builtin('isnan', (args, _kwargs, cx) => {
        const x = toFloatArg(cx, args[0]);
        return x !== x;
      }),
      isinf: new Builtin('isinf', (args, _kwargs, cx) => {
        const x = toFloatArg(cx, args[0]);
        return x === Infinity || x === -Infinity;
      }),
      isfinite: new Builtin('isfinite', (args, _kwargs, cx) => Number.isFinite(toFloatArg(cx, args[0]))),
      isclose: new Builtin('isclose', (args, kwargs, cx) => {
        const k = kwarg('isclose', kwargs, ['rel_tol', 'abs_tol']);
        const a = toFloatArg(cx, args[0]);
        const b = toFloatArg(cx, args[1]);
        const rel = k.rel_tol !== undefined ? toFloatArg(cx, k.rel_tol) : 1e-9;
        const abs = k.abs_tol !== undefined ? toFloatArg(cx, k.abs_tol) : 0;
        if (a === b) return true;
        if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
        const diff = Math.abs(b - a);
        return diff <= Math.abs(rel * b) || diff <= Math.abs(rel * a) || diff <= abs;
      }),
      copysign: new Builtin('copysign', (args, _kwargs, cx) => {
        const x = Math.abs(toFloatArg(cx, args[0]));
        const y = toFloatArg(cx, args[1]);
        return y < 0 || Object.is(y, -0) ? -x : x;
      }),
      fmod: new Builtin('fmod', (args, _kwargs, cx) => {
        const y = toFloatArg(cx, args[1]);
        if (y === 0) throw valueError('math domain error');
        return toFloatArg(cx, args[0]) % y;
      }),
      factorial: new Builtin('factorial', (args, _kwargs, cx) => {
        const v = args[0];
        if (typeof v !== 'bigint') throw typeError(`'${typeName(cx, v)}' object cannot be interpreted as an integer`);
        if (v < 0n) throw valueError('factorial() not defined for negative values');
        let r = 1n;
        for (let i = 2n; i <= v; i++) r *= i;
        return r;
      }),
      gcd: new Builtin('gcd', (args, _kwargs, cx) => {
        let g = 0n;
        for (const a of args) {
          let x = asInt(cx, a);
          if (x < 0n) x = -x;
          let y = g;
          while (y) [x, y] = [y, x % y];
          g = x;
        }
        return g;
      }),
      lcm: new Builtin('lcm', (args, _kwargs, cx) => {
        let l = 1n;
        for (const a of args) {
          const x = asInt(cx, a);
          if (x === 0n) return 0n;
          let [p, q] = [l, x < 0n ? -x : x];
          while (q) [p, q] = [q, p % q];
          l = (l / p) * (x < 0n ? -x : x);
        }
        return l;
      }),
      comb: new Builtin('comb', (args, _kwargs, cx) => {
        checkArgs('comb', args, 2, 2);
        const [n, k] = [asInt(cx, args[0]), asInt(cx, args[1])];
        if (n < 0n) throw valueError('n must be a non-negative integer');
        if (k < 0n) throw valueError('k must be a non-negative integer');
        return k > n ? 0n : fallingFactorial(n, k < n - k ? k : n - k, true);
      }),
      perm: new Builtin('perm', (args, _kwargs, cx) => {
        checkArgs('perm', args, 1, 2);
        const n = asInt(cx, args[0]);
        const k = args.length > 1 && args[1] !== null ? asInt(cx, args[1]) : n;
        if (n < 0n) throw valueError('n must be a non-negative integer');
        if (k < 0n) throw valueError('k must be a non-negative integer');
        return k > n ? 0n : fallingFactorial(n, k, false);
      }),
      isqrt: new Builtin('isqrt', (args, _kwargs, cx) => {
        checkArgs('isqrt', args, 1, 1);
        const n = asInt(cx, args[0]);
        if (n < 0n) throw valueError('isqrt() argument must be nonnegative');
        if (n < 2n) return n;
        // Newton's iteration from above, on exact integers
        let x = 1n << (BigInt(n.toString(2).length) / 2n + 1n); // above the root
        for (;;) {
          const y = (x + n / x) / 2n;
          if (y >= x) return x;
          x = y;
        }
      }),
      fsum: new Builtin('fsum', (args, _kwargs, cx) => {
        // Exact summation (Shewchuk), like CPython's math.fsum.
        const partials: number[] = [];
        const next = iterate(cx, args[0]);
        for (let v = next(); v !== undefined; v = next()) {
          let x = toFloatArg(cx, v);
          let i = 0;
          for (const y0 of partials) {
            let y = y0;
            if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
            const hi = x + y;
            const lo = y - (hi - x);
            if (lo) partials[i++] = lo;
            x = hi;
          }
          partials.length = i;
          partials.push(x);
        }
        return partials.reduce((a, b) => a + b, 0);
      }),
      prod: new Builtin('prod', (args, _kwargs, cx) => {
        let total: Value = 1n;
        const next = iterate(cx, args[0]);
        for (let v = next(); v !== undefined; v = next()) total = binaryOp(cx, '*', total, v);
        return total;
      }),
      dist: new Builtin('dist', (args, _kwargs, cx) => {
        const p = iterableToArray(cx, args[0]).map((v) => toFloatArg(cx, v));
        const q = iterableToArray(cx, args[1]).map((v) => toFloatArg(cx, v));
        return hypot(p.map((x, i) => x - q[i]));
      }),
    }, MATH_NOT_YET),
};

/** CPython's math functions GradLab does not have: using one says so by name. */
const MATH_NOT_YET = ['erf', 'erfc', 'gamma', 'lgamma', 'remainder', 'modf', 'frexp', 'ldexp', 'exp2', 'cbrt', 'nextafter', 'ulp', 'asinh', 'acosh', 'atanh'];

function intRound(cx: Context, args: Value[], f: (x: number) => number, name: string): Value {
  checkArgs(name, args, 1, 1);
  const v = args[0];
  if (typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  const x = toFloatArg(cx, v);
  return floatToInt(f(x));
}
