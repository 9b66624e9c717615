export { DeadlineScheduler, type DeadlineAction } from './deadline-scheduler.js';
export { ALIVE_KEY, Liveness, outageNote, outageRecord, type Outage } from './liveness.js';
