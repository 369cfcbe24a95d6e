import { problemResponse } from '../problem';

/** The problems every authenticated route may answer. */
export const authProblems = {
  401: problemResponse('No API key, or not a valid one'),
  403: problemResponse('The API key lacks the scope this operation needs'),
  429: problemResponse(
    'Too many requests with this API key, or too many failed authentications from this address; see Retry-After',
  ),
  503: problemResponse('The payment engine (Temporal) is unavailable; retry later'),
} as const;

/** A payment that does not exist, or belongs to another client: the two are indistinguishable on purpose. */
export const notFoundProblem = { 404: problemResponse('No such payment for this client') } as const;
