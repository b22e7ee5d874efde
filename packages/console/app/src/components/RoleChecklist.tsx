import type { iamV1 } from '@qhc/cloud-api';
import { CheckboxField } from './ui.tsx';

/** A checkbox per role: the roles an invite, a key or a member gets. */
export function RoleChecklist({
  legend,
  roles,
  value,
  onChange,
}: {
  legend: string;
  roles: readonly iamV1.Role[];
  value: readonly string[];
  onChange: (ids: string[]) => void;
}) {
  if (roles.length === 0) return null;
  return (
    <fieldset>
      <legend>{legend}</legend>
      {roles.map((role) => (
        <CheckboxField
          key={role.id}
          label={role.description ? `${role.name} (${role.description})` : role.name}
          checked={value.includes(role.id)}
          onChange={(checked) => onChange(checked ? [...value, role.id] : value.filter((id) => id !== role.id))}
        />
      ))}
    </fieldset>
  );
}
