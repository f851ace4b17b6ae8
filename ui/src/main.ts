import { mount } from 'svelte';
import App from './App.svelte';
import { api, type LockStatus } from './lib/api';
import { applyLanguage, applyTheme } from './lib/settings.svelte';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

// The user's language and theme before anything is drawn; the lock screen gets them too,
// and the app its first lock state.
let lockStatus: LockStatus | null = null;
try {
  lockStatus = await api.lockStatus();
  applyLanguage(lockStatus.language);
  applyTheme(lockStatus.theme);
} catch {
  // Without the Rust side (a broken vault) the system's language and theme stay.
}
export default mount(App, { target, props: { lockStatus } });
