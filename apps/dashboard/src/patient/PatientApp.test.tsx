import type { ClientMessage } from '@hipcue/messages';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionBanner } from '../components/ConnectionBanner';
import type { SocketLike } from '../lib/ReconnectingSocket';
import { useGateway } from '../lib/useGateway';
import { events, rep, setSummary, snapshot } from '../testing/fixtures';
import { PatientApp } from './PatientApp';

afterEach(cleanup);

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: ClientMessage[] = [];
  onopen: SocketLike['onopen'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  onmessage: SocketLike['onmessage'] = null;
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close(code = 1000, reason = '') {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  push(m: unknown) {
    this.onmessage?.({ data: JSON.stringify(m) });
  }
}

const backoff = { initialMs: 1, factor: 1, maxMs: 1, jitter: 0 };

/** `createSocket` must be stable across renders (it is a hook dependency), so it is made once per test. */
function Harness({ createSocket }: { createSocket: (url: string) => SocketLike }) {
  const gw = useGateway({ url: 'ws://x/ws', backoff, createSocket });
  return (
    <>
      <ConnectionBanner status={gw.status} detail={gw.statusDetail} pendingCount={gw.pendingCount} />
      <PatientApp gw={gw} token="t" />
    </>
  );
}

describe('PatientApp over a dropping connection', () => {
  it('restores the set from the snapshot, queues a rating while offline and sends it once reconnected', async () => {
    const sockets: FakeSocket[] = [];
    const createSocket = () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    };
    render(<Harness createSocket={createSocket} />);
    const s0 = sockets[0]!;
    act(() => {
      s0.open();
      s0.push(snapshot({ phase: 'in-set', currentSetId: 'set1', reps: [rep(1), rep(2)], lastSeq: 5 }));
    });
    expect(screen.getByTestId('rep-count').textContent).toBe('2');
    act(() => s0.push(events({ type: 'rep', seq: 6, tS: 12, rep: rep(3) })));
    expect(screen.getByTestId('rep-count').textContent).toBe('3');

    // The set ends, then the link drops before the patient rates it.
    act(() =>
      s0.push(
        events({ type: 'set-end', seq: 7, tS: 20, set: setSummary(1, { setId: 'set1', reps: 3 }), reason: 'rest' }),
      ),
    );
    expect(screen.getByTestId('after-summary').textContent).toMatch(/3 reps/);
    act(() => s0.close(1006, 'network'));
    fireEvent.click(screen.getByTestId('pain-3'));
    expect(screen.getByTestId('advice').textContent).toMatch(/glute bridge/i);
    expect(screen.getByTestId('pending').textContent).toMatch(/1 rating/);

    // Reconnect: the queued rating goes out on the new socket; the server's echo clears it.
    await waitFor(() => expect(sockets.length).toBe(2));
    const s1 = sockets[1]!;
    act(() => s1.open());
    const sent = s1.sent.find((m) => m.type === 'pain-rating');
    expect(sent).toMatchObject({ type: 'pain-rating', setId: 'set1', rating: 3 });
    act(() =>
      s1.push(
        snapshot({
          phase: 'resting',
          sets: [setSummary(1, { setId: 'set1', reps: 3, painRating: 3 })],
          reps: [rep(1), rep(2), rep(3)],
          lastSeq: 8,
          appliedRatingIds: [sent!.type === 'pain-rating' ? sent!.clientRatingId : ''],
        }),
      ),
    );
    expect(screen.queryByTestId('pending')).toBeNull();
    expect(screen.getByTestId('advice').getAttribute('data-advice')).toBe('regress');
  });
});
