// The program's variables as the graph views name tensors: module-level names, and the items
// of lists, tuples and dicts held in them one level down (`params[0]`, `model['w']`).
import type { Interpreter } from './interpreter';
import { PyDict, PyList, PyTuple } from './values';

export function* programVariables(ip: Interpreter): Generator<readonly [string, unknown]> {
  for (const [name, cell] of ip.globals) {
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
