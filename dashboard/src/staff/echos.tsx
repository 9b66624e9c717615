import type { AlexaEcho, AlexaPairingCode, Home } from '@mimamori/contract';
import { useState } from 'preact/hooks';
import { call } from '../api.js';
import { ErrorNote, Loaded, useLoad } from '../components/common.js';
import { t } from '../i18n/index.js';
import { when } from '../time.js';

/**
 * A home's Amazon Echos (docs/speakers.md, Alexa): a one-time pairing code for the resident to
 * say to the skill, with what to do, and the Echos paired, each with whether it may ring at
 * check-in times and what waits for the resident to open the skill; unpairing one is audited.
 */
export function EchoPairing({ home, onChanged }: { home: Home; onChanged?: () => void }) {
  const echos = useLoad(() => call('GET /api/homes/:id/alexa/echos', { params: { id: home.id } }), [home.id]);
  const [code, setCode] = useState<AlexaPairingCode | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const attempt = async (work: () => Promise<void>) => {
    setError(undefined);
    try {
      await work();
    } catch (e) {
      setError(e);
    }
  };
  const issue = () =>
    attempt(async () => setCode(await call('POST /api/homes/:id/alexa/pairing-codes', { params: { id: home.id } })));
  const unpair = (echo: AlexaEcho) =>
    attempt(async () => {
      if (!confirm(t('echo.unpairConfirm'))) return;
      await call('DELETE /api/homes/:id/alexa/echos/:deviceId', { params: { id: home.id, deviceId: echo.deviceId } });
      void echos.reload();
      onChanged?.();
    });
  return (
    <details class="stack">
      <summary>{t('echo.title')}</summary>
      <p>{t('echo.lead')}</p>
      <p class="caution">{t('echo.privacy')}</p>
      <Loaded data={echos.data} error={echos.error}>
        {({ items }) =>
          items.length === 0 ? (
            <p class="muted">{t('echo.none')}</p>
          ) : (
            <ul class="plain">
              {items.map((echo) => (
                <li key={echo.deviceId}>
                  {t('echo.paired', { at: when(echo.pairedAt, home.timezone) })}・
                  {echo.lastSeenAt
                    ? t('echo.lastUsed', { at: when(echo.lastSeenAt, home.timezone) })
                    : t('echo.neverUsed')}
                  ・{echo.remindersGranted ? t('echo.reminders') : t('echo.noReminders')}
                  {echo.waiting.prompts > 0 && `・${t('echo.waiting', { count: echo.waiting.prompts })}`}
                  {!echo.online && `・${t('echo.disabled')}`}{' '}
                  <button type="button" class="link" onClick={() => void unpair(echo)}>
                    {t('echo.unpair')}
                  </button>
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
      {code ? (
        <div class="pairing stack" aria-live="polite">
          <p>
            {t('echo.code')}: <strong class="pairing-code">{code.code}</strong>
          </p>
          <p class="muted">{t('echo.codeValid', { at: when(code.expiresAt, home.timezone) })}</p>
          <ol>
            <li>{t('echo.step1')}</li>
            <li>{t('echo.step2', { code: code.code })}</li>
            <li>{t('echo.step3')}</li>
          </ol>
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setCode(undefined);
              void echos.reload();
              onChanged?.();
            }}
          >
            {t('echo.done')}
          </button>
        </div>
      ) : (
        <button type="button" class="secondary" onClick={() => void issue()}>
          {t('echo.issue')}
        </button>
      )}
      <ErrorNote error={error} />
    </details>
  );
}
