import { useState, type ReactNode } from 'react';
import { ErrorBox } from '../../components/ui.tsx';

/** One action: a small form whose submit calls the API; the page's polling shows the effect. */
export function Action({
  title,
  submitLabel,
  onSubmit,
  children,
  disabled,
  wide,
}: {
  title: string;
  submitLabel: string;
  onSubmit: () => Promise<unknown>;
  children?: ReactNode;
  disabled?: boolean;
  wide?: boolean;
}) {
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const id = `action-${title.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <form
      className={wide ? 'panel action wide' : 'panel action'}
      aria-labelledby={id}
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        try {
          await onSubmit();
          setError(undefined);
          setDone(true);
        } catch (err) {
          setError(err);
          setDone(false);
        } finally {
          setBusy(false);
        }
      }}
    >
      <h3 id={id}>{title}</h3>
      {children}
      <ErrorBox error={error} />
      {done && <p role="status">Requested; the agent applies it.</p>}
      <button className="button" type="submit" disabled={busy || disabled}>
        {submitLabel}
      </button>
    </form>
  );
}
