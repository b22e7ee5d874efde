import { useState } from 'react';
import { Button, Dialog, DialogTrigger, Heading, Modal } from 'react-aria-components';
import type { iamV1 } from '@qhc/cloud-api';
import { accountId } from '../../api.ts';
import { iamApi } from '../../clients.ts';
import { RoleChecklist } from '../../components/RoleChecklist.tsx';
import { ErrorBox } from '../../components/ui.tsx';
import { roleChanges } from '../../lib/roles.ts';
import { useSubmit } from '../backups/use-submit.ts';

/** A member's roles changed in a dialog: the difference is sent as one AssignUserRoles. */
export function MemberRoles({
  email,
  userId,
  current,
  roles,
  onSaved,
}: {
  email: string;
  userId: string;
  current: string[];
  roles: iamV1.Role[];
  onSaved: () => Promise<void>;
}) {
  const [wanted, setWanted] = useState<string[]>(current);
  const { error, busy, run } = useSubmit();
  const save = (close: () => void) =>
    run(async () => {
      await iamApi.assignUserRoles({ accountId: accountId(), userId, ...roleChanges(current, wanted) });
      await onSaved();
      close();
    });
  return (
    <DialogTrigger onOpenChange={() => setWanted(current)}>
      <Button className="button" aria-label={`Edit roles of ${email}`}>
        Edit roles…
      </Button>
      <Modal isDismissable className="modal">
        <Dialog className="dialog">
          {({ close }) => (
            <form onSubmit={(e) => (e.preventDefault(), void save(close))}>
              <Heading slot="title">Roles of {email}</Heading>
              <RoleChecklist legend="Roles" roles={roles} value={wanted} onChange={setWanted} />
              <ErrorBox error={error} />
              <div className="actions">
                <Button className="button" onPress={close}>
                  Cancel
                </Button>
                <Button type="submit" className="button primary" isDisabled={busy}>
                  Save roles
                </Button>
              </div>
            </form>
          )}
        </Dialog>
      </Modal>
    </DialogTrigger>
  );
}
