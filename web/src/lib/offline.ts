/**
 * The offline shell (web/sw.template.js, built to /sw.js). Registered in production builds only:
 * a service worker needs a secure context (https, or localhost), so on a plain-http LAN address
 * the app still works online, without the offline shell.
 */
export function registerOfflineShell(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return
  const register = (): void => {
    navigator.serviceWorker.register('/sw.js').catch(() => {
      // No secure context, or the browser refuses: the app works online as before.
    })
  }
  // After the page's own requests, so installing the shell never slows the first screen.
  if (document.readyState === 'complete') register()
  else window.addEventListener('load', register, { once: true })
}

/** Drops the reads kept for offline use (session, rounds, missed list) when the session ends. */
export function forgetOfflineData(): void {
  navigator.serviceWorker?.controller?.postMessage('wg:logout')
}
