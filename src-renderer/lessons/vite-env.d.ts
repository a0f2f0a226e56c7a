// Vite's client types (import.meta.glob, `?raw` imports, CSS side-effect imports) for the lessons module.
/// <reference types="vite/client" />
