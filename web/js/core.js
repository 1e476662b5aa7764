// The client's core: language, DOM building, the API client, the session, formats and
// form helpers. Views (js/views/*.js) are loaded on demand and use only what is here.

// --- Language ------------------------------------------------------------------------
const LANG_KEY = "massar.lang";

export function preferredLanguage() {
  const saved = localStorage.getItem(LANG_KEY);
  if (saved === "ar" || saved === "fr") return saved;
  // Arabic when the browser asks for it before French; French otherwise (API default).
  for (const tag of navigator.languages || [navigator.language || "fr"]) {
    const base = String(tag).slice(0, 2).toLowerCase();
    if (base === "ar") return "ar";
    if (base === "fr") return "fr";
  }
  return "fr";
}

export const state = { lang: preferredLanguage() };

export function setLanguage(lang) {
  state.lang = lang;
  localStorage.setItem(LANG_KEY, lang);
  document.documentElement.lang = lang;
  document.documentElement.dir = lang === "ar" ? "rtl" : "ltr";
}

const COMMON = {
  ar: {
    app: "مسار · الخدمات الإلكترونية",
    skip: "انتقل إلى المحتوى",
    switch_to: "Français",
    switch_label: "Passer au français",
    home: "الرئيسية",
    register: "التسجيل الأولي",
    track: "تتبع طلب",
    signin: "تسجيل الدخول",
    signout: "تسجيل الخروج",
    activate: "تفعيل الحساب",
    recover: "استرجاع القن السري",
    space: "فضائي",
    desk: "مكتب المؤسسة",
    ops: "فضاء المشرفين",
    profile: "الملف الشخصي",
    loading: "جارٍ التحميل…",
    offline: "أنت غير متصل. تُعرض آخر معطيات محفوظة على الجهاز",
    saved_on: "محفوظة بتاريخ",
    network_error: "تعذر الاتصال. تحقق من الشبكة ثم أعد المحاولة.",
    retry: "إعادة المحاولة",
    not_found: "الصفحة غير موجودة.",
    save: "حفظ",
    send: "إرسال",
    cancel: "إلغاء",
    back: "رجوع",
    required: "إجباري",
    optional: "اختياري",
    none: "لا شيء",
    yes: "نعم",
    no: "لا",
    signed_in_as: "متصل باسم",
    help_line: "للمساعدة، الرقم الأخضر للوزارة (مجاني):",
    retry_in: "أعيدوا المحاولة بعد {n#seconds}.",
    retry_in_minutes: "أعيدوا المحاولة بعد {n#minutes}.",
    seconds: { zero: "# ثانية", one: "ثانية واحدة", two: "ثانيتين", few: "# ثوان", many: "# ثانية", other: "# ثانية" },
    minutes: { zero: "# دقيقة", one: "دقيقة واحدة", two: "دقيقتين", few: "# دقائق", many: "# دقيقة", other: "# دقيقة" },
  },
  fr: {
    app: "Massar · Services en ligne",
    skip: "Aller au contenu",
    switch_to: "العربية",
    switch_label: "التبديل إلى العربية",
    home: "Accueil",
    register: "Préinscription",
    track: "Suivre une demande",
    signin: "Se connecter",
    signout: "Se déconnecter",
    activate: "Activer le compte",
    recover: "Mot de passe oublié",
    space: "Mon espace",
    desk: "Bureau de l'école",
    ops: "Console des opérateurs",
    profile: "Profil",
    loading: "Chargement…",
    offline: "Vous êtes hors ligne. Dernières données enregistrées sur l'appareil",
    saved_on: "enregistrées le",
    network_error: "Connexion impossible. Vérifiez le réseau puis réessayez.",
    retry: "Réessayer",
    not_found: "Page introuvable.",
    save: "Enregistrer",
    send: "Envoyer",
    cancel: "Annuler",
    back: "Retour",
    required: "obligatoire",
    optional: "facultatif",
    none: "Aucun",
    yes: "Oui",
    no: "Non",
    signed_in_as: "Connecté en tant que",
    help_line: "Besoin d'aide ? Numéro vert du ministère (gratuit) :",
    retry_in: "Réessayez dans {n#seconds}.",
    retry_in_minutes: "Réessayez dans {n#minutes}.",
    seconds: { one: "# seconde", other: "# secondes" },
    minutes: { one: "# minute", other: "# minutes" },
  },
};

/**
 * A counted noun agreeing with its number: `forms` by CLDR category (Arabic has zero, one,
 * two, few 3–10, many 11–99, other; French one and other), "#" standing for the number.
 */
export function plural(count, forms) {
  const form = forms[new Intl.PluralRules(state.lang).select(Number(count))] ?? forms.other;
  return form.replace("#", String(count));
}

// "{n}" is the value; "{n#letters}" the value with the plural forms of `letters` (an object).
function fill(text, vars, forms) {
  return vars ? text.replace(/\{(\w+)(?:#(\w+))?\}/g, (m, k, noun) => (!(k in vars) ? m : noun && forms(noun) ? plural(vars[k], forms(noun)) : String(vars[k]))) : text;
}

/** A view's own strings: `const w = words({ar: {...}, fr: {...}})`, then `w("key")`. */
export function words(table) {
  return (key, vars) => {
    const text = table[state.lang]?.[key] ?? COMMON[state.lang][key] ?? table.fr?.[key] ?? key;
    return fill(text, vars, (noun) => table[state.lang]?.[noun] ?? COMMON[state.lang][noun]);
  };
}

export const t = words({});

// --- DOM ---------------------------------------------------------------------------------
/** h("p", {class: "x", onclick: f}, "text", child, [more]) → element. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key === "value" && "value" in el) el.value = value;
    else if (key === "checked" || key === "selected" || key === "disabled") el[key] = Boolean(value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** Tell the tests and the benchmark that a view is usable (its data is on screen). */
export function ready(view) {
  document.documentElement.dataset.view = view;
  document.documentElement.dataset.ready = "1";
}

export function busy() {
  delete document.documentElement.dataset.ready;
}

export function go(hash) {
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent("hashchange"));
  else location.hash = hash;
}

let uid = 0;
export function nextId(prefix = "f") {
  uid += 1;
  return `${prefix}-${uid}`;
}

// --- Session ------------------------------------------------------------------------------
const SESSION_KEY = "massar.session";

export const session = {
  get() {
    try {
      return JSON.parse(localStorage.getItem(SESSION_KEY) || "null");
    } catch {
      return null;
    }
  },
  set(answer) {
    // answer: the login/activate/reset/refresh body
    const previous = this.get();
    const value = {
      access_token: answer.access_token,
      refresh_token: answer.refresh_token,
      account: answer.account || previous?.account,
    };
    localStorage.setItem(SESSION_KEY, JSON.stringify(value));
    window.dispatchEvent(new Event("massar:session"));
  },
  clear() {
    localStorage.removeItem(SESSION_KEY);
    sessionStorage.clear();
    // A shared phone: what the last user saw must not stay readable offline.
    navigator.serviceWorker?.controller?.postMessage({ type: "forget-data" });
    window.dispatchEvent(new Event("massar:session"));
  },
  role() {
    return this.get()?.account?.role || null;
  },
};

let meAsked = null; // {username, promise}

/**
 * GET /v1/me once per signed-in account: the shell asks at start, in parallel with the
 * page's module, so a page does not wait one more round trip for it on a slow network.
 * Answers {data, offlineSince}; an answer from the offline copy is not kept.
 */
export function me(fresh = false) {
  const username = session.get()?.account?.username || null;
  if (fresh || !meAsked || meAsked.username !== username) {
    const promise = load("/v1/me");
    const forget = () => {
      if (meAsked?.promise === promise) meAsked = null;
    };
    promise.then((answer) => answer.offlineSince && forget(), forget);
    meAsked = { username, promise };
  }
  return meAsked.promise;
}

/** Where a signed-in account lands. */
export function homeOf(role) {
  if (role === "parent" || role === "student") return "#/space";
  if (role === "staff") return "#/desk";
  if (role === "ops") return "#/ops";
  return "#/profile";
}

// --- API ------------------------------------------------------------------------------------
export class NetworkError extends Error {}

export class ApiError extends Error {
  constructor(status, body) {
    const error = body?.error || {};
    super(error.message || `HTTP ${status}`);
    this.status = status;
    this.code = error.code || "http_" + status;
    this.fields = error.fields || {};
    this.retryAfter = 0;
  }
}

let refreshing = null;

async function refreshSession() {
  const current = session.get();
  if (!current?.refresh_token) return false;
  if (!refreshing) {
    refreshing = send("POST", "/v1/auth/refresh", { body: { refresh_token: current.refresh_token } })
      .then((answer) => {
        if (answer.status === 200) {
          session.set(answer.body);
          return true;
        }
        return false;
      })
      .catch(() => false)
      .finally(() => {
        refreshing = null;
      });
  }
  return refreshing;
}

// `cache: "default"` lets the browser keep what the API says is cacheable (the places).
async function send(method, path, { body, auth, key, timeout = 20000, cache = "no-store" } = {}) {
  const headers = { "Accept-Language": state.lang, Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (key) headers["Idempotency-Key"] = key;
  const token = auth ? session.get()?.access_token : null;
  if (token) headers.Authorization = `Bearer ${token}`;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeout);
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: abort.signal,
      cache,
    });
  } catch (error) {
    throw new NetworkError(String(error));
  } finally {
    clearTimeout(timer);
  }
  let parsed = null;
  const text = await response.text().catch(() => "");
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  }
  return {
    status: response.status,
    body: parsed,
    offlineSince: response.headers.get("X-Massar-Offline"),
    retryAfter: Number(response.headers.get("Retry-After") || 0),
  };
}

/**
 * Call the API. Answers the body of a 2xx; throws ApiError (4xx/5xx, with `code` and
 * `fields`) or NetworkError. `auth` adds the access token and refreshes it once on 401.
 * `key` is the Idempotency-Key. `raw: true` answers {status, body, offlineSince}.
 */
export async function api(method, path, options = {}) {
  const auth = options.auth ?? Boolean(session.get());
  let answer = await send(method, path, { ...options, auth });
  if (answer.status === 401 && auth && (await refreshSession())) {
    answer = await send(method, path, { ...options, auth });
  }
  if (answer.status === 401 && auth && path !== "/v1/auth/login") {
    session.clear();
  }
  if (answer.status >= 400) {
    const error = new ApiError(answer.status, answer.body);
    error.retryAfter = answer.retryAfter;
    throw error;
  }
  return options.raw ? answer : answer.body;
}

/**
 * POST a file with a presigned form from the API ({url, fields}): straight to storage.
 * Answers true when stored; NetworkError when the connection failed.
 */
export async function postToStorage(upload, file, filename) {
  const data = new FormData();
  for (const [name, value] of Object.entries(upload.fields || {})) data.append(name, value);
  data.append("file", file, filename || file.name || "photo");
  try {
    return (await fetch(upload.url, { method: "POST", body: data })).ok;
  } catch (error) {
    throw new NetworkError(String(error));
  }
}

export function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

// --- Formats -----------------------------------------------------------------------------
function locale(calendar) {
  const base = state.lang === "ar" ? "ar-MA" : "fr-MA";
  return `${base}-u-nu-latn${calendar ? "-ca-" + calendar : ""}`;
}

function asDate(iso) {
  const [y, m, d] = String(iso).slice(0, 10).split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d, 12));
}

/** "12 novembre 2026" / "12 نونبر 2026". */
export function dateText(iso) {
  if (!iso) return "";
  return new Intl.DateTimeFormat(locale(), { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(asDate(iso));
}

/** The same day in the Hijri (Umm al-Qura) calendar, in words. */
export function hijriText(iso) {
  if (!iso) return "";
  return new Intl.DateTimeFormat(locale("islamic-umalqura"), { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(asDate(iso));
}

/** `YYYY-MM-DD` Hijri (Umm al-Qura) of a Gregorian `YYYY-MM-DD`, as the API expects it. */
export function hijriIso(iso) {
  const parts = new Intl.DateTimeFormat("en-u-ca-islamic-umalqura-nu-latn", { day: "numeric", month: "numeric", year: "numeric", timeZone: "UTC" }).formatToParts(asDate(iso));
  const get = (type) => Number(parts.find((p) => p.type === type)?.value);
  const pad = (n, w) => String(n).padStart(w, "0");
  return `${pad(get("year"), 4)}-${pad(get("month"), 2)}-${pad(get("day"), 2)}`;
}

/** Both calendars, for places where the ministry's forms show both. */
export function bothCalendars(iso) {
  return h("span", { class: "dates" }, h("time", { datetime: iso }, dateText(iso)), h("span", { class: "hijri" }, hijriText(iso)));
}

export function dateTimeText(isoDateTime) {
  if (!isoDateTime) return "";
  // The API writes instants with the offset of Casablanca's clock on that date: their wall
  // time is Morocco's, shown as is. Only "Z" times (the device's own) go through Intl.
  const wall = /^(\d{4}-\d\d-\d\dT\d\d:\d\d)[\d:.]*[+-]\d\d:\d\d$/.exec(String(isoDateTime));
  if (wall) return wallTimeText(wall[1]);
  return new Intl.DateTimeFormat(locale(), { dateStyle: "long", timeStyle: "short", timeZone: "Africa/Casablanca" }).format(new Date(isoDateTime));
}

/**
 * A wall time on the Africa/Casablanca clock as the API gives it ("2027-02-22T10:30"), in
 * words. No time-zone arithmetic here: Debian's Chromium has Casablanca an hour off from
 * late 2026 (its ICU data stops before Morocco's later Ramadan changes).
 */
export function wallTimeText(local) {
  const [y, mo, d, hh, mm] = String(local || "").split(/[-T:]/).map(Number);
  if (!local || [y, mo, d, hh, mm].some(Number.isNaN)) return "";
  return new Intl.DateTimeFormat(locale(), { dateStyle: "long", timeStyle: "short", timeZone: "UTC" }).format(new Date(Date.UTC(y, mo - 1, d, hh, mm)));
}

/** A mark such as "15.25" shown as 15,25/20, kept left-to-right inside Arabic text. */
export function markEl(value, { outOf = 20 } = {}) {
  if (value === null || value === undefined || value === "") return h("span", { class: "mark none" }, "—");
  if (value === "absent") return h("span", { class: "mark absent" }, state.lang === "ar" ? "غائب" : "absent");
  const text = `${String(value).replace(".", ",")}/${outOf}`;
  return h("bdi", { class: "mark", dir: "ltr" }, text);
}

/** A name in the reader's script: Arabic in Arabic, Latin in French (else the other). */
export function personName(item) {
  const ar = [item.first_name_ar, item.last_name_ar].filter(Boolean).join(" ");
  const lat = [item.first_name_lat, item.last_name_lat].filter(Boolean).join(" ");
  return state.lang === "ar" ? ar || lat : lat || ar;
}

// --- Forms ---------------------------------------------------------------------------------
/**
 * A labelled field. `name` is the JSON path the API reports errors under
 * ("child.birth_date"); the error line is tied to the input with aria-describedby.
 */
export function field(name, label, { type = "text", required = false, note, hint, options, value, attrs = {} } = {}) {
  const id = nextId("f");
  const hintId = hint ? id + "-hint" : null;
  const errorId = id + "-error";
  const describedBy = [hintId, errorId].filter(Boolean).join(" ");
  let input;
  if (options) {
    input = h("select", { id, name, required, "aria-describedby": describedBy, ...attrs },
      h("option", { value: "" }, "—"),
      options.map(([v, text]) => h("option", { value: v, selected: v === value }, text)));
  } else if (type === "textarea") {
    input = h("textarea", { id, name, required, rows: 3, dir: "auto", "aria-describedby": describedBy, ...attrs }, value || "");
  } else {
    input = h("input", { id, name, type, required, value, "aria-describedby": describedBy, ...attrs });
  }
  return h("div", { class: "field", dataset: { field: name } },
    h("label", { for: id }, label, required ? h("span", { class: "req", "aria-hidden": "true" }, " *") : h("span", { class: "opt" }, ` (${note || t("optional")})`)),
    hint ? h("p", { class: "hint", id: hintId }, hint) : null,
    input,
    h("p", { class: "error", id: errorId, role: "alert", hidden: true }));
}

/** Radio group with a legend. */
export function choice(name, legend, options, value) {
  return h("fieldset", { class: "choice", dataset: { field: name } }, h("legend", {}, legend),
    options.map(([v, text]) => {
      const id = nextId("r");
      return h("span", { class: "radio" }, h("input", { type: "radio", id, name, value: v, checked: v === value }), h("label", { for: id }, text));
    }),
    h("p", { class: "error", role: "alert", hidden: true }));
}

/** The form's named inputs as a nested object ("a.b.0.c" paths); "" stays "". */
export function formValues(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name || el.disabled || el.type === "file" || el.type === "submit") continue;
    if ((el.type === "radio" || el.type === "checkbox") && !el.checked) continue;
    setPath(out, el.name, el.type === "checkbox" ? true : el.value.trim());
  }
  return out;
}

export function setPath(target, path, value) {
  const keys = path.split(".");
  let node = target;
  keys.forEach((key, index) => {
    const last = index === keys.length - 1;
    const nextIsIndex = !last && /^\d+$/.test(keys[index + 1]);
    if (last) node[key] = value;
    else node = node[key] ??= nextIsIndex ? [] : {};
  });
}

export function clearErrors(form) {
  form.querySelectorAll(".field .error, .choice .error").forEach((p) => {
    p.hidden = true;
    p.textContent = "";
  });
  form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
  form.querySelector(".form-error")?.remove();
}

/** Show an ApiError on a form: each field's message under it, focus on the first. */
export function showErrors(form, error) {
  clearErrors(form);
  let first = null;
  const unplaced = [];
  for (const [path, message] of Object.entries(error.fields || {})) {
    // "new_password.too_short" goes under "new_password" (every reason, at once).
    const parent = path.includes(".") ? path.slice(0, path.lastIndexOf(".")) : null;
    let box = form.querySelector(`[data-field="${CSS.escape(path)}"]`);
    if (!box?.querySelector(".error") && parent) box = form.querySelector(`[data-field="${CSS.escape(parent)}"]`);
    if (!box?.querySelector(".error")) { // e.g. the school list before any commune
      unplaced.push(message);
      continue;
    }
    const line = box.querySelector(".error");
    line.textContent = line.textContent ? `${line.textContent} · ${message}` : message;
    line.hidden = false;
    const input = box.querySelector("input, select, textarea");
    if (input) {
      input.setAttribute("aria-invalid", "true");
      first ??= input;
    }
  }
  let text = error instanceof NetworkError ? t("network_error") : error.message;
  if (error.status === 429 && error.retryAfter > 0) { // a lock-out says how long it lasts
    const wait = error.retryAfter;
    text += " " + (wait < 90 ? t("retry_in", { n: wait }) : t("retry_in_minutes", { n: Math.ceil(wait / 60) }));
  }
  const summary = h("div", { class: "form-error notice bad", role: "alert", tabindex: "-1" }, text, unplaced.length ? h("ul", {}, unplaced.map((m) => h("li", {}, m))) : null);
  form.prepend(summary);
  (first || summary).focus();
}

/** A status line (role=status, polite) or an alert. */
export function notice(kind, ...children) {
  return h("div", { class: `notice ${kind}`, role: kind === "bad" ? "alert" : "status" }, ...children);
}

/** Disable a submit button while `work` runs (a double tap sends once). */
export async function whileBusy(button, work) {
  if (button.disabled) return undefined;
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
  }
}

/**
 * Wire a form: on submit, its values go to `work` while the submit button is busy; an
 * error it throws (ApiError, NetworkError) is shown on the form, fields and all.
 */
export function onSubmit(form, work) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    whileBusy(button, async () => {
      try {
        await work(formValues(form));
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
}

/** The ministry's toll-free line, tappable (home, the form, every error page). */
export const HELP_NUMBER = "0800001122";
export function helpLine() {
  return h("p", { class: "help" }, t("help_line"), " ", h("a", { href: `tel:${HELP_NUMBER}`, dir: "ltr", class: "tel" }, "0800 00 11 22"));
}

/** A page title (h1) that takes focus after navigation, for screen readers. */
export function title(text) {
  document.title = `${text} · ${t("app")}`;
  return h("h1", { tabindex: "-1", class: "page-title" }, text);
}

/** Load one API resource for a view, with the offline note when it came from the cache. */
export async function load(path) {
  const answer = await api("GET", path, { raw: true });
  return { data: answer.body, offlineSince: answer.offlineSince };
}

export function offlineNote(since) {
  if (!since) return null;
  return notice("warn", `${t("offline")} (${t("saved_on")} ${dateTimeText(since)}).`);
}
