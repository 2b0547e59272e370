/**
 * The UCI Adult setting of the mitigation experiment (docs/fairness.md, the fidelity tests, the example
 * workflow): the features a logistic regression gets, protected attribute sex with unprivileged Female, and the
 * favourable label >50K (spelled ">50K." in adult.test).
 */
import type { ExperimentSpec } from './mitigation-experiment.js';

export const ADULT_EXPERIMENT: ExperimentSpec = {
  features: {
    numeric: ['age', 'education-num', 'capital-gain', 'capital-loss', 'hours-per-week'],
    categorical: ['workclass', 'marital-status', 'occupation', 'relationship', 'race', 'sex', 'native-country'],
  },
  protected: ['sex'],
  label: 'Y',
  favourable: ['>50K', '>50K.'],
  privilege: { unprivileged: ['Female'] },
  seed: 1,
};
