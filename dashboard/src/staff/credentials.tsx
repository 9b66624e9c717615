import type { Device, DeviceCredentials, Home } from '@mimamori/contract';
import QRCode from 'qrcode';
import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n/index.js';
import { when } from '../time.js';

/** What an installer's app or the device reads from the QR code: everything it needs to connect. */
const installerPayload = (credentials: DeviceCredentials) =>
  JSON.stringify({
    mqtt: credentials.mqttUrl,
    username: credentials.username,
    password: credentials.password,
    topics: credentials.topics,
  });

/**
 * A device's new credentials, shown this once (the hub keeps only a hash): as text to type in,
 * as a QR code for the installer, and as a printable Japanese set-up card.
 */
export function CredentialsPanel({
  home,
  device,
  credentials,
  onClose,
}: {
  home: Home;
  device: Device;
  credentials: DeviceCredentials;
  onClose: () => void;
}) {
  const [qr, setQr] = useState<string | undefined>(undefined);
  useEffect(() => {
    void QRCode.toDataURL(installerPayload(credentials), { errorCorrectionLevel: 'M', margin: 2, width: 240 }).then(
      setQr,
    );
  }, [credentials]);
  const kind = t(`deviceKind.${device.kind}`);
  const name = device.name ? `${kind}（${device.name}）` : kind;
  return (
    <section class="credentials print-card" aria-labelledby={`credentials-${device.id}`} data-testid="credentials">
      <h3 id={`credentials-${device.id}`} class="screen-only">
        {t('devices.credentialsTitle', { name })}
      </h3>
      <h3 class="print-only">{t('devices.cardTitle')}</h3>
      <p class="caution screen-only">{t('devices.credentialsOnce')}</p>
      <dl class="facts">
        <dt class="print-only">{t('devices.cardHome')}</dt>
        <dd class="print-only">
          {home.name}
          {home.address ? `（${home.address}）` : ''}
        </dd>
        <dt class="print-only">{t('devices.cardDevice')}</dt>
        <dd class="print-only">
          {t(`deviceKind.${device.kind}`)} {device.name ?? ''}
        </dd>
        <dt>{t('devices.mqttUrl')}</dt>
        <dd>
          <code data-credential="mqttUrl">{credentials.mqttUrl}</code>
        </dd>
        <dt>{t('devices.usernameLabel')}</dt>
        <dd>
          <code data-credential="username">{credentials.username}</code>
        </dd>
        <dt>{t('devices.secret')}</dt>
        <dd>
          <code data-credential="password">{credentials.password}</code>
        </dd>
        <dt>{t('devices.topics')}</dt>
        <dd>
          <code data-credential="topicPrefix">{credentials.topicPrefix}/…</code>
        </dd>
        <dt class="print-only">{t('devices.cardIssued')}</dt>
        <dd class="print-only">{when(credentials.issuedAt, home.timezone)}</dd>
      </dl>
      {qr && <img class="qr" src={qr} width={240} height={240} alt={t('devices.qr')} />}
      <p class="print-only small">{t('devices.cardNote')}</p>
      <div class="row screen-only">
        <button type="button" class="secondary" onClick={() => window.print()}>
          {t('devices.print')}
        </button>
        <button type="button" class="link" onClick={onClose}>
          {t('devices.hideCredentials')}
        </button>
      </div>
    </section>
  );
}
