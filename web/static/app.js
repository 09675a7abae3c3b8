/* The page script: registers the service worker and shows, in the page's language, whether the
 * whole guide is saved for offline and whether an update is waiting; adds Copy buttons to the
 * codes that can be dialled; keeps reader reports on the phone until the worker has sent them
 * (the outbox lives here, and the sending in the worker: see reportForm). Reading never
 * needs it. Modelled on squoosh's and svgomg's page
 * side of their workers: "ready offline" and "update available" messages, nothing more. */
'use strict';
(() => {
  // The script's strings in every language: generated from the catalogs (web/i18n.py).
  const STRINGS = {};
  // LANGS, DEFAULT_LANG, COOKIE, URLS...: generated from web/shared.py.
  const SHARED = {};

  /** A path of the guide, from the URL layout's template of that kind. */
  const pathOf = (kind, lang, slug = '') => URLS[kind].replace('{lang}', lang).replace('{slug}', slug);
  /** The language of this page's URL, if it has one. */
  const pageLang = LANGS.find((l) => location.pathname.startsWith(pathOf('home', l)));
  /** Where the outbox keeps a report (a cache key: the worker sends whatever it finds). */
  const outboxKey = (id) => `/__outbox/${id}`;
  // eslint-disable-next-line compat/compat -- checked before use: `if (!sw)` (cannotSave)
  const sw = navigator.serviceWorker;

  // Everything the script keeps between events, in one place.
  const state = {
    words: STRINGS[document.documentElement.lang.slice(0, 2)],
    line: document.getElementById('sw-status'),
    registration: undefined, // the worker's registration, once register() has answered
    waiting: undefined, // the version waiting to be offered, asked for its size
    failed: false, // saving stopped short: the network's return is worth a new try
    reloading: false, // the reader chose an update: the new worker's takeover reloads the page
    kept: undefined, // whether the browser keeps the storage until the reader deletes it
    saved: false, // the worker said the whole guide is saved (Install waits for it)
    reports: undefined, // the line under the status line: reports waiting to be sent
    mine: undefined, // the id of the report this page just kept, until the worker sends it
    backoff: 0, // ms before the page asks the worker to try the waiting reports again
    retry: undefined, // the timer of that next ask
    install: undefined, // Chromium's deferred install prompt, offered once the guide is saved
  };

  // The phone's browser, as far as saving goes (browser-notes.md): an app's own browser
  // (WebKit gives service workers to no app's web view on iPhone; WeChat blocks downloads),
  // an iPhone's Safari (its storage goes after 7 days unused; the Home Screen app keeps its
  // own), or a Home Screen app. Standalone is detected, never guessed from the user agent.
  const agent = navigator.userAgent;
  const wechat = /MicroMessenger/.test(agent) && !/miniProgram/.test(agent);
  const inApp = wechat || /FBAN|FBAV|Instagram|\bLine\/|WAiOS|WA4A|musical_ly|aweme|MQQBrowser.* QQ\//.test(agent);
  const standalone = navigator.standalone === true
    || matchMedia('(display-mode: standalone)').matches;

  /** Keep the page's language in the cookie, as the server does (static hosts set none). */
  function rememberLanguage() {
    if (!pageLang) return;
    const secure = window.isSecureContext ? ';secure' : '';
    document.cookie = `${COOKIE.name}=${pageLang};path=/;max-age=${COOKIE.maxAge};samesite=lax${secure}`;
  }

  /** On the static export's /, go to the remembered language, else the browser's, else the
   * default. */
  function chooseLanguage() {
    if (!document.documentElement.hasAttribute('data-choose')) return;
    const cookies = document.cookie.split('; ').map((pair) => pair.split('='));
    const [, saved] = cookies.find(([name, value]) => name === COOKIE.name && LANGS.includes(value))
      || [];
    const browser = navigator.languages.map((l) => l.slice(0, 2)).find((l) => LANGS.includes(l));
    location.replace(pathOf('home', saved || browser || DEFAULT_LANG));
  }

  /** Show a text in the status line. */
  function say(text) {
    state.line.textContent = text;
    state.line.hidden = false;
  }

  /** One of the line's strings, in the page's language, with its {names} filled in. */
  const text = (name, values = {}) => state.words[name]
    .replace(/\{(\w+)\}/g, (_, key) => values[key]);
  const kb = (bytes) => Math.ceil(bytes / 1024);

  /** Ask a worker for its status: it answers as it tells its progress (onWorkerMessage), on
   * the same channel and so after it. */
  const ask = (worker) => worker.postMessage('status');

  /** Say that saving stopped short; the network's return then tries again. */
  function fail() {
    state.failed = true;
    say(state.words.failed);
  }

  /** Show what the active worker reports: saved (and repaired), or what is missing. */
  async function showStatus(data) {
    if (!data.complete) return data.missing ? fail() : say(state.words.idle);
    const kept = await state.kept;
    const date = new Date(data.date).toLocaleDateString(document.documentElement.lang);
    say([data.repaired && state.words.repaired,
      text('saved', { pages: data.pages, size: kb(data.bytes), date }),
      kept !== undefined && state.words[kept ? 'kept' : 'unkept'],
      wechat && state.words.wechatSaved, standalone && state.words.homeSaved]
      .filter(Boolean).join(' '));
    state.saved = true;
    offerHomeScreen();
    offerInstall();
  }

  /** A button for the status line. */
  function button(label, action) {
    const made = document.createElement('button');
    made.type = 'button';
    made.textContent = label;
    made.addEventListener('click', action);
    return made;
  }

  /** Whether the reader said no to an offer before (kept on the phone, per offer). */
  const declined = (offer) => { try { return localStorage.getItem(`guide-${offer}`) === 'no'; } catch (e) { return false; } };
  const decline = (offer) => { try { localStorage.setItem(`guide-${offer}`, 'no'); } catch (e) { /* private mode */ } };

  /** In Safari on an iPhone or iPad, once saved: how to keep it for good (the Home Screen app
   * keeps its own storage, so it must be opened once from the icon while online), until the
   * reader closes the hint. */
  function offerHomeScreen() {
    if (navigator.standalone !== false || inApp || declined('home')) return;
    const hint = document.createElement('span');
    hint.className = 'hint';
    hint.textContent = state.words.homeHint;
    const close = button(state.words.close, () => {
      decline('home');
      hint.remove();
    });
    hint.append(' ', close);
    state.line.append(' ', hint);
  }

  /** Where Chromium offers to install the guide: an Install button, once the guide is saved
   * (never before), and never again once the reader dismissed the browser's prompt. */
  function offerInstall() {
    if (!state.install || !state.saved || declined('install') || state.line.querySelector('.install')) return;
    const offer = button(state.words.install, () => {
      const prompt = state.install;
      state.install = undefined;
      offer.remove();
      prompt.prompt();
      prompt.userChoice.then((choice) => choice.outcome === 'dismissed' && decline('install'));
    });
    offer.className = 'install';
    state.line.append(' ', offer);
  }

  /** Where the guide can't be saved, say so instead of promising it: in an app's browser, why
   * and how to open it in the phone's own (with its address to copy); in a browser with no
   * service worker, the single file instead. WeChat's browser on Android saves (it runs
   * workers), and the line says where. Return whether it can't. */
  function cannotSave() {
    if (wechat) { // downloads are blocked: no single-file link
      const share = document.querySelector('a[data-recipe]');
      if (share) share.parentNode.hidden = true;
    }
    if (sw && !(inApp && !(wechat && /Android/.test(agent)))) return false;
    if (!inApp) {
      say(state.words.noWorker);
      const file = document.createElement('a');
      file.href = URLS.bundle;
      file.textContent = state.words.file;
      state.line.append(' ', file);
      return true;
    }
    say(state.words[wechat ? 'inAppWechat' : 'inApp']);
    if (navigator.clipboard && navigator.clipboard.writeText) {
      const copy = button(state.words.copyLink, () => navigator.clipboard.writeText(location.href)
        .then(() => { copy.textContent = state.words.copied; }));
      state.line.append(' ', copy);
    } else {
      const address = document.createElement('code');
      address.textContent = location.href;
      state.line.append(' ', address);
    }
    return true;
  }

  /** Show an update's notice with its button, and a link to what changed in the guide. */
  function offer(notice, label, action) {
    const changes = document.createElement('a');
    changes.href = state.words.changesUrl;
    changes.textContent = state.words.changes;
    say(notice);
    state.line.append(' ', button(label, action), ' ', changes);
  }

  /** Offer the waiting version, with its size; activating it reloads the page. */
  function offerUpdate(worker, { update }) {
    offer(text('update', Object.assign({}, update, { size: kb(update.bytes) })), state.words.reload, () => {
      state.reloading = true;
      worker.postMessage('skip-waiting');
    });
  }

  /** Register the worker (again, after a failed first save); watch each new registration. */
  function start() {
    return sw.register('/sw.js', { scope: '/', updateViaCache: 'none' }).then((r) => {
      if (r !== state.registration) watch((state.registration = r));
    });
  }

  /** Watch a registration: a version that finished installing, or a save that failed. */
  function watch(registration) {
    const waits = (worker) => ask((state.waiting = worker)); // its answer offers it
    const track = (worker) => worker && worker.addEventListener('statechange', () => {
      if (worker.state === 'installed' && sw.controller) waits(worker);
      if (worker.state === 'redundant' && !registration.active) fail();
    });
    if (registration.waiting && sw.controller) waits(registration.waiting);
    track(registration.installing);
    registration.addEventListener('updatefound', () => track(registration.installing));
  }

  /** The worker tells every window how the save goes, and when an update waits for the
   * reader (Save-Data or 2G): the button gives consent and the worker downloads it. */
  function onWorkerMessage({ data, source }) {
    if ('reports' in data) return showReports(data.reports);
    if (data.status) {
      if (source === state.waiting) offerUpdate(source, data.status);
      else showStatus(data.status);
      return;
    }
    if (data.total) say(text('progress', data));
    const { held } = data;
    if (held && state.registration && state.registration.active) {
      offer(text('update', Object.assign({}, held, { size: kb(held.bytes) })),
        text('download', { size: kb(held.bytes) }),
        () => state.registration.active.postMessage({ consent: held.version }));
    }
  }

  /** A save cut by the network goes on when it comes back (and on the next visit). */
  function onOnline() {
    if (state.backoff) sendReports();
    if (!state.failed) return;
    state.failed = false;
    const active = state.registration && state.registration.active;
    if (!active) start().catch(fail);
    else ask(active); // the worker refills what is missing
  }

  /** iOS keeps an installed app alive for days: look for a new version on each return. */
  function onVisible() {
    if (document.visibilityState === 'visible' && state.registration) {
      state.registration.update().catch(() => {});
    }
  }

  /** Add a Copy button to each code shown on its own line that can be dialled as it stands
   * (p.dial; a template with placeholder words has none). The codes stay readable and
   * selectable without it; it needs the async clipboard (HTTPS or localhost). */
  function addCopyButtons() {
    if (!(navigator.clipboard && navigator.clipboard.writeText)) return;
    for (const code of document.querySelectorAll('article p.dial')) {
      const value = code.querySelector('code').textContent;
      // eslint-disable-next-line compat/compat -- only where it exists (the check above)
      const copy = button('', () => navigator.clipboard.writeText(value).then(() => {
        show(state.words.copied);
        setTimeout(() => show(state.words.copy), 2000);
      }));
      // The label names the code: a screen reader hears "Copy *222#", then "Copied *222#".
      const show = (label) => {
        copy.textContent = label;
        copy.setAttribute('aria-label', `${label} ${value}`);
      };
      show(state.words.copy);
      code.append(copy);
    }
  }

  /** A random UUID (version 4), also where crypto.randomUUID is missing (plain http). */
  const uuid = () => '10000000-1000-4000-8000-100000000000'.replace(/[018]/g,
    (c) => (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16));

  /** Ask the worker to send the reports kept on the phone: now, and through Background Sync
   * where the browser has it (which tries again later, even with the guide closed). The
   * server stores each id once, so two tries at once are harmless. */
  function sendReports() {
    sw.ready.then((registration) => {
      if (registration.sync) registration.sync.register('reports').catch(() => {});
      registration.active.postMessage('send');
    });
  }

  /** Show how many reports wait to be sent (nothing when none). While some wait online, ask
   * again later, waiting twice as long each time (5 s up to 10 min): a server that answered
   * 503 or 429 gets time to recover. On the report page, say what became of the reader's. */
  function showReports(waiting) {
    if (!state.reports) {
      state.reports = document.createElement('p');
      state.reports.className = 'status';
      state.reports.setAttribute('role', 'status');
      state.line.after(state.reports);
    }
    state.reports.hidden = !waiting;
    state.reports.textContent = waiting ? text(waiting === 1 ? 'waitingOne' : 'waitingMany',
      { n: waiting }) : '';
    clearTimeout(state.retry);
    state.backoff = waiting ? Math.min(2 * state.backoff || 5000, 600000) : 0;
    if (waiting && navigator.onLine) state.retry = setTimeout(sendReports, state.backoff);
    const sent = document.getElementById('report-sent');
    if (state.mine && sent) {
      caches.match(outboxKey(state.mine)).then((kept) => {
        sent.textContent = state.words[kept ? 'reportKept' : 'reportSent'];
        sent.hidden = false;
      });
    }
  }

  /** The report form. The saved copy is the same for every section: fill in the one the URL
   * names from the saved page (its title, and its revision: the page the reader saw). With a
   * worker in control, a report goes into the outbox (a cache: it outlives a closed tab, a
   * reload and an update of the guide) and the worker sends it; without one, the form posts
   * as it is. */
  function reportForm() {
    const form = document.getElementById('report');
    if (!form) return;
    const field = (name) => form.elements[name];
    const query = new URLSearchParams(location.search);
    const page = query.get('page'), section = query.get('section');
    if (!field('id').value) field('id').value = uuid();
    if (!field('page').value && page && section) {
      const url = pathOf(page === HOME ? 'home' : 'page', pageLang, page);
      fetch(url).then(async (response) => {
        const html = new DOMParser().parseFromString(await response.text(), 'text/html');
        const heading = html.getElementById(section);
        if (!response.ok || !heading || heading.tagName !== 'H2') return;
        field('page').value = page;
        field('section').value = section;
        field('revision').value = response.headers.get('x-guide-revision') || '';
        const about = document.getElementById('report-about');
        about.querySelector('a').href = `${url}#${section}`;
        about.querySelector('a').textContent = `${html.querySelector('h1').textContent} › ${heading.textContent}`;
        about.hidden = false;
      }).catch(() => {});
    }
    form.addEventListener('submit', (event) => {
      if (!(sw && sw.controller && window.caches)) return;
      event.preventDefault();
      const sent = document.getElementById('report-sent');
      if (!field('section').value) {
        sent.textContent = state.words.reportUnknown;
        sent.hidden = false;
        return;
      }
      if (!field('text').value.trim()) {
        field('text').value = ''; // `required` then says what is missing
        form.reportValidity();
        return;
      }
      const report = { lang: pageLang };
      for (const [name, value] of new FormData(form)) report[name] = value;
      state.mine = report.id;
      caches.open(OUTBOX).then((box) => box.put(outboxKey(report.id),
        new Response(JSON.stringify(report)))).then(() => {
        form.hidden = true;
        sendReports();
      });
    });
  }

  /** Register the worker and keep the status line in step with it. */
  function startWorker() {
    if (!state.line || cannotSave()) return;
    addEventListener('beforeinstallprompt', (event) => {
      event.preventDefault(); // offered by our button, once the guide is saved
      state.install = event;
      offerInstall();
    });
    /* eslint-disable compat/compat -- only where the browser has it (the check) */
    state.kept = navigator.storage && navigator.storage.persist
      ? navigator.storage.persist().then(() => navigator.storage.persisted())
      : Promise.resolve();
    /* eslint-enable compat/compat */
    // A first install takes control quietly; only a version the reader chose reloads the page.
    sw.addEventListener('controllerchange', () => state.reloading && location.reload());
    sw.addEventListener('message', onWorkerMessage);
    say(state.words.idle);
    start().then(() => sw.ready.then((ready) => {
      if (!state.registration.waiting) ask(ready.active);
    }));
    addEventListener('online', onOnline);
    document.addEventListener('visibilitychange', onVisible);
    // Reports kept by an earlier visit go now (the worker tells how many still wait). A
    // reader who never reported has no outbox, and gets none.
    caches.has(OUTBOX).then((has) => has && caches.open(OUTBOX)).then((box) => box && box.keys())
      .then((keys) => keys && keys.length && sendReports());
  }

  rememberLanguage();
  chooseLanguage();
  addCopyButtons();
  startWorker();
  reportForm();
})();
