// Stylesheets imported for their side effect: esbuild writes them to dist/live.css.
declare module '*.css';
