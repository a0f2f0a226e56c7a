// The `collections` module's part learners meet with PyTorch: OrderedDict (nn.Sequential(OrderedDict(...)),
// the type of a state_dict()). The other names say plainly that GradLab does not have them yet.
import type { ModuleDefinition } from '../module-registry';
import { BUILTIN_TYPES } from '../types';
import { makeModule } from '../values';

const UNSUPPORTED_COLLECTIONS = ['defaultdict', 'Counter', 'deque', 'namedtuple', 'ChainMap', 'UserDict', 'UserList', 'UserString', 'abc'];

export const collectionsModule: ModuleDefinition = {
  name: 'collections',
  create: () => makeModule('collections', { OrderedDict: BUILTIN_TYPES.get('OrderedDict')! }, UNSUPPORTED_COLLECTIONS),
};
