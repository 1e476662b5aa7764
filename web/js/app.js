// The shell: header with navigation and the language switch, the hash router, the
// service worker. Each page is a module under js/views/, fetched when first visited.
import { ApiError, busy, clear, go, h, helpLine, homeOf, me, notice, session, setLanguage, state, t } from "./core.js";

// "#/space/J130012345/marks" → view "space", params ["J130012345", "marks"].
const VIEWS = {
  "": "home",
  register: "register",
  track: "track",
  signin: "auth",
  activate: "auth",
  recover: "auth",
  password: "auth",
  profile: "profile",
  space: "space",
  desk: "desk",
  ops: "ops",
};
const SIGNED_IN_ONLY = new Set(["profile", "space", "desk", "ops", "password"]);

const main = document.getElementById("main");
let renderCount = 0;

function nav() {
  const role = session.role();
  const links = role
    ? [[homeOf(role), role === "staff" ? t("desk") : role === "ops" ? t("ops") : t("space")], ["#/profile", t("profile")]]
    : [["#/register", t("register")], ["#/track", t("track")], ["#/signin", t("signin")]];
  const current = "#/" + location.hash.replace(/^#\/?/, "").split("/")[0];
  const items = links
    .filter(([href], index, all) => all.findIndex(([other]) => other === href) === index)
    .map(([href, text]) => h("li", {}, h("a", { href, "aria-current": current === href ? "page" : null }, text)));
  if (role) {
    items.push(h("li", {}, h("button", { type: "button", class: "link", onclick: signOut }, t("signout"))));
  }
  return h("ul", {}, items);
}

async function signOut() {
  const current = session.get();
  if (current?.refresh_token) {
    const { api } = await import("./core.js");
    await api("POST", "/v1/auth/logout", { body: { refresh_token: current.refresh_token } }).catch(() => null);
  }
  session.clear();
  go("#/signin");
}

function renderShell() {
  document.getElementById("skip").textContent = t("skip");
  const brand = document.getElementById("brand");
  brand.textContent = t("app");
  clear(document.getElementById("nav"), nav());
  const switcher = document.getElementById("lang");
  switcher.textContent = t("switch_to");
  switcher.setAttribute("lang", state.lang === "ar" ? "fr" : "ar");
  switcher.setAttribute("aria-label", t("switch_label"));
}

async function route() {
  const run = ++renderCount;
  busy();
  const parts = location.hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  const name = parts[0] || "";
  renderShell();
  const view = VIEWS[name];
  if (!view) {
    clear(main, h("h1", { tabindex: "-1" }, t("not_found")), h("p", {}, h("a", { href: "#/" }, t("home"))), helpLine());
    document.documentElement.dataset.ready = "1";
    return;
  }
  if (SIGNED_IN_ONLY.has(name) && !session.get()) {
    sessionStorage.setItem("massar.after_signin", location.hash);
    go("#/signin");
    return;
  }
  clear(main, h("p", { class: "loading", role: "status" }, t("loading")));
  // The desk's tab module is fetched with the desk itself, not one round trip after it.
  const DESK_TABS = ["applications", "classes", "transfers", "yearend", "subjects", "timetable", "marks", "absences", "behaviour", "homework", "guardians", "inbox", "appointments", "letters", "codes"];
  if (view === "desk" && session.role() === "staff" && DESK_TABS.includes(parts[1] || "applications")) {
    import(`./views/desk-${parts[1] || "applications"}.js`).catch(() => null);
  }
  const OPS_TABS = ["dashboard", "campaigns", "schools", "staff", "batches", "notifications", "audit"];
  if (view === "ops" && session.role() === "ops" && OPS_TABS.includes(parts[1] || "dashboard")) {
    import(`./views/ops-${parts[1] || "dashboard"}.js`).catch(() => null);
  }
  try {
    const module = await import(`./views/${view}.js`);
    if (run !== renderCount) return; // a newer navigation won
    main.replaceChildren();
    await module.render(main, { name, params: parts.slice(1) });
  } catch (error) {
    if (run !== renderCount) return;
    console.error(error);
    // The API's own words when it answered (a link gone stale); the network's otherwise.
    const said = error instanceof ApiError && error.status < 500 ? error.message : t("network_error");
    clear(main, notice("bad", said), h("button", { type: "button", class: "secondary", onclick: route }, t("retry")), helpLine());
    document.documentElement.dataset.ready = "1";
    return;
  }
  if (run === renderCount) main.querySelector("h1")?.focus({ preventScroll: true });
}

document.getElementById("lang").addEventListener("click", () => {
  setLanguage(state.lang === "ar" ? "fr" : "ar");
  route();
});
document.getElementById("skip").addEventListener("click", (event) => {
  event.preventDefault(); // "#main" is not a route
  main.focus();
});
window.addEventListener("hashchange", route);
window.addEventListener("massar:session", renderShell);
setLanguage(state.lang);
if (session.get()) me().catch(() => null); // in parallel with the page's module
route();

// An application whose sending was cut (page closed, connection lost) goes on by itself.
if (localStorage.getItem("massar.registration_draft")?.includes('"status":"sending"') && !location.hash.startsWith("#/register")) {
  import("./views/register.js").then((module) => module.sendPending()).catch(() => null);
}

if ("serviceWorker" in navigator && !navigator.webdriver) {
  // Tests drive the browser (navigator.webdriver): they opt in with ?sw=1.
  navigator.serviceWorker.register("/sw.js").catch(() => null);
} else if ("serviceWorker" in navigator && new URLSearchParams(location.search).has("sw")) {
  navigator.serviceWorker.register("/sw.js").catch(() => null);
}
