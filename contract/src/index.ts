export * from './ids.js';
export * from './time.js';
export * from './events.js';
export * from './commands.js';
export * from './topics.js';
export * from './api.js';
export * from './min-heap.js';
export * from './checkins.js';
