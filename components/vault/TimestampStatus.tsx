import type { CaptureRow } from '../../utils/background/db';
import { formatSkew, skewMs } from '../../utils/verify/timestamp';
import { formatTime } from '../format';

function host(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** A capture's trusted timestamp, in plain words: witnessed (time + skew), waiting (+ last error), or none. */
export function TimestampStatus({ row }: { row: CaptureRow }) {
  const t = row.tsa;
  if (!t) return <span id="tsa-status" data-status="none" class="muted">None: timestamps were off when this was captured.</span>;
  if (t.status === 'stamped' && t.gen_time) {
    const skew = skewMs(t.gen_time, row.captured_at);
    return (
      <span id="tsa-status" data-status="stamped">
        Witnessed by {host(t.authority_url)} at {formatTime(t.gen_time)} <span class="muted">({t.gen_time} UTC)</span>
        {skew !== null && <> · authority clock minus this device's: <span class="mono">{formatSkew(skew)}</span></>}
      </span>
    );
  }
  return (
    <span id="tsa-status" data-status="pending">
      Pending: waiting for {host(t.authority_url)}.{' '}
      {t.last_error ? (
        <>
          The last attempt{t.last_attempt_at ? ` (${formatTime(t.last_attempt_at)})` : ''} failed: <span id="tsa-error">{t.last_error}</span>{' '}
          {t.attempts > 1 ? `(${t.attempts} attempts) ` : ''}Cairn tries again by itself, or use Retry now in Settings.
        </>
      ) : (
        'Not asked yet.'
      )}
    </span>
  );
}
