/* The page script: registers the service worker and shows, in the page's language, whether the
 * whole guide is saved for offline and whether an update is waiting. Reading never needs it. */
'use strict';
(() => {
  const sw = navigator.serviceWorker;
  const line = document.getElementById('sw-status');
  const langs = ['zh', 'es', 'en'];
  const lang = location.pathname.split('/')[1];
  // Remember the language on static hosts too, where no server sets the cookie.
  if (langs.includes(lang)) {
    const secure = window.isSecureContext ? ';secure' : '';
    document.cookie = `lang=${lang};path=/;max-age=34560000;samesite=lax${secure}`;
  }
  // The static export's / : go to the remembered language, else the browser's, else zh.
  if (document.documentElement.hasAttribute('data-choose')) {
    const saved = (document.cookie.match(/(?:^|; )lang=(zh|es|en)(?:;|$)/) || [])[1];
    const browser = navigator.languages.map((l) => l.slice(0, 2)).find((l) => langs.includes(l));
    location.replace(`/${saved || browser || langs[0]}/`);
  }
  if (!sw || !line) return;

  const say = (text) => {
    line.textContent = text;
    line.hidden = false;
  };

  /** Show "saved for offline" once the active worker reports a complete precache. */
  const showStatus = (worker) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = ({ data }) => {
      if (!data.complete) return say(line.dataset.saving);
      const date = new Date(data.date).toLocaleDateString(document.documentElement.lang);
      say(line.dataset.saved.replace('{pages}', data.pages)
        .replace('{size}', Math.round(data.bytes / 1024)).replace('{date}', date));
    };
    worker.postMessage('status', [channel.port2]);
  };

  let reloading = false;
  sw.addEventListener('controllerchange', () => {
    // A first install takes control quietly; only a version the reader chose reloads the page.
    if (reloading) location.reload();
  });

  /** Offer the waiting version; activating it reloads the page once it takes control. */
  const offerUpdate = (worker) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = line.dataset.reload;
    button.addEventListener('click', () => {
      reloading = true;
      worker.postMessage('skip-waiting');
    });
    say(line.dataset.update);
    line.append(' ', button);
  };

  /** Watch a registration for a new version finishing its install. */
  const watch = (registration) => {
    if (registration.waiting && sw.controller) offerUpdate(registration.waiting);
    registration.addEventListener('updatefound', () => {
      const worker = registration.installing;
      worker.addEventListener('statechange', () => {
        if (worker.state === 'installed' && sw.controller) offerUpdate(worker);
      });
    });
  };

  say(line.dataset.saving);
  sw.register('/sw.js', { scope: '/', updateViaCache: 'none' }).then((registration) => {
    watch(registration);
    sw.ready.then((ready) => {
      if (!registration.waiting) showStatus(ready.active);
    });
    // iOS keeps an installed app alive for days: look for a new version on each return.
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') registration.update().catch(() => {});
    });
  });
  if (navigator.storage && navigator.storage.persist) navigator.storage.persist();
})();

/* Copy buttons for the codes shown on their own line (p.code), in the page's language. The
 * codes stay readable and selectable without them; they need the async clipboard (HTTPS). */
(() => {
  const article = document.querySelector('article[data-copy]');
  if (!article || !(navigator.clipboard && navigator.clipboard.writeText)) return;
  for (const line of article.querySelectorAll('p.code')) {
    const code = line.querySelector('code').textContent;
    const button = document.createElement('button');
    button.type = 'button';
    // The label names the code: a screen reader hears "Copy *222#", then "Copied *222#".
    const show = (text) => {
      button.textContent = text;
      button.setAttribute('aria-label', `${text} ${code}`);
    };
    show(article.dataset.copy);
    button.addEventListener('click', () => navigator.clipboard.writeText(code).then(() => {
      show(article.dataset.copied);
      setTimeout(() => show(article.dataset.copy), 2000);
    }));
    line.append(button);
  }
})();
