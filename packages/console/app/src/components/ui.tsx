import { useId, type ReactNode } from 'react';
import { errorMessage } from '../api.ts';
import { isPermissionDenied } from '../lib/permissions.ts';
import { phaseTone } from '../lib/status.ts';

export function Badge({ value, label }: { value: string | undefined; label?: string }) {
  return <span className={`badge badge-${phaseTone(value)}`}>{label ?? value ?? 'Unknown'}</span>;
}

/**
 * An API refusal as the page shows it: the server's message (it names the field), line by line
 * when it lists several problems ("  - path: …"), as text. A refusal for want of a permission says so.
 */
export function ErrorBox({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  if (isPermissionDenied(error)) title = `You lack the permission for this. ${title ?? ''}`.trim();
  const [first, ...rest] = errorMessage(error).split('\n');
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

/** A labelled drop-down of plain string choices. */
export function SelectField({
  label,
  hint,
  value,
  options,
  onChange,
  required,
}: {
  label: string;
  hint?: string;
  value: string;
  options: readonly string[];
  onChange: (value: string) => void;
  required?: boolean;
}) {
  return (
    <Field label={label} hint={hint}>
      {(id, h) => (
        <select id={id} aria-describedby={h} value={value} onChange={(e) => onChange(e.target.value)} required={required}>
          {options.map((o) => (
            <option key={o}>{o}</option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function CheckboxField({ label, checked, onChange }: { label: string; checked: boolean; onChange: (checked: boolean) => void }) {
  const id = useId();
  return (
    <div className="field checkbox">
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}

/** A table with column headers; a `{ hidden }` column is named for screen readers only (an actions column). */
export function Table({ caption, columns, children }: { caption?: string; columns: Array<string | { hidden: string }>; children: ReactNode }) {
  return (
    <table>
      {caption && <caption className="sr-only">{caption}</caption>}
      <thead>
        <tr>
          {columns.map((c) => (
            <th scope="col" key={typeof c === 'string' ? c : c.hidden}>
              {typeof c === 'string' ? c : <span className="sr-only">{c.hidden}</span>}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

/** Under a list shown page by page: loads the next page while more follow. */
export function LoadMore({ more, what, onMore }: { more: boolean | undefined; what: string; onMore: () => void }) {
  if (!more) return null;
  return (
    <button type="button" className="button" onClick={onMore}>
      Load more {what}
    </button>
  );
}

export { Loading } from './loading.tsx';
