import { useMemo, useState } from 'react';
import { ClinicConsole } from './clinic/ClinicConsole';
import { ConnectionBanner } from './components/ConnectionBanner';
import { LinkNotice } from './components/LinkNotice';
import { tokenFromLocation, wsProtocols, wsUrl } from './lib/gatewayUrl';
import { useGateway } from './lib/useGateway';
import { PatientApp } from './patient/PatientApp';
import { TherapistConsole } from './therapist/TherapistConsole';

export function App() {
  const [token, setToken] = useState(() => tokenFromLocation(window.location));
  if (new URLSearchParams(window.location.search).has('clinic'))
    return (
      <div className="app">
        <header className="topbar">
          <span className="brand">
            hipcue <span className="muted">clinic</span>
          </span>
        </header>
        <main>
          <ClinicConsole />
        </main>
      </div>
    );
  if (!token) return <TokenForm onToken={setToken} />;
  return <Connected token={token} />;
}

function Connected({ token }: { token: string }) {
  const url = useMemo(() => wsUrl(window.location), []);
  const protocols = useMemo(() => wsProtocols(token), [token]);
  const gw = useGateway({ url, protocols, storage: window.localStorage });
  const role = gw.state.snapshot?.role ?? null;
  // For the browser tests and for support: drop the live socket as a network failure would.
  (window as unknown as { hipcueDebug?: unknown }).hipcueDebug = { drop: gw.dropConnection, status: gw.status };
  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">
          hipcue{' '}
          <span className="muted" style={{ fontWeight: 400, fontSize: '0.9rem' }}>
            {role ? roleTitle(role) : ''}
          </span>
        </span>
        <ConnectionBanner status={gw.status} detail={gw.statusDetail} pendingCount={gw.pendingCount} />
      </header>
      <LinkNotice notice={gw.state.linkNotice} />
      {gw.state.errors.length > 0 && (
        <p className="hint no-print" role="alert" data-testid="server-error">
          ⚠ {gw.state.errors.at(-1)!.message}
        </p>
      )}
      <main>
        {role === null && (
          <section className="panel">
            <h2>Connecting to hipcue…</h2>
            {gw.status === 'closed' && (
              <p className="fault">
                The gateway refused this link{gw.statusDetail.reason ? `: ${gw.statusDetail.reason}` : ''}. Ask for a
                new link.
              </p>
            )}
          </section>
        )}
        {role === 'patient' && <PatientApp gw={gw} token={token} />}
        {(role === 'therapist' || role === 'viewer') && (
          <TherapistConsole gw={gw} token={token} readOnly={role === 'viewer'} />
        )}
      </main>
    </div>
  );
}

function roleTitle(role: string): string {
  return role === 'patient' ? 'home session' : role === 'therapist' ? 'therapist console' : 'viewer (read-only)';
}

function TokenForm({ onToken }: { onToken(t: string): void }) {
  const [t, setT] = useState('');
  return (
    <div className="app">
      <section className="panel">
        <h1>hipcue</h1>
        <p>
          Open the link the hipcue gateway printed when it started (it ends in <code>?token=…</code>), or paste the
          token here.
        </p>
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            if (t.trim()) onToken(t.trim());
          }}
        >
          <label htmlFor="token" className="sr-only">
            Access token
          </label>
          <input id="token" value={t} onChange={(e) => setT(e.target.value)} placeholder="access token" />
          <button type="submit">Open</button>
        </form>
      </section>
    </div>
  );
}
