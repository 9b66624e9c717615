export { AlertService, type AlertServiceDeps, type AlertNotification, type Recipient } from './alert-service.js';
