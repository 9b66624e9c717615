import type { PushSubscriptionInput } from '@mimamori/contract';
import { useState } from 'preact/hooks';
import { call } from '../api.js';
import { errorText } from '../problems.js';
import { t } from '../i18n.js';

/** Subscribes this phone to Web Push through the service worker (sw.js), with the hub's VAPID key. */
export function PushToggle() {
  const [state, setState] = useState<'idle' | 'on' | 'error'>('idle');
  const [error, setError] = useState('');
  if (!('serviceWorker' in navigator) || !('PushManager' in window)) return null;
  const subscribe = async () => {
    try {
      const { publicKey } = await call('GET /api/push/key');
      const registration = await navigator.serviceWorker.ready;
      const subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: base64UrlToBytes(publicKey),
      });
      await call('POST /api/me/push-subscriptions', { body: subscription.toJSON() as PushSubscriptionInput });
      setState('on');
    } catch (e) {
      setError(errorText(e));
      setState('error');
    }
  };
  return (
    <p class="push">
      {state === 'on' ? (
        <span class="calm">{t('notificationsOn')}</span>
      ) : (
        <button class="secondary" onClick={subscribe}>
          {t('notifications')}
        </button>
      )}
      {state === 'error' && <span class="error"> {error}</span>}
    </p>
  );
}

function base64UrlToBytes(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(
    text
      .replaceAll('-', '+')
      .replaceAll('_', '/')
      .padEnd(Math.ceil(text.length / 4) * 4, '='),
  );
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
