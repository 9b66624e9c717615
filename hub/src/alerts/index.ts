export { AlertService, AlertActionError, type AlertServiceDeps } from './alert-service.js';
export type { Actor } from './lifecycle.js';
export type { EscalationState } from './escalation.js';
export { AlertFeed } from './alert-feed.js';
export { foldIncident, incidentsOf, type ReplayedAlert, type ReplayedIncident } from './incident.js';
