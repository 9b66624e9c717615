export { systemClock, ManualClock, type Clock } from '@mimamori/contract';
export { SerialRunner } from './serial-runner.js';
