import { useId, type ReactNode } from 'react';
import { phaseTone } from '../lib/status.ts';

export function Badge({ value, label }: { value: string | undefined; label?: string }) {
  return <span className={`badge badge-${phaseTone(value)}`}>{label ?? value ?? 'Unknown'}</span>;
}

/**
 * An API refusal as the page shows it. @qhc/schemas' messages already list every problem with
 * its field and line ("  - path (line 3, column 5): …"), so they are shown line by line, as text.
 */
export function ErrorBox({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const [first, ...rest] = (error instanceof Error ? error.message : String(error)).split('\n');
  const items = rest.map((l) => l.replace(/^\s*-\s*/, '')).filter(Boolean);
  return (
    <div className="error" role="alert">
      {title && <p className="error-title">{title}</p>}
      <p>{first}</p>
      {items.length > 0 && (
        <ul>
          {items.map((item, i) => (
            <li key={i}>{item}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Field({ label, hint, children }: { label: string; hint?: string; children: (id: string, describedBy?: string) => ReactNode }) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(id, hintId)}
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
    </div>
  );
}

export { Loading } from './loading.tsx';
