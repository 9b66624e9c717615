export { CheckinService, type CheckinServiceDeps } from './checkin-service.js';
export { cronProblem, nextAfter } from './cron.js';
export { recordView, scheduleView, statusView } from './views.js';
