import type { Scenario } from './scenario.js';

export const normal: Scenario = {
  description: 'daily routines only',
  start: () => {},
};
