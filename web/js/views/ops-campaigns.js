// Console · registration campaigns, one per school year: its dates and the birth-date
// window of the legal age. National operators set them (PUT, a new year or an edit).
import { ApiError, api, dateText, field, go, h, notice, onSubmit, ready, title, words } from "../core.js";
import { errorNotice, isNational, todayIso } from "./ops.js";

const w = words({
  ar: {
    title: "حملات التسجيل الأولي",
    intro: "لكل سنة دراسية حملة واحدة: تاريخ الافتتاح وتاريخ الإغلاق، ونافذة تواريخ الازدياد التي تحدد السن القانوني.",
    listed: "الحملات من \u2066{from}\u2069 إلى \u2066{to}\u2069",
    none: "لا توجد أي حملة لهذه السنوات.",
    open: "مفتوحة",
    upcoming: "لم تفتح بعد",
    closed: "مغلقة",
    current: "تستقبل طلبات الأسر",
    not_current: "مفتوحة، لكن حملة أخرى تستقبل الطلبات: الأحدث بين الحملات المفتوحة للسنوات الدراسية التي تبدأ في السنة الماضية أو الجارية أو المقبلة.",
    dates: "من {from} إلى {to}",
    window: "الأطفال المزدادون من {from} إلى {to}",
    edit: "تعديل حملة \u2066{year}\u2069",
    new_title: "فتح حملة جديدة",
    edit_title: "تعديل حملة \u2066{year}\u2069",
    school_year: "السنة الدراسية",
    school_year_hint: "السنوات التي لا تتوفر على حملة بعد.",
    opens_on: "تاريخ الافتتاح",
    closes_on: "تاريخ الإغلاق",
    window_legend: "السن القانوني",
    window_hint: "يكون الطفل في السن القانوني إذا ازداد بين هذين التاريخين (ضمنهما). يجب أن تسبق النافذة تاريخ الافتتاح.",
    birth_date_from: "مزداد ابتداء من",
    birth_date_to: "مزداد إلى غاية",
    note: "القاعدة بالكلمات",
    note_hint: "تظهر للأسر. 300 حرف على الأكثر.",
    save_new: "فتح الحملة",
    save_edit: "حفظ التعديلات",
    saved: "حُفظت حملة \u2066{year}\u2069.",
    all_taken: "كل هذه السنوات تتوفر على حملة: عدّل إحداها.",
    national_only: "تحدد الحملات من طرف المشرفين على الصعيد الوطني فقط.",
    missing: "لا توجد حملة لهذه السنة بعد.",
    back: "كل الحملات",
  },
  fr: {
    title: "Campagnes de préinscription",
    intro: "Une campagne par année scolaire : ses dates d'ouverture et de clôture, et la fenêtre de dates de naissance qui définit l'âge légal.",
    listed: "Campagnes de {from} à {to}",
    none: "Aucune campagne pour ces années.",
    open: "Ouverte",
    upcoming: "Pas encore ouverte",
    closed: "Close",
    current: "Reçoit les demandes des familles",
    not_current: "Ouverte, mais une autre reçoit les demandes : la plus récente des campagnes ouvertes des années scolaires commençant l'an dernier, cette année ou l'an prochain.",
    dates: "Du {from} au {to}",
    window: "Enfants nés du {from} au {to}",
    edit: "Modifier la campagne {year}",
    new_title: "Ouvrir une nouvelle campagne",
    edit_title: "Modifier la campagne {year}",
    school_year: "Année scolaire",
    school_year_hint: "Les années qui n'ont pas encore de campagne.",
    opens_on: "Date d'ouverture",
    closes_on: "Date de clôture",
    window_legend: "Âge légal",
    window_hint: "Un enfant est en âge quand il est né entre ces deux dates (incluses). La fenêtre doit précéder l'ouverture.",
    birth_date_from: "Né à partir du",
    birth_date_to: "Né jusqu'au",
    note: "La règle en mots",
    note_hint: "Montrée aux familles. 300 caractères au plus.",
    save_new: "Ouvrir la campagne",
    save_edit: "Enregistrer les modifications",
    saved: "Campagne {year} enregistrée.",
    all_taken: "Toutes ces années ont une campagne : modifiez-en une.",
    national_only: "Seuls les opérateurs nationaux fixent les campagnes.",
    missing: "Cette année n'a pas encore de campagne.",
    back: "Toutes les campagnes",
  },
});

let flash = null; // the last save, shown once on the list

/**
 * The school years around today's (the API has no list of campaigns: each is asked for):
 * the one before, today's (it starts in September), and the two to come.
 */
function years() {
  const [year, month] = todayIso().split("-").map(Number);
  const start = month >= 9 ? year : year - 1;
  return [start - 1, start, start + 1, start + 2].map((y) => `${y}-${y + 1}`);
}

async function campaignOf(year) {
  try {
    return await api("GET", `/v1/campaigns/${year}`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

export async function render(section, { params }) {
  const editing = params[0] || null;
  if (editing) return renderEdit(section, editing);
  section.append(title(w("title")), h("p", {}, w("intro")));
  if (flash) {
    section.append(notice("good", flash));
    flash = null;
  }
  const all = years();
  const [found, current] = await Promise.all([Promise.all(all.map(campaignOf)), api("GET", "/v1/campaigns/current").catch(() => null)]);
  const today = todayIso();
  const list = found.filter(Boolean).reverse();
  section.append(h("h2", {}, w("listed", { from: all[0], to: all.at(-1) })),
    list.length ? h("ul", { class: "campaigns" }, list.map((c) => {
      const state = c.is_open ? "open" : today < c.opens_on ? "upcoming" : "closed";
      return h("li", { class: "campaign" },
        h("h3", {}, h("bdi", { dir: "ltr" }, c.school_year), " ", h("span", { class: `badge ${state === "open" ? "good" : state === "upcoming" ? "warn" : ""}` }, w(state))),
        c.school_year === current?.school_year ? h("p", { class: "check good current" }, w("current")) : c.is_open ? h("p", { class: "hint" }, w("not_current")) : null,
        h("p", {}, w("dates", { from: dateText(c.opens_on), to: dateText(c.closes_on) })),
        h("p", {}, w("window", { from: dateText(c.birth_date_from), to: dateText(c.birth_date_to) })),
        c.note ? h("p", { class: "muted" }, h("bdi", { dir: "auto" }, c.note)) : null,
        isNational() ? h("p", {}, h("a", { href: `#/ops/campaigns/${c.school_year}` }, w("edit", { year: c.school_year }))) : null);
    })) : h("p", { class: "muted" }, w("none")));
  if (!isNational()) {
    section.append(notice("info", w("national_only")));
  } else {
    const free = all.filter((year, index) => !found[index] && index >= 2); // campaigns run before their year
    section.append(h("h2", {}, w("new_title")));
    section.append(free.length ? campaignForm(null, free) : h("p", { class: "muted" }, w("all_taken")));
  }
  ready("ops-campaigns");
}

async function renderEdit(section, year) {
  section.append(title(w("edit_title", { year })), h("p", {}, h("a", { href: "#/ops/campaigns" }, w("back"))));
  let campaign;
  try {
    campaign = await campaignOf(year);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    section.append(errorNotice(error));
    ready("ops-campaign");
    return;
  }
  if (!isNational()) section.append(notice("info", w("national_only")));
  else if (!campaign) section.append(notice("warn", w("missing")), campaignForm(null, [year]));
  else section.append(campaignForm(campaign, [year]));
  ready("ops-campaign");
}

function campaignForm(campaign, choices) {
  const dates = (name) => field(name, w(name), { type: "date", required: true, value: campaign?.[name] });
  const form = h("form", { class: "campaign-form", novalidate: true },
    campaign ? null : field("school_year", w("school_year"), { required: true, options: choices.map((y) => [y, y]), value: choices[0], hint: w("school_year_hint") }),
    h("div", { class: "row" }, dates("opens_on"), dates("closes_on")),
    h("fieldset", { dataset: { field: "window" } }, h("legend", {}, w("window_legend")),
      h("p", { class: "hint" }, w("window_hint")),
      h("div", { class: "row" }, dates("birth_date_from"), dates("birth_date_to"))),
    field("note", w("note"), { type: "textarea", value: campaign?.note || "", hint: w("note_hint"), attrs: { maxlength: 300 } }),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, campaign ? w("save_edit") : w("save_new"))));
  onSubmit(form, async (values) => {
    const year = campaign?.school_year || values.school_year || choices[0];
    const body = { opens_on: values.opens_on, closes_on: values.closes_on, birth_date_from: values.birth_date_from, birth_date_to: values.birth_date_to, note: values.note || null };
    await api("PUT", `/v1/campaigns/${encodeURIComponent(year)}`, { body });
    flash = w("saved", { year });
    go("#/ops/campaigns");
  });
  return form;
}
