// The "Print" button of the printable programme (`GET /programme/print`). It was an inline
// `onclick` handler; the Content-Security-Policy runs no inline script, so it lives here.
// Without this script the button does nothing and the browser's own Print still works.

for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-print]')) {
  button.addEventListener('click', () => window.print());
}
