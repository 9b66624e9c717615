export { Lifecycle, type Component } from './lifecycle.js';
