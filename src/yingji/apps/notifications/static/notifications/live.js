/* Live duty-desk events (server-sent events) for any page: toast, short beep (mutable), htmx trigger.
 *
 * Include with <script src="{% static 'notifications/live.js' %}" defer></script> on a page that has
 * an element with data-desk-stream="<stream url>" (and optionally data-desk-after="<last event id>").
 * Every event fires htmx.trigger(document.body, "desk-event", payload) so lists can refresh with
 * hx-trigger="desk-event from:body". The mute state is kept in localStorage ("yingji.desk.muted").
 * No dependencies; works without htmx (then only the toast and the beep).
 */
(function () {
  "use strict";
  var MUTE_KEY = "yingji.desk.muted";
  var root = document.querySelector("[data-desk-stream]");
  if (!root || !window.EventSource) { return; }
  var state = { events: [], beeps: 0, connected: false };
  window.yingjiDesk = state;

  function muted() {
    try { return window.localStorage.getItem(MUTE_KEY) === "1"; } catch (e) { return false; }
  }
  function setMuted(on) {
    try { window.localStorage.setItem(MUTE_KEY, on ? "1" : "0"); } catch (e) { /* private mode */ }
    muteButton.textContent = on ? "🔇" : "🔊";
    muteButton.setAttribute("aria-pressed", on ? "true" : "false");
  }

  var box = document.createElement("div");
  box.className = "desk-toasts";
  box.setAttribute("aria-live", "assertive");
  box.style.cssText = "position:fixed;right:16px;bottom:16px;z-index:10000;display:flex;flex-direction:column;gap:8px;max-width:360px";
  var muteButton = document.createElement("button");
  muteButton.type = "button";
  muteButton.className = "desk-mute";
  muteButton.title = root.getAttribute("data-mute-label") || "静音";
  muteButton.style.cssText = "align-self:flex-end;font-size:18px;background:#fff;border:1px solid #bbb;border-radius:4px;cursor:pointer";
  muteButton.addEventListener("click", function () { setMuted(!muted()); });
  box.appendChild(muteButton);
  document.body.appendChild(box);
  setMuted(muted());

  var COLORS = { critical: "#b71c1c", warning: "#e65100", info: "#0b5cad" };
  function toast(ev) {
    var el = document.createElement("a");
    el.className = "desk-toast severity-" + ev.severity;
    el.href = ev.url || "#";
    el.textContent = ev.title;
    el.style.cssText = "display:block;padding:10px 14px;color:#fff;border-radius:6px;text-decoration:none;" +
      "box-shadow:0 2px 8px rgba(0,0,0,.3);background:" + (COLORS[ev.severity] || COLORS.info);
    box.appendChild(el);
    window.setTimeout(function () { if (el.parentNode) { el.parentNode.removeChild(el); } }, 15000);
  }

  var audio = null;
  function beep(ev) {
    if (muted() || ev.severity === "info") { return; }
    try {
      var Ctx = window.AudioContext || window.webkitAudioContext;
      if (!Ctx) { return; }
      audio = audio || new Ctx();
      if (audio.state === "suspended") { audio.resume(); }
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.type = "sine";
      osc.frequency.value = ev.severity === "critical" ? 880 : 660;
      gain.gain.value = 0.15;
      osc.connect(gain);
      gain.connect(audio.destination);
      osc.start();
      osc.stop(audio.currentTime + 0.25);
      state.beeps += 1;
    } catch (e) { /* audio not allowed yet: the toast still shows */ }
  }

  var url = root.getAttribute("data-desk-stream");
  var after = root.getAttribute("data-desk-after");
  if (after) { url += (url.indexOf("?") < 0 ? "?" : "&") + "after=" + encodeURIComponent(after); }
  var source = new EventSource(url);
  source.addEventListener("open", function () { state.connected = true; root.setAttribute("data-desk-connected", "true"); });
  source.addEventListener("desk", function (msg) {
    var ev;
    try { ev = JSON.parse(msg.data); } catch (e) { return; }
    state.events.push(ev);
    toast(ev);
    beep(ev);
    if (window.htmx) { window.htmx.trigger(document.body, "desk-event", ev); }
    document.body.dispatchEvent(new CustomEvent("yingji:desk-event", { detail: ev }));
  });
})();
