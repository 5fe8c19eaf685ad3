import type { Note } from '@hipcue/messages';
import { useState } from 'react';
import { formatSessionTime } from '../lib/format';

export function NotesPanel({
  notes,
  readOnly,
  onAdd,
}: {
  notes: Note[];
  readOnly: boolean;
  onAdd(text: string): void;
}) {
  const [text, setText] = useState('');
  return (
    <div data-testid="notes">
      <ul>
        {notes.map((n) => (
          <li key={n.id}>
            <span className="muted">{formatSessionTime(n.tS)}</span> {n.text}
          </li>
        ))}
        {notes.length === 0 && <li className="muted">No notes yet.</li>}
      </ul>
      {!readOnly && (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            if (text.trim()) onAdd(text.trim());
            setText('');
          }}
        >
          <label htmlFor="note-text" className="sr-only">
            Note
          </label>
          <input
            id="note-text"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="Note (timestamped)"
          />
          <button type="submit" disabled={!text.trim()}>
            Add note
          </button>
        </form>
      )}
    </div>
  );
}
