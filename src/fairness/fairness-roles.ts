/** What a block's `fairness=` attribute may name: the block whose outputs are checked, or the training block. */
export type FairnessRole = 'predictions' | 'training';

export const FAIRNESS_ROLES: readonly FairnessRole[] = ['predictions', 'training'];
