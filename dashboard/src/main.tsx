import { render } from 'preact';
import { App } from './app.js';
import './style.css';

// Links in earlier e-mails and push messages point at /#/alerts/…; the same page is /alerts/… now.
if (location.hash.startsWith('#/')) history.replaceState(null, '', location.hash.slice(1));
render(<App />, document.getElementById('app') as HTMLElement);
if ('serviceWorker' in navigator) void navigator.serviceWorker.register('/sw.js').catch(() => undefined);
