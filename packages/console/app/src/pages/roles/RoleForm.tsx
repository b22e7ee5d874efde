import { useState } from 'react';
import type { iamV1 } from '@qhc/cloud-api';
import { accountId } from '../../api.ts';
import { iamApi } from '../../clients.ts';
import { CheckboxField, ErrorBox, Field } from '../../components/ui.tsx';
import { permissionGroups } from '../../lib/roles.ts';
import { useSubmit } from '../backups/use-submit.ts';

function PermissionPicker({ catalogue, value, onChange }: { catalogue: iamV1.Permission[]; value: string[]; onChange: (v: string[]) => void }) {
  return (
    <div className="permission-groups">
      {permissionGroups(catalogue).map(([group, values]) => (
        <fieldset key={group}>
          <legend>{group}</legend>
          {values.map((p) => (
            <CheckboxField key={p} label={p} checked={value.includes(p)} onChange={(on) => onChange(on ? [...value, p] : value.filter((x) => x !== p))} />
          ))}
        </fieldset>
      ))}
    </div>
  );
}

/** A custom role's name, description and permissions: a new role, or changes to one (IAMService Create/UpdateRole). */
export function RoleForm({ role, catalogue, onSaved }: { role?: iamV1.Role; catalogue: iamV1.Permission[]; onSaved: () => Promise<void> }) {
  const [name, setName] = useState(role?.name ?? '');
  const [description, setDescription] = useState(role?.description ?? '');
  const [permissions, setPermissions] = useState<string[]>(role?.permissions.map((p) => p.value) ?? []);
  const { error, busy, run } = useSubmit();
  const submit = () =>
    run(async () => {
      const body = { accountId: accountId(), name: name.trim(), description: description.trim(), permissions: permissions.map((value) => ({ value })) };
      if (role)
        await iamApi.updateRole({ role: { ...body, id: role.id, roleType: role.roleType }, updateMask: { paths: ['name', 'description', 'permissions'] } });
      else {
        await iamApi.createRole({ role: { ...body, roleType: 2 } });
        setName('');
        setDescription('');
        setPermissions([]);
      }
      await onSaved();
    });
  return (
    <form onSubmit={(e) => (e.preventDefault(), void submit())} aria-label={role ? `Edit role ${role.name}` : 'New custom role'}>
      <Field label="Role name">{(id) => <input id={id} value={name} onChange={(e) => setName(e.target.value)} required />}</Field>
      <Field label="Description">{(id) => <input id={id} value={description} onChange={(e) => setDescription(e.target.value)} />}</Field>
      <PermissionPicker catalogue={catalogue} value={permissions} onChange={setPermissions} />
      <ErrorBox error={error} />
      <button type="submit" className="button primary" disabled={busy || !name.trim() || permissions.length === 0}>
        {role ? 'Save role' : 'Create role'}
      </button>
    </form>
  );
}
