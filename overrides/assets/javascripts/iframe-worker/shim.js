// A stand-in for Web Workers on pages opened from file://, where the browser refuses real workers, so
// that Material's search works offline. Modeled on the npm package iframe-worker (MIT, Martin Donath);
// unlike it, the hidden frame gets no inline script (its globals come from frame.js beside this file),
// so the site's Content-Security-Policy can refuse every inline script it has not hashed.
"use strict";
(() => {
  if (location.protocol !== "file:") return;
  const frameScript = new URL("frame.js", document.currentScript.src).href;

  class IFrameWorker extends EventTarget {
    constructor(url) {
      super();
      this.url = `${url}`;
      const iframe = document.createElement("iframe");
      iframe.hidden = true;
      iframe.name = this.url;                     // frame.js names the worker in its error reports
      document.body.appendChild(this.iframe = iframe);
      const frame = iframe.contentWindow;
      this.relay = event => {
        if (event.source !== frame) return;
        const message = new MessageEvent("message", { data: event.data });
        this.dispatchEvent(message);
        if (this.onmessage) this.onmessage(message);
      };
      this.fail = event => {
        if (event.filename !== this.url) return;
        this.dispatchEvent(new ErrorEvent("error", event));
        if (this.onerror) this.onerror(event);
      };
      window.addEventListener("message", this.relay);
      window.addEventListener("error", this.fail);
      frame.document.open();
      frame.document.write(`<html><body><script src="${frameScript}"></script>` +
                           `<script src="${this.url}?${Date.now()}"></script></body></html>`);
      frame.document.close();
      // After close(): document.open() erases the frame's event handlers.
      this.ready = new Promise((resolve, reject) => { frame.onload = resolve; frame.onerror = reject; });
    }

    postMessage(data) {
      this.ready.catch(() => {}).then(() => {
        this.iframe.contentWindow.dispatchEvent(new MessageEvent("message", structuredClone({ data })));
      });
    }

    terminate() {
      window.removeEventListener("message", this.relay);
      window.removeEventListener("error", this.fail);
      this.iframe.remove();
    }
  }

  window.IFrameWorker = IFrameWorker;
  window.Worker = IFrameWorker;
})();
