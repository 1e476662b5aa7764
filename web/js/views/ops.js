// The operators' console: a tab per task (ops-<page>.js, fetched when first opened); this
// module holds the tabs and what the pages share: the operator's scope, the places, the
// Casablanca clock, the school picker.
import { NetworkError, api, h, notice, ready, session, state, t, title, words } from "../core.js";

export const PAGES = ["dashboard", "campaigns", "schools", "staff", "batches", "notifications", "audit"];

export const w = words({
  ar: {
    console: "فضاء المشرفين",
    tabs: "أقسام فضاء المشرفين",
    dashboard: "لوحة التسجيل",
    campaigns: "الحملات",
    schools: "المؤسسات",
    staff: "حسابات الأطر",
    batches: "إصدار الحسابات",
    notifications: "الإشعارات",
    audit: "سجل الأمان",
    ops_only: "هذه الصفحة خاصة بمشرفي الوزارة.",
    scope_national: "نطاقكم: وطني",
    scope_academy: "نطاقكم: أكاديمية {name}",
    scope_province: "نطاقكم: {name}",
    region: "الأكاديمية (الجهة)",
    province: "المديرية الإقليمية (الإقليم أو العمالة)",
    commune: "الجماعة أو المقاطعة",
    arrondissements: "مقاطعات {name}",
    school_code: "رمز المؤسسة",
    school_code_hint: "مثال: EP0007",
    more: "عرض المزيد",
    reload: "تحديث",
    primary: "ابتدائي",
    middle: "إعدادي",
    high: "تأهيلي",
    public: "عمومي",
    private: "خصوصي",
  },
  fr: {
    console: "Console des opérateurs",
    tabs: "Rubriques de la console des opérateurs",
    dashboard: "Tableau de bord",
    campaigns: "Campagnes",
    schools: "Écoles",
    staff: "Comptes du personnel",
    batches: "Émission des comptes",
    notifications: "Notifications",
    audit: "Journal de sécurité",
    ops_only: "Cette page est réservée aux opérateurs du ministère.",
    scope_national: "Votre périmètre : national",
    scope_academy: "Votre périmètre : académie {name}",
    scope_province: "Votre périmètre : {name}",
    region: "Académie (région)",
    province: "Direction provinciale (province ou préfecture)",
    commune: "Commune ou arrondissement",
    arrondissements: "Arrondissements de {name}",
    school_code: "Code de l'école",
    school_code_hint: "Par exemple : EP0007",
    more: "Afficher plus",
    reload: "Actualiser",
    primary: "Primaire",
    middle: "Collège",
    high: "Lycée",
    public: "Public",
    private: "Privé",
  },
});

// On a phone the tabs are one row that scrolls sideways (app.css: shadows at the edge that
// hides more), the current one brought into view.
function tabs(current) {
  const nav = h("nav", { "aria-label": w("tabs") },
    h("ul", { class: "tabs" }, PAGES.map((page) =>
      h("li", {}, h("a", { href: `#/ops/${page}`, "aria-current": page === current ? "page" : null }, w(page))))));
  requestAnimationFrame(() => nav.querySelector("[aria-current]")?.scrollIntoView({ block: "nearest", inline: "center" }));
  return nav;
}

export async function render(main, { params }) {
  const page = params.length === 0 ? "dashboard" : PAGES.includes(params[0]) ? params[0] : null;
  if (!page) {
    main.append(h("h1", { tabindex: "-1" }, t("not_found")), h("p", {}, h("a", { href: "#/ops" }, w("console"))));
    ready("ops-not-found");
    return;
  }
  main.append(tabs(page));
  const section = h("div", { class: "desk-page ops-page" });
  main.append(section);
  if (session.role() !== "ops") {
    section.append(title(w("console")), notice("bad", w("ops_only")));
    ready(`ops-${page}`);
    return;
  }
  const module = await import(`./ops-${page}.js`);
  section.append(scopeLine());
  await module.render(section, { params: params.slice(1) });
}

// --- The operator's scope ------------------------------------------------------------
/**
 * What the operator covers, from the access token's claims ({academy?, province?}; none:
 * national). /v1/me does not say it; the API checks every answer against it anyway.
 */
export function operatorScope() {
  try {
    const part = (session.get()?.access_token || "").split(".")[1] || "";
    const bytes = Uint8Array.from(atob(part.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes));
    return { academy: claims.academy || null, province: claims.province || null };
  } catch {
    return { academy: null, province: null };
  }
}

export const isNational = () => !operatorScope().academy && !operatorScope().province;

function scopeLine() {
  const line = h("p", { class: "muted scope-line" }, w("scope_national"));
  const { academy, province } = operatorScope();
  if (province || academy) {
    line.textContent = "";
    const [key, code] = province ? ["scope_province", province] : ["scope_academy", academy];
    line.append(w(key, { name: code }));
    placeName(code).then((name) => {
      if (name) line.textContent = w(key, { name });
    });
  }
  return line;
}

// --- Places ---------------------------------------------------------------------------
const placesAsked = new Map();
/** One level of the official divisions, asked once a page (browsers keep them a day). */
export function places(path) {
  if (!placesAsked.has(path)) {
    placesAsked.set(path, api("GET", path, { auth: false, cache: "default" }).catch((error) => {
      placesAsked.delete(path);
      throw error;
    }));
  }
  return placesAsked.get(path);
}
export const nameOf = (place) => (state.lang === "ar" ? place.name_ar || place.name_fr : place.name_fr || place.name_ar);
export const byName = (a, b) => nameOf(a).localeCompare(nameOf(b), state.lang);

/** An academy's or a province's name in the reader's language (HCP codes nest: 04 ⊃ 04.441). */
export async function placeName(code) {
  try {
    const region = code.slice(0, 2);
    if (code.length === 2) return nameOf((await places("/v1/places/regions")).items.find((r) => r.code === code) || { name_fr: code });
    const found = (await places(`/v1/places/regions/${region}/provinces`)).items.find((p) => p.code === code);
    return found ? nameOf(found) : code;
  } catch {
    return null;
  }
}

/** Reset a select's options (a "—" first), keeping `value` when it is still offered. */
function offer(select, items, value = "") {
  select.replaceChildren(h("option", { value: "" }, "—"), ...items);
  select.value = value;
  if (select.value !== value) select.value = "";
}

/**
 * Région → province → commune selects of `form` (named `names.region`, …), filled from
 * /v1/places one level at a time, `preset` ({region, province, commune}) or else the
 * operator's own academy and province chosen first. Answers a promise of the first
 * filling; `onChange(level, error?)` runs after each level is chosen.
 */
export function wirePlaces(form, names, { onChange = () => {}, preset = {} } = {}) {
  const el = (level) => (names[level] ? form.elements[names[level]] : null);
  const option = (place, commune) => h("option", { value: place.code, dataset: commune ? { commune } : undefined }, nameOf(place));
  async function provinces(region, value = "") {
    offer(el("province"), []);
    if (el("commune")) offer(el("commune"), []);
    if (!region) return;
    const answer = await places(`/v1/places/regions/${encodeURIComponent(region)}/provinces`);
    if (el("region").value !== region) return;
    offer(el("province"), answer.items.sort(byName).map((p) => option(p)), value);
  }
  async function communes(province, value = "") {
    if (!el("commune")) return;
    offer(el("commune"), []);
    if (!province) return;
    const answer = await places(`/v1/places/provinces/${encodeURIComponent(province)}/communes`);
    if (el("province").value !== province) return;
    offer(el("commune"), answer.items.sort(byName).map((c) => (c.arrondissements
      ? h("optgroup", { label: w("arrondissements", { name: nameOf(c) }) }, c.arrondissements.sort(byName).map((a) => option(a, c.code)))
      : option(c))), value);
  }
  const guard = (work, level) => work.then(() => onChange(level)).catch((error) => onChange(level, error));
  el("region").addEventListener("change", () => guard(provinces(el("region").value), "region"));
  el("province").addEventListener("change", () => guard(communes(el("province").value), "province"));
  el("commune")?.addEventListener("change", () => onChange("commune"));
  const scope = operatorScope();
  const province = preset.province || scope.province || "";
  const region = preset.region || province.slice(0, 2) || scope.academy || "";
  return (async () => {
    const regions = await places("/v1/places/regions");
    offer(el("region"), regions.items.sort(byName).map((r) => option(r)), region);
    if (el("region").value) await provinces(el("region").value, province);
    if (el("province").value) await communes(el("province").value, preset.commune || "");
  })();
}

// --- Loading ---------------------------------------------------------------------------
/** An API failure as an alert, in the reader's language. */
export function errorNotice(error) {
  return notice("bad", error instanceof NetworkError ? t("network_error") : error.message || String(error));
}

export function codeEl(value) {
  return h("bdi", { class: "code", dir: "ltr" }, value);
}

/** Both spellings of a school's name, the reader's first. */
export function schoolName(school) {
  const [first, second, lang] = state.lang === "ar" ? [school.name_ar, school.name_fr, "fr"] : [school.name_fr, school.name_ar, "ar"];
  return h("span", { class: "names" }, h("bdi", {}, first || second || school.code), first && second ? [" · ", h("bdi", { class: "muted", lang }, second)] : null);
}

// --- The Casablanca clock -------------------------------------------------------------
// Morocco keeps UTC+1 but in Ramadan, UTC+0: from 02:00 UTC on the Sunday before 1 Ramadan
// to 02:00 UTC on the first Sunday at least two days after 1 Shawwal (the tz database's
// rule: the same offsets as Python's zoneinfo every hour from 2024 to 2042). Intl is not
// asked: Debian's Chromium has Casablanca at UTC+0 from late 2026 (its ICU data stops).
const DAY = 864e5;
const HOUR = 36e5;
const HIJRI = new Intl.DateTimeFormat("en-u-ca-islamic-umalqura-nu-latn", { month: "numeric", day: "numeric", timeZone: "UTC" });
function hijriMonthDay(ms) {
  const parts = HIJRI.formatToParts(new Date(ms));
  return [Number(parts.find((p) => p.type === "month")?.value), Number(parts.find((p) => p.type === "day")?.value)];
}
const breaks = new Map(); // Gregorian year → [[from, to]] in UTC ms, for the Ramadans starting in it
function ramadanBreaks(year) {
  if (!breaks.has(year)) {
    const found = [];
    const sunday2h = (ms) => Math.floor(ms / DAY) * DAY + 2 * HOUR;
    for (let ms = Date.UTC(year, 0, 1, 12); new Date(ms).getUTCFullYear() === year; ms += DAY) {
      const [month, day] = hijriMonthDay(ms);
      if (month !== 9 || day !== 1) continue;
      const before = new Date(ms).getUTCDay() || 7;
      let shawwal = ms + 29 * DAY;
      if (hijriMonthDay(shawwal)[0] !== 10) shawwal += DAY;
      const after = shawwal + 2 * DAY;
      found.push([sunday2h(ms - before * DAY), sunday2h(after + ((7 - new Date(after).getUTCDay()) % 7) * DAY)]);
      ms += 300 * DAY; // the next Ramadan is ~354 days on
    }
    breaks.set(year, found);
  }
  return breaks.get(year);
}
export function casablancaOffset(ms) {
  const year = new Date(ms).getUTCFullYear();
  // A break may begin in the December before its Ramadan, or end in the year after it.
  const inRamadan = [year - 1, year, year + 1].flatMap(ramadanBreaks).some(([from, to]) => from <= ms && ms < to);
  return inRamadan ? 0 : HOUR;
}

/** An instant (ISO 8601, any offset) as a Date whose UTC fields are Casablanca's wall time. */
export function casablanca(iso) {
  const ms = Date.parse(String(iso || "").replace(/(\.\d{3})\d+/, "$1"));
  return Number.isNaN(ms) ? null : new Date(ms + casablancaOffset(ms));
}

function locale() {
  return `${state.lang === "ar" ? "ar-MA" : "fr-MA"}-u-nu-latn`;
}

/** "2 déc. 2026, 01:20" on Casablanca's clock, in a <time>. */
export function timeEl(iso, options = { dateStyle: "medium", timeStyle: "short" }) {
  const local = casablanca(iso);
  if (!local) return h("span", { class: "muted" }, "—");
  return h("time", { datetime: iso }, new Intl.DateTimeFormat(locale(), { ...options, timeZone: "UTC" }).format(local));
}

export function formatLocal(date, options) {
  return new Intl.DateTimeFormat(locale(), { ...options, timeZone: "UTC" }).format(date);
}

/** Today in Morocco, `YYYY-MM-DD`. */
export function todayIso() {
  return casablanca(new Date().toISOString()).toISOString().slice(0, 10);
}

/** Remember what this session asked for (sign-out forgets it: sessionStorage). */
export function remember(key, item, max = 10) {
  const list = recall(key).filter((other) => other.id !== item.id);
  sessionStorage.setItem(`massar.ops.${key}`, JSON.stringify([item, ...list].slice(0, max)));
}
export function recall(key) {
  try {
    return JSON.parse(sessionStorage.getItem(`massar.ops.${key}`) || "[]");
  } catch {
    return [];
  }
}
