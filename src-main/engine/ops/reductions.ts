// The reduction family: sums and means (reductions-sum.ts), the element-picking reductions
// max/min/argmax/median/kthvalue/mode (reductions-select.ts), products and any/all
// (reductions-prod.ts), sort and topk (reductions-sort.ts). One op list for the registry.
import { PROD_OPS } from './reductions-prod';
import { SELECT_OPS } from './reductions-select';
import { SORT_OPS } from './reductions-sort';
import { SUM_OPS } from './reductions-sum';

export const REDUCTION_OPS = { ...SUM_OPS, ...SELECT_OPS, ...PROD_OPS, ...SORT_OPS };

export { mean, sum, sumDType, sumTo } from './reductions-sum';
export { argmax, kthvalue, max, maxDim, medianDim, mode } from './reductions-select';
export { anyAll, prod } from './reductions-prod';
export { sort, topk } from './reductions-sort';
