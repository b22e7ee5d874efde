import { useState } from 'react';
import { Button, Dialog, DialogTrigger, Heading, Input, Label, Modal, TextField } from 'react-aria-components';
import { ErrorBox } from './ui.tsx';

// React Aria Components for what native HTML does not do well: a modal dialog that traps
// focus, returns it to its trigger and closes on Escape; buttons with consistent press events.

/** Deleting needs the name typed again: a slip of the mouse must not delete a database. */
export function ConfirmDelete({ what, name, onConfirm }: { what: string; name: string; onConfirm: () => Promise<void> }) {
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  return (
    <DialogTrigger onOpenChange={() => (setTyped(''), setError(undefined))}>
      <Button className="button danger">Delete {what}…</Button>
      <Modal isDismissable className="modal">
        <Dialog className="dialog">
          {({ close }) => (
            <form
              onSubmit={async (e) => {
                e.preventDefault();
                setBusy(true);
                try {
                  await onConfirm();
                  close();
                } catch (err) {
                  setError(err);
                } finally {
                  setBusy(false);
                }
              }}
            >
              <Heading slot="title">
                Delete {what} {name}?
              </Heading>
              <p>This cannot be undone. Type the {what}'s name to confirm.</p>
              <TextField value={typed} onChange={setTyped} autoFocus className="field">
                <Label>Name of the {what}</Label>
                <Input autoComplete="off" />
              </TextField>
              <ErrorBox error={error} />
              <div className="actions">
                <Button className="button" onPress={close}>
                  Cancel
                </Button>
                <Button type="submit" className="button danger" isDisabled={typed !== name || busy}>
                  {busy ? 'Deleting…' : `Delete ${what}`}
                </Button>
              </div>
            </form>
          )}
        </Dialog>
      </Modal>
    </DialogTrigger>
  );
}

export function Copy({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <>
      <Button
        className="button"
        aria-label={label}
        onPress={async () => {
          await navigator.clipboard.writeText(text);
          setCopied(true);
          setTimeout(() => setCopied(false), 2000);
        }}
      >
        Copy
      </Button>
      {/* Announced, and kept out of the button's name (which must match its visible text). */}
      <span role="status" className="note">
        {copied ? ' Copied to the clipboard' : ''}
      </span>
    </>
  );
}
