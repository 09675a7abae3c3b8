/* The page script: registers the service worker and shows, in the page's language, whether the
 * whole guide is saved for offline and whether an update is waiting; adds Copy buttons to the
 * codes. Reading never needs it. */
'use strict';
(() => {
  // The script's strings in every language: generated from the catalogs (web/i18n.py).
  const STRINGS = {};
  const words = STRINGS[document.documentElement.lang.slice(0, 2)];
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
  addCopyButtons();
  if (!sw || !line) return;

  const say = (text) => {
    line.textContent = text;
    line.hidden = false;
  };
  /** One of the line's strings, in the page's language, with its {names} filled in. */
  const text = (name, values = {}) => words[name].replace(/\{(\w+)\}/g, (_, key) => values[key]);
  const kb = (bytes) => Math.ceil(bytes / 1024);
  /** Ask a worker for its status; call back with its answer. */
  const ask = (worker, callback) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = ({ data }) => callback(data);
    worker.postMessage('status', [channel.port2]);
  };
  // Whether the browser keeps the guide's storage until the reader deletes it.
  const storage = navigator.storage && navigator.storage.persist
    ? navigator.storage.persist().then(() => navigator.storage.persisted()) : Promise.resolve();

  /** Show what the active worker reports: saved (and repaired), or what is missing. */
  // Set when saving stopped short: the network's return is then worth a new try.
  let failed = false;
  const fail = () => {
    failed = true;
    say(words.failed);
  };
  const showStatus = (worker) => ask(worker, async (data) => {
    if (!data.complete) return data.missing ? fail() : say(words.idle);
    const kept = await storage;
    const date = new Date(data.date).toLocaleDateString(document.documentElement.lang);
    say([data.repaired && words.repaired,
      text('saved', { pages: data.pages, size: kb(data.bytes), date }),
      kept !== undefined && words[kept ? 'kept' : 'unkept']].filter(Boolean).join(' '));
  });

  let reloading = false;
  sw.addEventListener('controllerchange', () => {
    // A first install takes control quietly; only a version the reader chose reloads the page.
    if (reloading) location.reload();
  });

  /** Show an update's notice with its button, and a link to what changed in the guide. */
  const offer = (notice, label, action) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = label;
    button.addEventListener('click', action);
    const changes = document.createElement('a');
    changes.href = words.changesUrl;
    changes.textContent = words.changes;
    say(notice);
    line.append(' ', button, ' ', changes);
  };

  /** Offer the waiting version, with its size; activating it reloads the page. */
  const offerUpdate = (worker) => ask(worker, ({ update }) => offer(
    text('update', { ...update, size: kb(update.bytes) }), words.reload, () => {
      reloading = true;
      worker.postMessage('skip-waiting');
    }));

  let registration;
  /** Register the worker (again, after a failed first save); watch each new registration. */
  const start = () => sw.register('/sw.js', { scope: '/', updateViaCache: 'none' }).then((r) => {
    if (r !== registration) watch((registration = r));
  });

  /** Watch a registration: a version that finished installing, or a save that failed. */
  const watch = (r) => {
    const track = (worker) => worker && worker.addEventListener('statechange', () => {
      if (worker.state === 'installed' && sw.controller) offerUpdate(worker);
      if (worker.state === 'redundant' && !r.active) fail();
    });
    if (r.waiting && sw.controller) offerUpdate(r.waiting);
    track(r.installing);
    r.addEventListener('updatefound', () => track(r.installing));
  };

  // The worker tells every window how the save goes, and when an update waits for the reader
  // (Save-Data or 2G): the button gives consent and the worker downloads it.
  sw.addEventListener('message', ({ data }) => {
    if (data.total) say(text('progress', data));
    const held = data.held;
    if (held && registration && registration.active) {
      offer(text('update', { ...held, size: kb(held.bytes) }),
        text('download', { size: kb(held.bytes) }),
        () => registration.active.postMessage({ consent: held.version }));
    }
  });

  say(words.idle);
  start().then(() => sw.ready.then((ready) => {
    if (!registration.waiting) showStatus(ready.active);
  }));
  // A save cut by the network goes on when it comes back (and on the next visit).
  addEventListener('online', () => {
    if (!failed) return;
    failed = false;
    if (!registration || !registration.active) return start().catch(fail);
    showStatus(registration.active); // refills what is missing
  });
  // iOS keeps an installed app alive for days: look for a new version on each return.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && registration) registration.update().catch(() => {});
  });

  /** Add a Copy button to each code shown on its own line that can be dialled as it stands
   * (p.dial; a template with placeholder words has none). The codes stay readable and
   * selectable without it; it needs the async clipboard (HTTPS or localhost). */
  function addCopyButtons() {
    if (!(navigator.clipboard && navigator.clipboard.writeText)) return;
    for (const code of document.querySelectorAll('article p.dial')) {
      const text = code.querySelector('code').textContent;
      const button = document.createElement('button');
      button.type = 'button';
      // The label names the code: a screen reader hears "Copy *222#", then "Copied *222#".
      const show = (label) => {
        button.textContent = label;
        button.setAttribute('aria-label', `${label} ${text}`);
      };
      show(words.copy);
      button.addEventListener('click', () => navigator.clipboard.writeText(text).then(() => {
        show(words.copied);
        setTimeout(() => show(words.copy), 2000);
      }));
      code.append(button);
    }
  }
})();
