// Renderer entry: styles, document language, then the app.
import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { applyDocumentLang } from './i18n/locale.svelte';

applyDocumentLang();
const target = document.getElementById('app');
if (!target) throw new Error('index.html must contain <div id="app"> for GradLab to start.');
mount(App, { target });
