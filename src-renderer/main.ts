// Renderer entry: styles, document language, then the app (or the classroom audience view).
import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { applyDocumentLang, locale } from './i18n/locale.svelte';
import { AudienceView, installPresenterShortcuts, isAudienceWindow } from './classroom';

applyDocumentLang();
const target = document.getElementById('app');
if (!target) throw new Error('index.html must contain <div id="app"> for GradLab to start.');
if (isAudienceWindow()) {
  mount(AudienceView, { target, props: { lang: locale.lang } });
} else {
  installPresenterShortcuts(); // F5 toggles presenter mode and never reloads the page
  mount(App, { target });
}
