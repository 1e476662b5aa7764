// Console · the registration dashboard: counts by status for a scope (the nation, an
// academy, a province, a school), submissions per hour drawn as SVG, and the scope's
// children, each a link one level down.
import { ApiError, api, field, go, h, notice, ready, state, title, words } from "../core.js";
import { casablanca, codeEl, errorNotice, formatLocal, operatorScope, placeName, todayIso, w as ow } from "./ops.js";

const w = words({
  ar: {
    title: "لوحة التسجيل الأولي",
    year: "السنة الدراسية",
    open_campaign: "الحملة المفتوحة",
    show: "عرض",
    campaign: "حملة \u2066{year}\u2069",
    levels: "المستوى",
    national: "وطني",
    academy: "أكاديمية {name}",
    province: "{name}",
    school: "{name}",
    counts: "الطلبات حسب الحالة",
    submitted: "في انتظار القرار",
    approved: "مقبولة",
    rejected: "مرفوضة",
    total: "المجموع",
    hours_title: "الطلبات المودعة في كل ساعة",
    hours_note: "آخر 48 ساعة حتى {end}، بتوقيت الدار البيضاء.",
    hours_desc: "{n#applications} في آخر 48 ساعة؛ أعلى عدد في ساعة واحدة: {max} ({peak}).",
    hours_none: "لم يودع أي طلب في آخر 48 ساعة حتى {end}.",
    hours_table: "الأرقام ساعة بساعة",
    hour: "الساعة",
    submissions: "الطلبات المودعة",
    applications: { zero: "لا طلب", one: "طلب واحد", two: "طلبان", few: "# طلبات", many: "# طلبا", other: "# طلب" },
    children_academy: "حسب الأكاديمية",
    children_province: "حسب المديرية الإقليمية",
    children_school: "حسب المؤسسة",
    name: "الاسم",
    none_yet: "لا توجد أي طلبات في هذا النطاق بعد.",
    delay: "تُحتسب الطلبات بعد ثوان قليلة من إيداعها.",
    no_campaign: "لا توجد حملة مفتوحة اليوم. اختر سنة دراسية أو افتح حملة.",
    to_campaigns: "الحملات",
    unknown: "هذه السنة لا تتوفر على حملة.",
  },
  fr: {
    title: "Tableau de bord des préinscriptions",
    year: "Année scolaire",
    open_campaign: "Campagne ouverte",
    show: "Afficher",
    campaign: "Campagne {year}",
    levels: "Niveau",
    national: "National",
    academy: "Académie {name}",
    province: "{name}",
    school: "{name}",
    counts: "Demandes par statut",
    submitted: "En attente de décision",
    approved: "Acceptées",
    rejected: "Refusées",
    total: "Total",
    hours_title: "Demandes déposées par heure",
    hours_note: "Les 48 dernières heures jusqu'à {end}, heure de Casablanca.",
    hours_desc: "{n#applications} en 48 heures ; au plus {max} en une heure ({peak}).",
    hours_none: "Aucune demande déposée dans les 48 heures jusqu'à {end}.",
    hours_table: "Les chiffres heure par heure",
    hour: "Heure",
    submissions: "Demandes déposées",
    applications: { one: "# demande", other: "# demandes" },
    children_academy: "Par académie",
    children_province: "Par direction provinciale",
    children_school: "Par école",
    name: "Nom",
    none_yet: "Aucune demande dans ce périmètre pour l'instant.",
    delay: "Les demandes sont comptées quelques secondes après leur dépôt.",
    no_campaign: "Aucune campagne n'est ouverte aujourd'hui. Choisissez une année scolaire ou ouvrez une campagne.",
    to_campaigns: "Campagnes",
    unknown: "Cette année n'a pas de campagne.",
  },
});

const STATUSES = ["submitted", "approved", "rejected", "total"];
const HOURS = 48;
const HOUR = 36e5;

export async function render(section, { params }) {
  const { academy, province } = operatorScope();
  const own = province ? `province:${province}` : academy ? `academy:${academy}` : "national";
  const scope = params[0] || own;
  const year = params[1] || "";
  section.append(title(w("title")));
  section.append(yearForm(scope, year));
  const box = h("div", { class: "dashboard" });
  section.append(box);
  const query = new URLSearchParams({ scope, ...(year ? { school_year: year } : {}) });
  let board;
  try {
    board = await api("GET", `/v1/dashboard/registrations?${query}`);
  } catch (error) {
    if (!(error instanceof ApiError) || ![403, 404, 422].includes(error.status)) throw error;
    box.append(error.code === "no_open_campaign"
      ? notice("warn", w("no_campaign"), " ", h("a", { href: "#/ops/campaigns" }, w("to_campaigns")))
      : error.status === 404 && !scope.startsWith("school:") ? notice("warn", w("unknown")) : errorNotice(error));
    ready("ops-dashboard");
    return;
  }
  const school = scope.startsWith("school:") ? await api("GET", `/v1/schools/${encodeURIComponent(scope.slice(7))}`).catch(() => null) : null;
  box.append(await breadcrumb(board, school, own, year));
  box.append(h("p", { class: "muted" }, w("campaign", { year: board.school_year }), " · ", w("delay")));
  box.append(h("h2", {}, w("counts")),
    h("ul", { class: "figures" }, STATUSES.map((status) =>
      h("li", { class: `figure ${status}` }, h("span", { class: "figure-value" }, String(board.counts[status] ?? 0)), h("span", { class: "figure-label" }, w(status))))));
  box.append(h("div", { class: "actions" }, h("button", { type: "button", class: "secondary", onclick: () => go(location.hash) }, ow("reload"))));
  box.append(hoursChart(board.hours || [], box));
  if (board.breakdown?.length || !scope.startsWith("school:")) box.append(await breakdown(board, year));
  ready("ops-dashboard");
}

function yearForm(scope, year) {
  const first = Number(todayIso().slice(0, 4));
  const years = [first - 1, first, first + 1, first + 2].map((y) => `${y}-${y + 1}`);
  const form = h("form", { class: "inline-form", novalidate: true },
    field("school_year", w("year"), { options: years.map((y) => [y, y]), value: year }),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "secondary" }, w("show"))));
  form.elements.school_year.options[0].textContent = w("open_campaign"); // "" asks for the open one
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const chosen = form.elements.school_year.value;
    go(`#/ops/dashboard/${encodeURIComponent(scope)}${chosen ? `/${chosen}` : ""}`);
  });
  return form;
}

const link = (scope, year) => `#/ops/dashboard/${encodeURIComponent(scope)}${year ? `/${year}` : ""}`;

/** National › Académie › Province › École: the levels above the scope the operator may see. */
async function breadcrumb(board, school, own, year) {
  const [kind, code] = board.scope.split(":");
  const steps = [["national", w("national")]];
  const academy = kind === "academy" ? code : kind === "province" ? code.slice(0, 2) : school?.academy;
  const province = kind === "province" ? code : school?.province;
  if (academy) steps.push([`academy:${academy}`, w("academy", { name: (kind === "academy" && nameIn(board)) || (await placeName(academy)) || academy })]);
  if (province) steps.push([`province:${province}`, w("province", { name: (kind === "province" && nameIn(board)) || (await placeName(province)) || province })]);
  if (kind === "school") steps.push([board.scope, w("school", { name: school ? (state.lang === "ar" ? school.name_ar : school.name_fr) : code })]);
  const from = Math.max(0, steps.findIndex(([scope]) => scope === own));
  const shown = steps.slice(from);
  return h("nav", { "aria-label": w("levels"), class: "crumbs" },
    h("ol", {}, shown.map(([scope, text], index) => h("li", {}, index === shown.length - 1
      ? h("span", { "aria-current": "page" }, text)
      : h("a", { href: link(scope, year) }, text)))));
}

const nameIn = (row) => (state.lang === "ar" ? row.name_ar || row.name_fr : row.name_fr || row.name_ar);

// --- Submissions per hour, drawn here (no library) --------------------------------------
const SVG = "http://www.w3.org/2000/svg";
function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs || {})) if (value !== null && value !== undefined) el.setAttribute(key, String(value));
  for (const child of children.flat(Infinity)) if (child !== null && child !== undefined) el.append(child);
  return el;
}

const hourText = (local) => formatLocal(local, { hour: "2-digit", minute: "2-digit" });
const dayText = (local) => formatLocal(local, { day: "numeric", month: "short" });

function hoursChart(hours, box) {
  const counts = new Map(hours.map((row) => [Date.parse(row.hour), row.submissions]));
  const now = Math.floor(Date.now() / HOUR) * HOUR;
  const latest = Math.max(0, ...counts.keys());
  // The 48 hours up to now, or up to the last submission of a campaign long closed.
  const end = latest && latest < now - HOURS * HOUR ? latest : now;
  const slots = Array.from({ length: HOURS }, (_, i) => {
    const at = end - (HOURS - 1 - i) * HOUR;
    return { at, local: casablanca(new Date(at).toISOString()), n: counts.get(at) || 0 };
  });
  const total = slots.reduce((sum, slot) => sum + slot.n, 0);
  const peak = slots.reduce((best, slot) => (slot.n > best.n ? slot : best), slots[0]);
  const endLocal = new Date(slots.at(-1).local.getTime() + HOUR); // the last hour's end
  const endText = `${dayText(endLocal)} ${hourText(endLocal)}`;
  const span = (slot) => `${dayText(slot.local)} ${hourText(slot.local)}–${hourText(new Date(slot.local.getTime() + HOUR))}`;
  const titleId = "hours-title";
  const descId = "hours-desc";
  const desc = total ? w("hours_desc", { n: total, max: peak.n, peak: span(peak) }) : w("hours_none", { end: endText });

  const width = Math.max(300, Math.min(box.clientWidth || 360, 720));
  const height = 200;
  const [top, bottom, side, far] = [18, 40, 30, 22]; // `far`: room for the last hour's label
  const plot = width - side - far;
  const step = plot / HOURS;
  const rtl = state.lang === "ar"; // time runs from right to left in Arabic
  const x = (i) => (rtl ? far + (HOURS - 1 - i) * step : side + i * step);
  const max = Math.max(1, peak.n);
  const y = (n) => top + (height - top - bottom) * (1 - n / max);
  const axisX = rtl ? width - side + 4 : side - 4;
  const anchor = rtl ? "start" : "end";
  const svg = s("svg", { class: "chart", viewBox: `0 0 ${width} ${height}`, width: "100%", role: "img", "aria-labelledby": `${titleId} ${descId}`, focusable: "false" },
    s("title", { id: titleId }, w("hours_title")),
    s("desc", { id: descId }, desc),
    [max, 0].map((n) => [
      s("line", { class: "grid", x1: rtl ? far : side, x2: rtl ? width - side : width - far, y1: y(n), y2: y(n) }),
      s("text", { class: "axis", x: axisX, y: y(n) + 4, "text-anchor": anchor }, String(n)),
    ]),
    slots.map((slot, i) => (slot.n ? s("rect", { class: "bar", x: x(i) + 1, width: Math.max(1, step - 2), y: y(slot.n), height: y(0) - y(slot.n) }) : null)),
    slots.map((slot, i) => {
      const hour = slot.local.getUTCHours();
      if (hour % 12 !== 0) return null;
      const middle = x(i) + step / 2;
      return [
        s("line", { class: "tick", x1: middle, x2: middle, y1: y(0), y2: y(0) + 4 }),
        s("text", { class: "axis", x: middle, y: height - bottom + 18, "text-anchor": "middle" }, hourText(slot.local)),
        s("text", { class: "axis day", x: middle, y: height - bottom + 34, "text-anchor": "middle" }, dayText(slot.local)),
      ];
    }));
  const rows = slots.filter((slot) => slot.n);
  return h("section", { class: "hours", "aria-labelledby": "hours-h2" },
    h("h2", { id: "hours-h2" }, w("hours_title")),
    h("p", { class: "hint" }, w("hours_note", { end: endText })),
    h("figure", { class: "chart-box" }, svg, h("figcaption", { class: "muted" }, desc)),
    rows.length ? h("details", {}, h("summary", {}, w("hours_table")),
      h("div", { class: "table-wrap" }, h("table", {},
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, w("hour")), h("th", { scope: "col" }, w("submissions")))),
        h("tbody", {}, rows.map((slot) => h("tr", {}, h("td", {}, span(slot)), h("td", {}, String(slot.n)))))))) : null);
}

// --- One level down ---------------------------------------------------------------------
async function breakdown(board, year) {
  const kind = board.breakdown[0]?.scope.split(":")[0] || childKind(board.scope);
  const section = h("section", { "aria-labelledby": "children-h2" }, h("h2", { id: "children-h2" }, w(`children_${kind}`)));
  if (!board.breakdown.length) {
    section.append(h("p", { class: "muted" }, w("none_yet")));
    return section;
  }
  const names = kind === "school" ? await schoolNames(board.scope) : new Map();
  const rows = board.breakdown.map((row) => {
    const code = row.scope.split(":")[1];
    const named = kind === "school" ? names.get(code) : nameIn(row);
    return { row, code, named };
  }).sort((a, b) => (b.row.total - a.row.total) || String(a.named || a.code).localeCompare(String(b.named || b.code), state.lang));
  section.append(h("div", { class: "table-wrap" }, h("table", { class: "stack" },
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, w("name")), STATUSES.map((status) => h("th", { scope: "col" }, w(status))))),
    h("tbody", {}, rows.map(({ row, code, named }) => h("tr", {},
      h("th", { scope: "row" }, h("a", { href: link(row.scope, year) }, named ? h("bdi", {}, named) : codeEl(code)), named && kind === "school" ? [" ", codeEl(code)] : null),
      STATUSES.map((status) => h("td", { "data-label": w(status) }, String(row[status] ?? 0)))))))));
  return section;
}

function childKind(scope) {
  return scope === "national" ? "academy" : scope.startsWith("academy:") ? "province" : "school";
}

/** The names of a province's schools (the counters know only their codes). */
async function schoolNames(scope) {
  const names = new Map();
  if (!scope.startsWith("province:")) return names;
  let cursor = null;
  for (let page = 0; page < 5; page++) {
    const query = new URLSearchParams({ province: scope.slice(9), limit: "200", ...(cursor ? { cursor } : {}) });
    const answer = await api("GET", `/v1/schools?${query}`).catch(() => null);
    if (!answer) break;
    for (const school of answer.items) names.set(school.code, state.lang === "ar" ? school.name_ar : school.name_fr);
    cursor = answer.next_cursor;
    if (!cursor) break;
  }
  return names;
}

