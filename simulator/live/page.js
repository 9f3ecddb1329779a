// The app page's script in live mode: simulator/page_script.py's choices, in a real page.
// Where the token lives, when to refresh and the CSRF header are decided exactly as the
// simulated page decides them; the driver (app/live) calls these functions one action at
// a time and polls `authflow.results[id]` (Qt's runJavaScript does not await promises).
"use strict";
(function () {
  const cfg = JSON.parse(document.getElementById("authflow-config").textContent);
  const TOKEN_KEY = "access_token";
  const CSRF_KEY = "csrf_token";
  const storage = cfg.mode === "hybrid" ? "memory" : cfg.token_storage;
  // The page's JavaScript variables: reachable by any script in the page, as a real
  // app's state usually is (the XSS lessons read it).
  const memory = {};
  window.authflowMemory = memory;
  const log = [];
  let signedInAs = null;

  function note(entry) { log.push(entry); }
  function setMemory(key, value) {
    memory[key] = value;
    note({ area: "memory", action: "set", key: key, value: value });
  }
  function forgetMemory() {
    if (Object.keys(memory).length) {
      for (const key of Object.keys(memory)) delete memory[key];
      note({ area: "memory", action: "clear", key: null, value: null });
    }
  }
  function token() {
    if (cfg.mode === "session" || storage === "cookie") return null;
    if (storage === "localStorage") return localStorage.getItem(TOKEN_KEY);
    return memory[TOKEN_KEY] === undefined ? null : memory[TOKEN_KEY];
  }
  function keepToken(value) {
    if (storage === "localStorage") {
      localStorage.setItem(TOKEN_KEY, value);
      note({ area: "localStorage", action: "set", key: TOKEN_KEY, value: value });
    } else {
      setMemory(TOKEN_KEY, value);
    }
  }
  function dropToken() {
    if (storage === "localStorage") {
      if (localStorage.getItem(TOKEN_KEY) !== null) {
        localStorage.removeItem(TOKEN_KEY);
        note({ area: "localStorage", action: "remove", key: TOKEN_KEY, value: null });
      }
    } else {
      forgetMemory();
    }
  }
  function acceptLoginBody(body) {
    if (!body || typeof body !== "object") return;
    if (body[CSRF_KEY] !== undefined) setMemory(CSRF_KEY, String(body[CSRF_KEY]));
    if (body[TOKEN_KEY] !== undefined) keepToken(String(body[TOKEN_KEY]));
  }
  function signedIn(user) {
    if (signedInAs !== user) {
      signedInAs = user;
      note({ area: "page", action: "signed_in", key: null, value: user });
      document.getElementById("who").textContent = user ? "Signed in as " + user : "Log in";
    }
  }
  async function send(method, path, body, extra) {
    const headers = Object.assign({}, extra || {});
    const init = { method: method, headers: headers, credentials: "same-origin" };
    if (body !== null && body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    let data = null;
    const text = await response.text();
    try { data = JSON.parse(text); } catch (e) { data = text || null; }
    return { status: response.status, body: data };
  }
  async function pageFetch(method, path, body) {
    const headers = {};
    const t = token();
    if (t !== null) headers["Authorization"] = "Bearer " + t;
    const csrf = memory[CSRF_KEY];
    if (csrf !== undefined && method !== "GET" && method !== "HEAD") headers["X-CSRF-Token"] = csrf;
    return send(method, path, body, headers);
  }
  function userOf(body) {
    const t = body[TOKEN_KEY];
    if (typeof t !== "string") return signedInAs;
    try {
      const segment = t.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      return String(JSON.parse(atob(segment)).sub);
    } catch (e) { return null; }
  }
  async function login(user, password, rememberMe) {
    const body = { username: user, password: password };
    if (rememberMe) body.remember_me = true;
    const r = await send("POST", "/auth/login", body, {});
    if (r.status === 200) { acceptLoginBody(r.body); signedIn(user); } else { signedIn(null); }
    return r;
  }
  async function refresh() {
    const r = await pageFetch("POST", "/auth/refresh", null);
    if (r.status === 200 && r.body && typeof r.body === "object") {
      acceptLoginBody(r.body);
      signedIn(userOf(r.body));
      return true;
    }
    if (cfg.mode === "hybrid") { dropToken(); signedIn(null); }
    return false;
  }
  async function api(method, path, body) {
    if (cfg.mode === "hybrid" && token() === null && signedInAs) await refresh();
    let r = await pageFetch(method, path, body);
    // The usual SPA interceptor: on 401, refresh once and retry.
    if (r.status === 401 && cfg.mode === "hybrid" && (await refresh())) {
      r = await pageFetch(method, path, body);
    }
    if (r.status === 200 && r.body && typeof r.body === "object" && "user" in r.body) {
      signedIn(String(r.body.user));
    } else if (r.status === 401) {
      if (cfg.mode === "jwt" && token() !== null) dropToken();
      signedIn(null);
    }
    return r;
  }
  async function logout() {
    const r = await pageFetch("POST", "/auth/logout", null);
    if (cfg.mode !== "session") dropToken();
    forgetMemory();
    signedIn(null);
    return r;
  }
  async function changePassword(oldPassword, newPassword) {
    const body = { old_password: oldPassword, new_password: newPassword };
    const r = await pageFetch("POST", "/account/password", body);
    // The page takes the fresh credential as it does at login.
    if (r.status === 200) acceptLoginBody(r.body);
    return r;
  }
  async function onLoad() {
    // What the page's script does after a navigation (reload, reopening the browser).
    const boot = cfg.boot || {};
    if (boot[CSRF_KEY]) setMemory(CSRF_KEY, String(boot[CSRF_KEY]));
    signedIn(boot.signed_in_as ? String(boot.signed_in_as) : null);
    if (cfg.mode === "jwt" && storage === "localStorage" && token() !== null) {
      await api("GET", "/api/profile", null);
    } else if (cfg.mode === "hybrid") {
      await refresh();
    }
    return null;
  }
  const calls = { login: login, refresh: refresh, api: api, logout: logout, onLoad: onLoad, fetch: pageFetch,
    changePassword: changePassword };
  let next = 0;
  window.authflow = {
    results: {},
    start: function (name, args) {
      const id = ++next;
      Promise.resolve()
        .then(() => calls[name].apply(null, args))
        .then(
          (value) => { this.results[id] = { ok: true, value: value === undefined ? null : value }; },
          (error) => { this.results[id] = { ok: false, error: String(error) }; }
        );
      return id;
    },
    drain: function () { return log.splice(0, log.length); },
  };
})();
