import { useSyncExternalStore } from 'react';
import { apiWarnings } from '../api.ts';

/** What the control plane warned about (the object was still created), until dismissed. */
export function Warnings() {
  const list = useSyncExternalStore(apiWarnings.subscribe, apiWarnings.current);
  if (list.length === 0) return null;
  return (
    <div className="warnings" role="alert">
      <ul>
        {list.map((w, i) => (
          <li key={i}>Warning: {w}</li>
        ))}
      </ul>
      <button type="button" className="button" onClick={() => apiWarnings.dismiss()}>
        Dismiss
      </button>
    </div>
  );
}
