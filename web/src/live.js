// Keeps a view current from a watch stream. A stream the server ends (its timeout) is simply opened
// again; a connection that breaks shows a banner, is retried with growing pauses, and the banner says
// when it is back — the view then reloads what it shows, as it may have missed changes meanwhile.
import { watch } from './api.js';

const banner = () => document.getElementById('banner');
let lost = 0; // streams currently broken: the banner stays while any is
let restoredTimer;

function showLost(message) {
  const b = banner();
  clearTimeout(restoredTimer);
  b.className = 'banner lost';
  b.textContent = message;
  b.hidden = false;
}

function showRestored() {
  const b = banner();
  b.className = 'banner restored';
  b.textContent = 'Connection restored: live updates are back.';
  b.hidden = false;
  clearTimeout(restoredTimer);
  restoredTimer = setTimeout(() => { b.hidden = true; }, 5000);
}

/**
 * Follows `path`'s watch until stop() is called. onEvent(event) for each WatchEvent; onResync() after a
 * reconnection. Returns stop.
 */
export function follow(path, query, onEvent, onResync) {
  const controller = new AbortController();
  let broken = false;
  let pause = 500;

  // A watch resumes after the last version it saw; one too old for the server (410) starts afresh.
  let resourceVersion = query?.resourceVersion;
  (async () => {
    while (!controller.signal.aborted) {
      try {
        let expired = false;
        await watch(path, { ...query, resourceVersion, allowWatchBookmarks: 'true' }, (event) => {
          if (event.type === 'ERROR') {
            if (event.object?.code === 410) {
              expired = true;
              return;
            }
            throw new Error(event.object?.message ?? 'watch error');
          }
          resourceVersion = event.object?.metadata?.resourceVersion ?? resourceVersion;
          if (event.type !== 'BOOKMARK') onEvent(event);
        }, controller.signal, () => {
          pause = 500;
          if (broken) {
            broken = false;
            lost--;
            if (lost === 0) showRestored();
            onResync?.();
          }
        });
        // The server ended the stream (its timeout, or it is stopping): watch again at once.
        if (expired) {
          resourceVersion = undefined;
          onResync?.();
        }
      } catch (error) {
        if (controller.signal.aborted) return;
        if (error?.status === 403 || error?.status === 404) return; // nothing to follow here: the view says so itself
        if (!broken) {
          broken = true;
          lost++;
        }
        showLost(`Connection lost: live updates paused, retrying… (${error?.message ?? error})`);
        await new Promise((resolve) => setTimeout(resolve, pause));
        pause = Math.min(pause * 2, 8000);
      }
    }
  })();

  return () => {
    controller.abort();
    if (broken) {
      lost--;
      if (lost === 0) banner().hidden = true;
    }
  };
}
