// set and frozenset, laid out as CPython 3.11's setobject.c lays them out (open addressing over a
// power-of-two table, linear probes then perturbation, resizing at 60 % fill), with CPython's hash
// for ints, floats, bools and tuples — so `print({3, 1, 2, 10})` shows CPython's order
// ({10, 1, 2, 3}). Strings hash differently in every CPython process (hash randomisation), so
// their order here is one of the orders CPython may print.
import type { Value } from './context';
import { typeError } from './errors';
import { HASH_KEY, hashKey, PyTuple } from './values';
import { guardAllocation } from '../engine';
import { SLOT_BYTES } from './sizes';

const MODULUS = (1n << 61n) - 1n;
const MASK64 = (1n << 64n) - 1n;
const XXPRIME_1 = 11400714785074694791n;
const XXPRIME_2 = 14029467366897019727n;
const XXPRIME_5 = 2870177450012600261n;
const MIN_SIZE = 8;
const LINEAR_PROBES = 9;
const PERTURB_SHIFT = 5n;

/** CPython's hash of an int: n mod (2**61 - 1) with the sign of n, -1 becoming -2. */
function hashInt(n: bigint): bigint {
  const h = n < 0n ? -(-n % MODULUS) : n % MODULUS;
  return h === -1n ? -2n : h;
}

/** CPython's _Py_HashDouble (integral floats hash like the equal int). */
function hashFloat(x: number): bigint {
  if (!Number.isFinite(x)) return x !== x ? 0n : x > 0 ? 314159n : -314159n;
  if (Number.isInteger(x)) return hashInt(BigInt(x));
  let m = Math.abs(x);
  const sign = x < 0 ? -1n : 1n;
  // frexp: m in [0.5, 1), x = m * 2**e
  let e = Math.floor(Math.log2(m)) + 1;
  m = m / 2 ** e;
  if (m >= 1) {
    m /= 2;
    e += 1;
  } else if (m < 0.5) {
    m *= 2;
    e -= 1;
  }
  let h = 0n;
  while (m !== 0) {
    h = ((h << 28n) & MODULUS) | (h >> (61n - 28n));
    m *= 268435456;
    e -= 28;
    const y = Math.floor(m);
    m -= y;
    h += BigInt(y);
    if (h >= MODULUS) h -= MODULUS;
  }
  const shift = BigInt(e >= 0 ? e % 61 : 61 - 1 - ((-1 - e) % 61));
  h = ((h << shift) & MODULUS) | (h >> (61n - shift));
  h *= sign;
  return h === -1n ? -2n : h;
}

function hashString(s: string): bigint {
  // FNV-1a over UTF-16 units: deterministic (CPython's is randomised per process anyway)
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < s.length; i++) h = ((h ^ BigInt(s.charCodeAt(i))) * 0x100000001b3n) & MASK64;
  return BigInt.asIntN(64, h) === -1n ? -2n : BigInt.asIntN(64, h);
}

const objectHashes = new WeakMap<object, bigint>();
let nextObjectHash = 0x7f3a2c00100n;

/** Python's hash() for hashable values (unhashable ones raise TypeError, as hashKey does). */
export function pyHash(v: Value): bigint {
  switch (typeof v) {
    case 'bigint':
      return hashInt(v);
    case 'boolean':
      return v ? 1n : 0n;
    case 'number':
      return hashFloat(v);
    case 'string':
      return hashString(v);
  }
  if (v === null || v === undefined) return 0x7f3a2c0n;
  if (v instanceof PyTuple) {
    let acc = XXPRIME_5;
    for (const item of v.items) {
      const lane = BigInt.asUintN(64, pyHash(item));
      acc = (acc + lane * XXPRIME_2) & MASK64;
      acc = ((acc << 31n) | (acc >> 33n)) & MASK64;
      acc = (acc * XXPRIME_1) & MASK64;
    }
    acc = (acc + (BigInt(v.items.length) ^ (XXPRIME_5 ^ 3527539n))) & MASK64;
    const h = BigInt.asIntN(64, acc);
    return h === -1n ? 1546275796n : h;
  }
  hashKey(v); // raises TypeError for unhashable values
  if (v instanceof PySet) return frozensetHash(v);
  const o = v as object;
  let h = objectHashes.get(o);
  if (h === undefined) {
    h = nextObjectHash;
    nextObjectHash += 0x4n;
    objectHashes.set(o, h);
  }
  return h;
}

/** CPython's frozenset_hash: shuffled member hashes xor-ed (order-free), then dispersed. */
function frozensetHash(s: PySet): bigint {
  const shuffle = (h: bigint): bigint => (((h ^ 89869747n) ^ ((h << 16n) & MASK64)) * 3644798167n) & MASK64;
  let h = 0n;
  for (const x of s) h ^= shuffle(BigInt.asUintN(64, pyHash(x)));
  h ^= ((BigInt(s.size) + 1n) * 1927868237n) & MASK64;
  h ^= (h >> 11n) ^ (h >> 25n);
  h = (h * 69069n + 907133923n) & MASK64;
  const signed = BigInt.asIntN(64, h);
  return signed === -1n ? 590923713n : signed;
}

const EMPTY = 0;
const ACTIVE = 1;
const DUMMY = 2;

export class PySet implements Iterable<Value> {
  private state: Uint8Array = new Uint8Array(MIN_SIZE);
  private keys: Value[] = new Array(MIN_SIZE);
  /** hashKey of each key (what equality compares) and its CPython hash. */
  private ids: unknown[] = new Array(MIN_SIZE);
  private hashes: bigint[] = new Array(MIN_SIZE);
  private mask = MIN_SIZE - 1;
  private fill = 0;
  private used = 0;

  constructor(
    items: Iterable<Value> = [],
    /** frozenset */
    readonly frozen = false,
  ) {
    for (const x of items) this.add(x);
  }

  get size(): number {
    return this.used;
  }

  /** Dict keys and set members: a frozenset by its members (order-free); a set is unhashable. */
  [HASH_KEY](): unknown {
    if (!this.frozen) throw typeError("unhashable type: 'set'");
    const parts = this.items().map((x) => {
      const k = hashKey(x);
      return typeof k === 'object' || typeof k === 'function' ? `o${String(pyHash(x))}` : `${typeof k}:${String(k)}`;
    });
    return 'f(' + parts.sort().join(',') + ')';
  }

  /** The slot holding `id`, or -1. */
  private find(id: unknown, hash: bigint): number {
    const mask = this.mask;
    let i = Number(BigInt.asUintN(64, hash) & BigInt(mask));
    let perturb = BigInt.asUintN(64, hash);
    for (;;) {
      let probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
      let j = i;
      for (;;) {
        const s = this.state[j];
        if (s === EMPTY) return -1;
        if (s === ACTIVE && this.hashes[j] === hash && this.ids[j] === id) return j;
        if (probes-- === 0) break;
        j++;
      }
      perturb >>= PERTURB_SHIFT;
      i = Number((BigInt(i) * 5n + 1n + perturb) & BigInt(mask));
    }
  }

  has(v: Value): boolean {
    return this.find(hashKey(v), pyHash(v)) >= 0;
  }

  /** set_add_entry: the first free or deleted slot on the probe path, unless the key is there. */
  add(v: Value): void {
    const id = hashKey(v);
    const hash = pyHash(v);
    const mask = this.mask;
    let i = Number(BigInt.asUintN(64, hash) & BigInt(mask));
    let perturb = BigInt.asUintN(64, hash);
    let freeslot = -1;
    for (;;) {
      let probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
      let j = i;
      for (;;) {
        const s = this.state[j];
        if (s === EMPTY) {
          if (freeslot >= 0) {
            this.put(freeslot, v, id, hash);
            this.used++;
            return;
          }
          this.put(j, v, id, hash);
          this.fill++;
          this.used++;
          if (this.fill * 5 >= mask * 3) this.resize(this.used > 50000 ? this.used * 2 : this.used * 4);
          return;
        }
        if (s === ACTIVE) {
          if (this.hashes[j] === hash && this.ids[j] === id) return;
        } else if (freeslot < 0) freeslot = j;
        if (probes-- === 0) break;
        j++;
      }
      perturb >>= PERTURB_SHIFT;
      i = Number((BigInt(i) * 5n + 1n + perturb) & BigInt(mask));
    }
  }

  private put(slot: number, v: Value, id: unknown, hash: bigint): void {
    this.state[slot] = ACTIVE;
    this.keys[slot] = v;
    this.ids[slot] = id;
    this.hashes[slot] = hash;
  }

  /** set_table_resize: a table larger than `minUsed`, the keys reinserted in table order. */
  private resize(minUsed: number): void {
    let size = MIN_SIZE;
    while (size <= minUsed) size *= 2;
    // the new table's four arrays (a state byte and three slots per entry), the old one still alive
    guardAllocation(size * (1 + 3 * SLOT_BYTES));
    const old = { state: this.state, keys: this.keys, ids: this.ids, hashes: this.hashes };
    this.state = new Uint8Array(size);
    this.keys = new Array(size);
    this.ids = new Array(size);
    this.hashes = new Array(size);
    this.mask = size - 1;
    this.fill = this.used;
    for (let s = 0; s < old.state.length; s++) {
      if (old.state[s] === ACTIVE) this.insertClean(old.keys[s], old.ids[s], old.hashes[s]);
    }
  }

  private insertClean(v: Value, id: unknown, hash: bigint): void {
    const mask = this.mask;
    let i = Number(BigInt.asUintN(64, hash) & BigInt(mask));
    let perturb = BigInt.asUintN(64, hash);
    for (;;) {
      if (this.state[i] === EMPTY) return this.put(i, v, id, hash);
      if (i + LINEAR_PROBES <= mask) {
        for (let j = 1; j <= LINEAR_PROBES; j++) {
          if (this.state[i + j] === EMPTY) return this.put(i + j, v, id, hash);
        }
      }
      perturb >>= PERTURB_SHIFT;
      i = Number((BigInt(i) * 5n + 1n + perturb) & BigInt(mask));
    }
  }

  /** Removes v; false when it was not there. */
  discard(v: Value): boolean {
    const slot = this.find(hashKey(v), pyHash(v));
    if (slot < 0) return false;
    this.state[slot] = DUMMY;
    this.keys[slot] = undefined;
    this.used--;
    return true;
  }

  /** set.pop(): CPython takes the first active slot after where the last pop stopped. */
  private finger = 0;
  pop(): Value | undefined {
    if (this.used === 0) return undefined;
    let i = this.finger & this.mask;
    while (this.state[i] !== ACTIVE) i = (i + 1) & this.mask;
    const v = this.keys[i];
    this.state[i] = DUMMY;
    this.keys[i] = undefined;
    this.used--;
    this.finger = i + 1;
    return v;
  }

  clear(): void {
    this.state = new Uint8Array(MIN_SIZE);
    this.keys = new Array(MIN_SIZE);
    this.ids = new Array(MIN_SIZE);
    this.hashes = new Array(MIN_SIZE);
    this.mask = MIN_SIZE - 1;
    this.fill = 0;
    this.used = 0;
  }

  /** The keys in table order (CPython's iteration order). */
  *[Symbol.iterator](): Iterator<Value> {
    for (let i = 0; i <= this.mask; i++) if (this.state[i] === ACTIVE) yield this.keys[i];
  }

  /** A snapshot of the keys in iteration order. */
  items(): Value[] {
    return [...this];
  }

  /** set_merge: adds other's members; an empty set of the same size takes other's layout as it is. */
  merge(other: PySet): void {
    if (other === this || other.used === 0) return;
    if ((this.fill + other.used) * 5 >= this.mask * 3) this.resize((this.used + other.used) * 2);
    if (this.fill === 0 && this.mask === other.mask && other.fill === other.used) {
      this.state = other.state.slice();
      this.keys = other.keys.slice();
      this.ids = other.ids.slice();
      this.hashes = other.hashes.slice();
      this.fill = other.fill;
      this.used = other.used;
      return;
    }
    if (this.fill === 0) {
      for (let s = 0; s <= other.mask; s++) if (other.state[s] === ACTIVE) this.insertClean(other.keys[s], other.ids[s], other.hashes[s]);
      this.fill = this.used = other.used;
      return;
    }
    for (const x of other) this.add(x);
  }
}

// ---------- the set algebra ----------

/** set_copy: a new set (or frozenset) with a's members, laid out as CPython's set_merge does. */
export function setCopy(a: PySet, frozen = a.frozen): PySet {
  const out = new PySet([], frozen);
  out.merge(a);
  return out;
}

export function setMerge(into: PySet, other: PySet): void {
  into.merge(other);
}

export function setUnion(a: PySet, b: PySet): PySet {
  const out = setCopy(a);
  setMerge(out, b);
  return out;
}

export function setIntersection(a: PySet, b: PySet): PySet {
  const out = new PySet([], a.frozen);
  // CPython walks the smaller set and keeps what the larger one has
  const [small, large] = b.size > a.size ? [a, b] : [b, a];
  for (const x of small) if (large.has(x)) out.add(x);
  return out;
}

export function setDifference(a: PySet, b: PySet): PySet {
  if (a.size >> 2 > b.size) {
    const out = setCopy(a);
    for (const x of b) out.discard(x);
    return out;
  }
  const out = new PySet([], a.frozen);
  for (const x of a) if (!b.has(x)) out.add(x);
  return out;
}

/** a ^ b: CPython copies b, then toggles a's members in it. */
export function setSymmetricDifference(a: PySet, b: PySet): PySet {
  const out = setCopy(b, a.frozen);
  for (const x of a) if (!out.discard(x)) out.add(x);
  return out;
}

export function isSubset(a: PySet, b: PySet): boolean {
  if (a.size > b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

/** a OP b for two sets (| & - ^), or undefined for other operators. */
export function setBinary(op: string, a: PySet, b: PySet): PySet | undefined {
  switch (op) {
    case '|':
      return setUnion(a, b);
    case '&':
      return setIntersection(a, b);
    case '-':
      return setDifference(a, b);
    case '^':
      return setSymmetricDifference(a, b);
  }
  return undefined;
}

/** Replaces a's members with those of `result` (the in-place operators and *_update methods). */
export function setAssign(a: PySet, result: PySet): void {
  a.clear();
  setMerge(a, result);
}

/** a OP= b for a mutable set a: in place. */
export function setInplace(op: string, a: PySet, b: PySet): PySet | undefined {
  if (a.frozen) return undefined;
  if (op === '|') {
    setMerge(a, b);
    return a;
  }
  const result = setBinary(op, a, b);
  if (result === undefined) return undefined;
  setAssign(a, result);
  return a;
}

/** <, <=, >, >= between sets: subset and superset tests. */
export function setCompare(op: string, a: PySet, b: PySet): boolean | undefined {
  switch (op) {
    case '<=':
      return isSubset(a, b);
    case '<':
      return a.size < b.size && isSubset(a, b);
    case '>=':
      return isSubset(b, a);
    case '>':
      return b.size < a.size && isSubset(b, a);
  }
  return undefined;
}

/**
 * A set display `{a, b, c}`. CPython 3.11 compiles one with three or more constant members into a
 * frozenset constant that its compiler rebuilds from its own iteration order, and copies that into
 * the new set; the members' order in the printed set comes from that double build.
 */
export function setDisplay(items: Value[], allConstant: boolean): PySet {
  if (!allConstant || items.length <= 2) return new PySet(items);
  const folded = new PySet(new PySet(items).items(), true);
  return setCopy(folded, false);
}
