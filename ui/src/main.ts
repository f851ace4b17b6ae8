import { mount } from 'svelte';
import App from './App.svelte';
import { api } from './lib/api';
import { applyLanguage, applyTheme } from './lib/settings.svelte';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

// The user's language and theme before anything is drawn; the lock screen gets them too.
try {
  const status = await api.lockStatus();
  applyLanguage(status.language);
  applyTheme(status.theme);
} catch {
  // Without the Rust side (a broken vault) the system's language and theme stay.
}
export default mount(App, { target });
