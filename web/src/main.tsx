// Entry point: mounts the app. Styles are bundled files (no inline style), fonts are the system's.
// First: must run before any module that builds zod schemas (see zod-config.ts).
import './zod-config.js';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import 'maplibre-gl/dist/maplibre-gl.css';
import './styles.css';
import { App } from './app.js';

const root = document.getElementById('root');
if (!root) throw new Error('index.html must contain <div id="root"> for the app to mount into.');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
