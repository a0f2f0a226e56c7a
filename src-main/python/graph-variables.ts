// The program's variables as the graph views name tensors: module-level names, and the items
// of lists, tuples and dicts held in them one level down (`params[0]`, `model['w']`).
import type { Runtime } from './runtime';
import { PyDict, PyList, PyTuple } from './values';

export function* programVariables(rt: Runtime): Generator<readonly [string, unknown]> {
  for (const [name, cell] of rt.globals) {
    const value = cell.value;
    if (value === undefined) continue;
    yield [name, value];
    if (value instanceof PyList || value instanceof PyTuple) {
      for (let i = 0; i < value.items.length; i++) yield [`${name}[${i}]`, value.items[i]];
    } else if (value instanceof PyDict) {
      for (const [key, item] of value.map.values()) if (typeof key === 'string') yield [`${name}['${key}']`, item];
    }
  }
}
