import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { db } from '../../utils/background/db';
import { updateSettings } from '../../utils/background/settings';
import { storeCapture } from '../../utils/background/store';
import { politeGapMs, retryDelayMinutes } from '../../utils/background/timestamp-queue';
import { kickTimestamps, startTimestamps, TSA_ALARM } from '../../utils/background/timestamp-service';
import { sampleDraft } from '../helpers/sample';
import { createTestTsa } from '../helpers/tsa-server';

describe('background timestamp queue: kicks, retry alarm, back-off', () => {
  it('backs off 1, 2, 4 … 60 minutes, and paces a backlog as the authority asks', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 20].map(retryDelayMinutes)).toEqual([1, 1, 2, 4, 8, 16, 32, 60, 60, 60]);
    expect(['http://timestamp.sectigo.com', 'http://timestamp.sectigo.com/qualified', 'https://freetsa.org/tsr', 'http://notsectigo.com', null].map(politeGapMs)).toEqual([15_000, 15_000, 1000, 1000, 1000]);
  });

  it('schedules a retry alarm while the authority is down, and the alarm brings the token once it is back', async () => {
    const tsa = createTestTsa();
    await tsa.start();
    const url = tsa.url;
    await tsa.stop();
    try {
      await updateSettings(db(), { timestamps: { enabled: true, authority_url: url } });
      startTimestamps();
      expect(await kickTimestamps()).toEqual({ stamped: 0, pending: 0, error: null, max_attempts: 0 }); // the start-up run: nothing waiting yet
      expect(await fakeBrowser.alarms.get(TSA_ALARM)).toBeUndefined();
      const c = await storeCapture(db(), sampleDraft(1));
      const t0 = Date.now();
      const first = await kickTimestamps(c.id);
      expect(first).toMatchObject({ stamped: 0, pending: 1, max_attempts: 1 });
      const alarm = await fakeBrowser.alarms.get(TSA_ALARM);
      expect(alarm?.name).toBe(TSA_ALARM);
      expect(Math.abs(alarm!.scheduledTime - (t0 + 60_000))).toBeLessThan(5_000);

      // Kicks that arrive while a run is under way fold into one more run after it.
      const [a, b, c2] = [kickTimestamps(), kickTimestamps(), kickTimestamps()];
      expect(b).toBe(c2);
      expect(a).not.toBe(b);
      expect((await a).max_attempts).toBe(2);
      expect((await b).max_attempts).toBe(3);
      expect((await fakeBrowser.alarms.get(TSA_ALARM))!.scheduledTime).toBeGreaterThan(Date.now() + 3 * 60_000);

      await tsa.start();
      await fakeBrowser.alarms.onAlarm.trigger({ name: TSA_ALARM, scheduledTime: Date.now(), persistAcrossSessions: false });
      const until = Date.now() + 10_000;
      while ((await db().captures.get(c.id))?.tsa_status !== 'stamped' && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      expect((await db().captures.get(c.id))?.tsa).toMatchObject({ status: 'stamped', attempts: 4, last_error: null });
      await kickTimestamps();
      expect(await fakeBrowser.alarms.get(TSA_ALARM)).toBeUndefined();
    } finally {
      await tsa.dispose();
    }
  });
});
