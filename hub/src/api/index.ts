export { buildApi, type ApiDeps } from './app.js';
export { ERROR_CODES, type ErrorCode } from './errors.js';
export { apiServer } from './server.js';
