export { systemJobs } from './system-jobs.js';
