// Placeholder until the dashboard issue (#6): shows whether the hub answers.
const app = document.querySelector('#app');
fetch('/health')
  .then((response) => response.json() as Promise<{ status: string }>)
  .then((health) => {
    const line = document.createElement('p');
    line.textContent = health.status === 'ok' ? 'ハブは正常に動作しています。' : 'ハブの一部に問題があります。';
    app?.append(line);
  })
  .catch(() => undefined);
