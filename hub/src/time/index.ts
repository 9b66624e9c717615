export { systemClock, ManualClock, type Clock } from './clock.js';
export { SerialRunner } from './serial-runner.js';
