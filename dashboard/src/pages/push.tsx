import type { PushSubscriptionInput } from '@mimamori/contract';
import { useState } from 'preact/hooks';
import { call } from '../api.js';
import { ErrorNote } from '../components/common.js';
import { t } from '../i18n/index.js';

/** Subscribes this phone to Web Push through the service worker (sw.js), with the hub's VAPID key. */
export function PushToggle() {
  const [on, setOn] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
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
      setOn(true);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div class="push">
      {on ? (
        <p class="calm">{t('push.on')}</p>
      ) : (
        <button class="secondary" onClick={subscribe}>
          {t('push.subscribe')}
        </button>
      )}
      <ErrorNote error={error} />
    </div>
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
