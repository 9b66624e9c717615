/* global self */
// Service worker: shows the hub's Web Push messages and opens the alert when tapped.
self.addEventListener('push', (event) => {
  const data = event.data ? event.data.json() : {};
  event.waitUntil(
    self.registration.showNotification(data.title || '見守りハブ', {
      body: data.body || '',
      tag: data.tag,
      renotify: true,
      requireInteraction: true,
      data: { url: data.url || '/' },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(self.clients.openWindow(event.notification.data.url));
});
