// The methods of float and int.
import { asInt } from '../args';
import { PyException } from '../errors';
import { roundFloat } from '../numfmt';
import type { MethodImpl } from '../values';

/** The methods of float. */
export const FLOAT_METHODS: Readonly<Record<string, MethodImpl>> = {
  is_integer: (x: number) => Number.isInteger(x),
  __round__: (x: number, a, _kw, cx) => roundFloat(x, Number(asInt(cx, a[0] ?? 0n))),
  hex: (_self, _a, _kw, cx) => {
    throw new PyException('NotImplementedError', `GradLab does not support float.hex() yet (line ${cx.line})`);
  },
};
/** The methods of int. */
export const INT_METHODS: Readonly<Record<string, MethodImpl>> = {
  bit_length: (n: bigint) => BigInt((n < 0n ? -n : n).toString(2).replace(/^0$/, '').length),
};
