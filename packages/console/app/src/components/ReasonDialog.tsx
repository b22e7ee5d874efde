import { useState } from 'react';
import { Button, Dialog, DialogTrigger, Heading, Label, Modal, TextArea, TextField } from 'react-aria-components';
import { ErrorBox } from './ui.tsx';

/** An action that needs a reason (rejecting an account): a dialog asks for it. */
export function ReasonDialog({ label, title, onConfirm }: { label: string; title: string; onConfirm: (reason: string) => Promise<void> }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const confirm = async (close: () => void) => {
    setBusy(true);
    try {
      await onConfirm(reason.trim());
      close();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <DialogTrigger onOpenChange={() => (setReason(''), setError(undefined))}>
      <Button className="button danger">{label}…</Button>
      <Modal isDismissable className="modal">
        <Dialog className="dialog">
          {({ close }) => (
            <form onSubmit={(e) => (e.preventDefault(), void confirm(close))}>
              <Heading slot="title">{title}</Heading>
              <TextField value={reason} onChange={setReason} autoFocus className="field" isRequired>
                <Label>Reason</Label>
                <TextArea rows={3} />
              </TextField>
              <ErrorBox error={error} />
              <div className="actions">
                <Button className="button" onPress={close}>
                  Cancel
                </Button>
                <Button type="submit" className="button danger" isDisabled={!reason.trim() || busy}>
                  {label}
                </Button>
              </div>
            </form>
          )}
        </Dialog>
      </Modal>
    </DialogTrigger>
  );
}
