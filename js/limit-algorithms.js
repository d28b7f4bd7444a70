// The rate limiter's algorithms by the core's numbering (limit::Algorithm, js/seam/limit.js), as
// options name them: the local limiter and the store scripts both send these numbers.
import { AlgorithmNames } from './seam/limit.js';

export const ALGORITHMS = Object.freeze(AlgorithmNames.map((name) => name.replace(/_/g, '-')));
