import type { SensorStatus } from '@hipcue/messages';
import type { ConnectionStatus } from '../lib/ReconnectingSocket';

const STATE_TEXT: Record<SensorStatus['state'], string> = {
  searching: 'Looking for your sensor…',
  connecting: 'Connecting to the sensor…',
  connected: 'Connected, starting up…',
  streaming: 'Connected and sending data',
  reconnecting: 'Signal lost — reconnecting…',
  disconnected: 'Not connected',
  unavailable: 'Bluetooth is not available on this computer',
  ended: 'The recording has ended',
};

const HELP: Partial<Record<SensorStatus['state'], string[]>> = {
  searching: [
    'Press the sensor button once: the light should blink.',
    'Keep the phone or computer within 2 metres of the sensor.',
    'If the battery is flat, charge the sensor for 10 minutes.',
  ],
  reconnecting: ['Stay close to the computer.', 'Check the sensor is still clipped on and its light is on.'],
  disconnected: ['Switch the sensor off and on again.', 'Make sure no other phone is connected to it.'],
  unavailable: ['Turn Bluetooth on, or ask whoever set up hipcue to check the adapter.'],
};

function quality(lossPct: number): { text: string; icon: string } {
  if (lossPct < 1) return { text: 'Signal good', icon: '●●●' };
  if (lossPct < 5) return { text: 'Signal fair', icon: '●●○' };
  return { text: 'Signal poor — move closer', icon: '●○○' };
}

export function ConnectScreen({
  sensors,
  link,
  onContinue,
}: {
  sensors: SensorStatus[];
  link: ConnectionStatus;
  onContinue(): void;
}) {
  const pelvis = sensors.find((s) => s.position === 'pelvis') ?? sensors[0];
  const ready = pelvis?.state === 'streaming';
  return (
    <section className="panel" aria-labelledby="connect-title">
      <h2 id="connect-title">Connect your sensor</h2>
      {link !== 'open' && <p className="hint">⚠ The hipcue app on this computer is not reachable yet. Retrying…</p>}
      {!pelvis && <p>Waiting for the sensor list…</p>}
      {sensors.map((s) => {
        const q = quality(s.lossPct);
        return (
          <div key={s.sensorId} className="panel" style={{ background: 'var(--panel-2)' }} data-testid="sensor">
            <div className="row" style={{ justifyContent: 'space-between' }}>
              <strong>{s.position === 'pelvis' ? 'Pelvis sensor' : `${s.position} sensor`}</strong>
              {s.simulated && <span className="badge">SIMULATED SENSOR — practice data</span>}
            </div>
            <p style={{ fontSize: '1.2rem', fontWeight: 700 }}>
              {s.state === 'streaming' ? '✓ ' : '… '}
              {STATE_TEXT[s.state]}
            </p>
            <p>
              Battery: {s.batteryPct === null ? 'unknown' : `${Math.round(s.batteryPct)} %`}
              {s.batteryPct !== null && s.batteryPct < 20 ? ' — charge soon' : ''}
            </p>
            <p>
              <span aria-hidden="true">{q.icon} </span>
              {q.text} ({s.lossPct.toFixed(1)} % lost)
            </p>
            {s.haptics && (
              <p data-testid="haptics">
                <span aria-hidden="true">〰 </span>The sensor buzzes twice when a cue asks you to correct something.
              </p>
            )}
            {s.message && <p className="muted">{s.message}</p>}
            {HELP[s.state] && (
              <ul>
                {HELP[s.state]!.map((h) => (
                  <li key={h}>{h}</li>
                ))}
              </ul>
            )}
          </div>
        );
      })}
      <button type="button" className="big" onClick={onContinue} disabled={!ready}>
        {ready ? 'Continue' : 'Waiting for the sensor…'}
      </button>
    </section>
  );
}
