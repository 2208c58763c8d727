// Sign-in of the worklist page, in the mode GET /api/session names:
// - "basic": the gateway's local users; user and password go with each API call as HTTP Basic, kept in
//   sessionStorage for this tab only;
// - "oidc": the hospital's identity provider; "Sign in" goes to /signin, which sends the browser to the identity
//   provider (authorization code flow with PKCE) and back with a session cookie that is HttpOnly: this script never
//   sees a password or a token. "Sign out" goes to /signout, which ends the session here and at the provider.
// worklist.js calls authHeaders(), isSignedIn() and signOut(); this file calls its refresh().
"use strict";

const BASIC_KEY = "seg-gateway.basic";
// Sent with every API call in OIDC mode: the gateway refuses a change made with the session cookie without it, as
// another site cannot send it (cross-site request forgery guard, security.SessionCsrfCheck).
const PAGE_HEADER = "X-Requested-With";
let authMode = null;
let session = null;

function authHeaders() {
  if (authMode === "oidc") return { [PAGE_HEADER]: "seg-gateway-page" };
  const basic = sessionStorage.getItem(BASIC_KEY);
  return basic ? { "Authorization": "Basic " + basic } : {};
}

function isSignedIn() {
  return authMode === "oidc" ? Boolean(session && session.user) : sessionStorage.getItem(BASIC_KEY) !== null;
}

function showSignedIn(user) {
  $("login").hidden = true;
  $("worklist").hidden = false;
  $("logout").hidden = false;
  $("who").textContent = user;
  refresh();
}

function signOut(message) {
  sessionStorage.removeItem(BASIC_KEY);
  if (authMode === "oidc" && session && session.user && message) message = "Your session has ended: sign in again.";
  if (session) session.user = null;
  $("worklist").hidden = true;
  $("logout").hidden = true;
  $("who").textContent = "";
  $("login").hidden = false;
  $("basic-sign-in").hidden = authMode === "oidc";
  $("oidc-sign-in").hidden = authMode !== "oidc";
  $("login-error").textContent = message || "";
}

async function startSignIn() {
  try {
    const headers = { "Accept": "application/json", [PAGE_HEADER]: "seg-gateway-page" };
    let response = await fetch("/api/session", { headers });
    // 401: a session cookie that no longer holds (signed out, expired, the gateway's key changed): ask without it
    if (response.status === 401) response = await fetch("/api/session", { headers, credentials: "omit" });
    if (!response.ok) throw new Error("/api/session answered " + response.status);
    session = await response.json();
    authMode = session.mode;
  } catch (e) {
    authMode = "basic";
    signOut("How to sign in is unknown: " + e.message);
    return;
  }
  if (authMode === "oidc" && session.user) showSignedIn(session.user);
  else if (authMode === "basic" && sessionStorage.getItem(BASIC_KEY))
    showSignedIn(atob(sessionStorage.getItem(BASIC_KEY)).split(":")[0]);
  else signOut();
}

$("login").addEventListener("submit", event => {
  event.preventDefault();
  if (authMode !== "basic") return;
  // btoa needs Latin-1: encode UTF-8 first
  const pair = $("user").value + ":" + $("password").value;
  sessionStorage.setItem(BASIC_KEY, btoa(String.fromCharCode(...new TextEncoder().encode(pair))));
  $("password").value = "";
  showSignedIn($("user").value);
});
$("sign-in-idp").addEventListener("click", () => location.assign(session.signIn));
$("logout").addEventListener("click", () => {
  if (authMode === "oidc") location.assign(session.signOut);
  else signOut();
});
startSignIn();
