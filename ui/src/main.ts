import { mount } from 'svelte';
import App from './App.svelte';
import { api, type Home, type LockStatus } from './lib/api';
import { applyLanguage, applyTheme } from './lib/settings.svelte';
import { markStartupStep } from './lib/startup.svelte';
import './app.css';

markStartupStep('script-runs');

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

// The home screen's first read goes out with the lock's, not after it: while the lock is
// shut the Rust side refuses it, and the app reads again once unlocked.
markStartupStep('home-asked');
const firstHome: Promise<Home> = api.homeScreen();
firstHome.then(
  () => markStartupStep('home-answered'),
  () => {},
);

// The user's language and theme before anything is drawn; the lock screen gets them too,
// and the app its first lock state.
let lockStatus: LockStatus | null = null;
try {
  lockStatus = await api.lockStatus();
  markStartupStep('lock-status-answered');
  applyLanguage(lockStatus.language);
  applyTheme(lockStatus.theme);
} catch {
  // Without the Rust side (a broken vault) the system's language and theme stay.
}
// Open, the first frame shows the accounts with their codes: drawing the screen before they
// came would cost a frame of its own, which the reply would then wait behind.
const open = lockStatus !== null && !lockStatus.locked;
if (open) await firstHome.catch(() => undefined);
const app = mount(App, { target, props: { lockStatus, firstHome: open ? firstHome : null } });
markStartupStep('mounted');
export default app;
