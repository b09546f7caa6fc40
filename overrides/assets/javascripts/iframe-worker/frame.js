// Runs first inside the hidden frame of shim.js: the globals a worker script expects.
"use strict";
self.postMessage = (data, origin) => parent.postMessage(data, origin || "*");
self.importScripts = (...urls) => urls.reduce((done, url) => done.then(() => new Promise(resolve => {
  const script = document.createElement("script");
  script.src = url;
  script.onload = resolve;
  document.body.appendChild(script);
})), Promise.resolve());
addEventListener("error", ({ error }) => parent.dispatchEvent(new ErrorEvent("error", { filename: name, error })));
