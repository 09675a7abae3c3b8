/* Reader reports: the page script keeps each one in the outbox (a cache of its own, outside
 * PREFIX, so no update deletes it) and asks the worker to send them; Background Sync asks too,
 * where the browser has it, even with no page open. Only the worker sends, so the rule below
 * is written once. */

/** Send the reports in the outbox. Each leaves the phone only when the server took it (2xx:
 * stored now, or before) or refused it for good (it can never be stored); a 5xx, a 429 or no
 * network keeps it. Tell the pages how many wait; fail if any does (Background Sync then
 * tries again later). */
async function sendReports() {
  const box = await caches.open(OUTBOX);
  let left = 0;
  for (const key of await box.keys()) {
    const answer = await fetch(REPORTS_URL, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: await (await box.match(key)).blob(),
    }).catch(() => ({ status: 0 }));
    if (answer.status < 300 && answer.status || [400, 404, 409, 413].includes(answer.status)) await box.delete(key);
    else left += 1;
  }
  await tell({ reports: left });
  if (left) throw new Error(`${left} reports wait`);
}
