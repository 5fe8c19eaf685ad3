import { useState } from 'react';
import { LivePanel } from '../therapist/LivePanel';
import { type RelayLogin, useRelay } from './useRelay';

/**
 * Clinic mode (`?clinic=1`): a therapist signs in to the clinic's NATS relay and watches any of their patients,
 * live or joining late. The login stays in memory (gone on reload), never in storage or logs.
 */
export function ClinicConsole() {
  const [login, setLogin] = useState<RelayLogin | null>(null);
  const [pid, setPid] = useState<string | null>(null);
  if (!login) return <ClinicLogin onLogin={setLogin} />;
  return (
    <div className="console">
      <nav className="steps no-print" aria-label="Patients">
        {login.patients.map((p) => (
          <button key={p} type="button" aria-current={p === pid ? 'step' : undefined} onClick={() => setPid(p)}>
            {p}
          </button>
        ))}
        <button type="button" onClick={() => setLogin(null)}>
          Sign out
        </button>
      </nav>
      {pid ? (
        <PatientView key={pid} login={login} pid={pid} />
      ) : (
        <p className="hint">Choose a patient to watch their session.</p>
      )}
    </div>
  );
}

function PatientView({ login, pid }: { login: RelayLogin; pid: string }) {
  const feed = useRelay(login, pid);
  return (
    <>
      <p className="hint" role="status" data-testid="relay-status" data-status={feed.status}>
        {feed.status === 'open' && !feed.sessionId && `Connected to the clinic relay — waiting for ${pid}'s gateway…`}
        {feed.status === 'open' &&
          feed.sessionId &&
          `Watching ${pid} through the clinic relay (session ${feed.sessionId}).`}
        {feed.status === 'connecting' && 'Connecting to the clinic relay…'}
        {feed.status === 'refused' && `⚠ ${feed.problem ?? 'Refused.'}`}
      </p>
      {feed.status !== 'refused' && feed.problem && (
        <p className="fault" role="alert">
          ⚠ {feed.problem}
        </p>
      )}
      {feed.sessionId && <LivePanel gw={feed} readOnly={false} />}
    </>
  );
}

function ClinicLogin({ onLogin }: { onLogin: (l: RelayLogin) => void }) {
  const [wsUrl, setWsUrl] = useState('');
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [patients, setPatients] = useState('');
  const list = patients
    .split(/[\s,]+/)
    .map((p) => p.trim())
    .filter((p) => /^[A-Za-z0-9_-]{1,32}$/.test(p));
  const ok = /^wss?:\/\/\S+$/.test(wsUrl) && user !== '' && password !== '' && list.length > 0;
  return (
    <section className="panel">
      <h2>Clinic relay sign-in</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (ok) onLogin({ wsUrl, user, password, patients: list });
        }}
      >
        <label>
          Relay address <input data-testid="relay-url" value={wsUrl} onChange={(e) => setWsUrl(e.target.value)} />
        </label>
        <label>
          User{' '}
          <input
            data-testid="relay-user"
            autoComplete="username"
            value={user}
            onChange={(e) => setUser(e.target.value)}
          />
        </label>
        <label>
          Password{' '}
          <input
            data-testid="relay-password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <label>
          Your patients (codes){' '}
          <input data-testid="relay-patients" value={patients} onChange={(e) => setPatients(e.target.value)} />
        </label>
        <button type="submit" disabled={!ok} data-testid="relay-signin">
          Sign in
        </button>
      </form>
    </section>
  );
}
