import { AccountForm } from './account/AccountForm.tsx';
import { AccountPage } from './account/AccountPage.tsx';
import { BillingForm } from './account/BillingForm.tsx';

export default function AccountSettings() {
  return (
    <AccountPage title="Account settings" intro="The account's name and company, and who its invoices go to.">
      <AccountForm />
      <BillingForm />
    </AccountPage>
  );
}
