// Built-in functions on numbers: abs, round, pow, divmod, chr, ord, hex, bin, oct.
import { asInt, checkArgs, kwarg, toFloat } from '../args';
import { PyException, typeError, valueError } from '../errors';
import { roundFloat, roundHalfEven } from '../numfmt';
import { callMethod } from '../attributes';
import { typeName } from '../objects';
import { binaryOp, floatFloorDiv, floatMod, nativeOf } from '../ops';
import { PyTuple, type NativeFn } from '../values';

/** abs, round, pow, divmod and the int <-> text conversions. */
export const NUMBER_BUILTINS: Readonly<Record<string, NativeFn>> = {
  abs: (args, _kwargs, cx) => {
    checkArgs('abs', args, 1, 1);
    const v = args[0];
    if (typeof v === 'number') return Math.abs(v);
    if (typeof v === 'bigint') return v < 0n ? -v : v;
    if (typeof v === 'boolean') return v ? 1n : 0n;
    if (nativeOf(cx, v)) return callMethod(cx, v, 'abs', [], null);
    throw typeError(`bad operand type for abs(): '${typeName(cx, v)}'`);
  },

  round: (args, kwargs, cx) => {
    const k = kwarg('round', kwargs, ['ndigits']);
    checkArgs('round', args, 1, 2);
    const v = args[0];
    const nd = args.length > 1 ? args[1] : k.ndigits;
    if (typeof v === 'number') {
      if (nd === undefined || nd === null) {
        if (v !== v) throw valueError('cannot convert float NaN to integer');
        if (!Number.isFinite(v)) throw new PyException('OverflowError', 'cannot convert float infinity to integer');
        return BigInt(roundHalfEven(v));
      }
      return roundFloat(v, Number(asInt(cx, nd)));
    }
    if (typeof v === 'bigint' || typeof v === 'boolean') {
      const n = typeof v === 'bigint' ? v : v ? 1n : 0n;
      if (nd === undefined || nd === null) return n;
      const d = asInt(cx, nd);
      if (d >= 0n) return n;
      const p = 10n ** -d;
      const q = n / p;
      const r = n - q * p;
      let res = q;
      const twice = 2n * (r < 0n ? -r : r);
      if (twice > p || (twice === p && (q & 1n) === 1n)) res += n < 0n ? -1n : 1n;
      return res * p;
    }
    if (nativeOf(cx, v)) {
      if (nd === undefined || nd === null) return callMethod(cx, v, 'round', [], null);
      return callMethod(cx, v, 'round', [], new Map([['decimals', nd]]));
    }
    throw typeError(`type ${typeName(cx, v)} doesn't define __round__ method`);
  },

  pow: (args, _kwargs, cx) => {
    checkArgs('pow', args, 2, 3);
    if (args.length === 3) {
      if (!args.every((a) => typeof a === 'bigint' || typeof a === 'boolean')) {
        throw typeError('pow() 3rd argument not allowed unless all arguments are integers');
      }
      const [b, e, m] = args.map((a) => asInt(cx, a));
      if (m === 0n) throw valueError('pow() 3rd argument cannot be 0');
      return modPow(b, e, m);
    }
    return binaryOp(cx, '**', args[0], args[1]);
  },

  divmod: (args, _kwargs, cx) => {
    checkArgs('divmod', args, 2, 2);
    const [a, b] = args;
    if (typeof a === 'number' || typeof b === 'number') {
      const x = toFloat(cx, a);
      const y = toFloat(cx, b);
      if (y === 0) throw new PyException('ZeroDivisionError', 'float divmod()');
      return new PyTuple([floatFloorDiv(x, y), floatMod(x, y)]);
    }
    return new PyTuple([binaryOp(cx, '//', a, b), binaryOp(cx, '%', a, b)]);
  },

  chr: (args, _kwargs, cx) => {
    checkArgs('chr', args, 1, 1);
    const code = asInt(cx, args[0]);
    if (code < -(2n ** 31n) || code >= 2n ** 31n) throw new PyException('OverflowError', 'Python int too large to convert to C int');
    if (code < 0n || code > 0x10ffffn) throw valueError('chr() arg not in range(0x110000)');
    return String.fromCodePoint(Number(code));
  },
  ord: (args, _kwargs, cx) => {
    checkArgs('ord', args, 1, 1);
    const s = args[0];
    if (typeof s !== 'string' || Array.from(s).length !== 1) {
      throw typeError(typeof s === 'string' ? `ord() expected a character, but string of length ${Array.from(s).length} found` : `ord() expected string of length 1, but ${typeName(cx, s)} found`);
    }
    return BigInt(s.codePointAt(0)!);
  },
  hex: (args, _kwargs, cx) => {
    const n = asInt(cx, args[0]);
    return (n < 0n ? '-0x' : '0x') + (n < 0n ? -n : n).toString(16);
  },
  bin: (args, _kwargs, cx) => {
    const n = asInt(cx, args[0]);
    return (n < 0n ? '-0b' : '0b') + (n < 0n ? -n : n).toString(2);
  },
  oct: (args, _kwargs, cx) => {
    const n = asInt(cx, args[0]);
    return (n < 0n ? '-0o' : '0o') + (n < 0n ? -n : n).toString(8);
  },
};

/** pow(b, e, m) as CPython computes it: a negative e uses b's inverse; the result has m's sign. */
function modPow(b: bigint, e: bigint, m: bigint): bigint {
  const n = m < 0n ? -m : m;
  let base = ((b % n) + n) % n;
  let exp = e;
  if (exp < 0n) {
    base = modInverse(base, n);
    exp = -exp;
  }
  let result = 1n % n;
  while (exp > 0n) {
    if (exp & 1n) result = (result * base) % n;
    base = (base * base) % n;
    exp >>= 1n;
  }
  return m < 0n && result !== 0n ? result + m : result;
}

function modInverse(a: bigint, n: bigint): bigint {
  let [r0, r1] = [n, a];
  let [t0, t1] = [0n, 1n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [t0, t1] = [t1, t0 - q * t1];
  }
  if (r0 !== 1n) throw valueError('base is not invertible for the given modulus');
  return ((t0 % n) + n) % n;
}
