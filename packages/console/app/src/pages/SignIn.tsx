import { Tab, TabList, TabPanel, Tabs } from 'react-aria-components';
import type { Session } from '../api.ts';
import { Link } from '../router.tsx';
import { KeyForm } from './sign-in/KeyForm.tsx';
import { PasswordForm } from './sign-in/PasswordForm.tsx';
import { SsoOptions } from './sign-in/SsoOptions.tsx';

export default function SignIn({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  return (
    <main id="main" className="signin">
      <h1>Sign in to qhc</h1>
      <Tabs className="tabs">
        <TabList aria-label="How to sign in" className="tab-list">
          <Tab id="password" className="tab">
            Email and password
          </Tab>
          <Tab id="key" className="tab">
            Management key
          </Tab>
        </TabList>
        <TabPanel id="password" className="tab-panel">
          <PasswordForm onSignedIn={onSignedIn} />
        </TabPanel>
        <TabPanel id="key" className="tab-panel">
          <KeyForm onSignedIn={onSignedIn} />
        </TabPanel>
      </Tabs>
      <SsoOptions />
      <p>
        No account yet? <Link href="/sign-up">Sign up</Link>
      </p>
    </main>
  );
}
