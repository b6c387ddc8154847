/** The head contract lives in @lookright/core (extension point `head`); train's modules import it from here. */
export type { HeadBuildSpec, ScoredPositions, TokenHead } from '@lookright/core';
