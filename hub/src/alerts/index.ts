export { AlertService, AlertActionError, type Actor, type AlertServiceDeps, type AlertNotification, type Recipient } from './alert-service.js';
