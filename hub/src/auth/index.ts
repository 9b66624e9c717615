export { hashPassword, verifyPassword } from './passwords.js';
export { passwordProblem, MIN_PASSWORD_LENGTH } from './password-policy.js';
export { DEFAULT_LOGIN_LIMITS, LoginThrottle, type LoginThrottleOptions } from './login-throttle.js';
