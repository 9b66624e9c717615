export { hashPassword, verifyPassword } from './passwords.js';
export { passwordProblem, passwordRefusal, MIN_PASSWORD_LENGTH, type PasswordRefusal } from './password-policy.js';
export { DEFAULT_LOGIN_LIMITS, LoginThrottle, type LoginThrottleOptions } from './login-throttle.js';
