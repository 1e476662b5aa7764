// The school staff's desk: a tab per task. Each tab is its own module (desk-<page>.js),
// fetched when first opened; this one holds the tabs and what the pages share.
import { ApiError, NetworkError, busy, field, h, load, me, notice, ready, session, state, t, title, words } from "../core.js";

// One sideways-scrolling row on a phone, in the order of the school's year: enrolment,
// the classes' set-up (classes, subjects, week), school life, then messages and accounts.
export const PAGES = ["applications", "classes", "subjects", "timetable", "transfers", "yearend", "marks", "absences", "behaviour", "homework", "guardians", "inbox", "appointments", "letters", "codes"];

export const w = words({
  ar: {
    tabs: "أقسام مكتب المؤسسة",
    group_enrolment: "التسجيل",
    group_classes: "الأقسام",
    group_life: "الحياة المدرسية",
    group_messages: "التواصل",
    applications: "طلبات التسجيل",
    marks: "النقط",
    absences: "الغياب",
    behaviour: "السلوك",
    inbox: "الرسائل",
    appointments: "المواعيد",
    letters: "رسائل الحسابات",
    codes: "استرجاع القن الأولي",
    classes: "الأقسام والتلاميذ",
    transfers: "الانتقالات",
    yearend: "نهاية السنة",
    homework: "الواجبات",
    subjects: "المواد والمعاملات",
    timetable: "استعمال الزمن",
    guardians: "تصحيحات أولياء الأمور",
    class: "القسم",
    subject: "المادة",
    pupil: "التلميذ(ة)",
    massar_code: "رمز مسار",
    no_school: "هذا الحساب غير مرتبط بأي مؤسسة.",
    staff_only: "هذه الصفحة خاصة بأطر المؤسسة.",
    no_classes: "لا يوجد أي قسم في هذه المؤسسة.",
    no_pupils: "لا يوجد أي تلميذ في هذا القسم.",
    more: "عرض المزيد",
    reload: "إعادة التحميل",
    open: "فتح",
  },
  fr: {
    tabs: "Rubriques du bureau de l'école",
    group_enrolment: "Inscriptions",
    group_classes: "Classes",
    group_life: "Vie scolaire",
    group_messages: "Échanges",
    applications: "Préinscriptions",
    marks: "Notes",
    absences: "Absences",
    behaviour: "Comportement",
    inbox: "Messages",
    appointments: "Rendez-vous",
    letters: "Lettres d'accès",
    codes: "Code initial",
    classes: "Classes et élèves",
    transfers: "Transferts",
    yearend: "Fin d'année",
    homework: "Devoirs",
    subjects: "Matières et coefficients",
    timetable: "Emploi du temps",
    guardians: "Corrections des tuteurs",
    class: "Classe",
    subject: "Matière",
    pupil: "Élève",
    massar_code: "Code Massar",
    no_school: "Ce compte n'est rattaché à aucune école.",
    staff_only: "Cette page est réservée au personnel de l'école.",
    no_classes: "Aucune classe dans cette école.",
    no_pupils: "Aucun élève dans cette classe.",
    more: "Afficher plus",
    reload: "Recharger",
    open: "Ouvrir",
  },
});

// The school of the signed-in staff member (core `me`: asked once per account).
async function schoolCode() {
  const { data } = await me();
  return data?.profile?.school_code || null;
}

// The tabs in four groups, each opened by its name in the row (a page not listed here
// comes last, in the order of PAGES).
const GROUPS = [
  ["group_enrolment", ["applications", "transfers", "letters", "codes"]],
  ["group_classes", ["classes", "subjects", "timetable", "yearend"]],
  ["group_life", ["marks", "absences", "behaviour", "homework", "exams"]],
  ["group_messages", ["inbox", "appointments", "guardians"]],
];

function tabs(current) {
  const grouped = new Set(GROUPS.flatMap(([, pages]) => pages));
  const rows = GROUPS.map(([group, pages]) => [group, pages.filter((p) => PAGES.includes(p))]);
  rows[rows.length - 1][1].push(...PAGES.filter((p) => !grouped.has(p)));
  return h("nav", { "aria-label": w("tabs") },
    h("ul", { class: "tabs grouped" }, rows.flatMap(([group, pages]) => pages.map((page, i) =>
      h("li", { class: i === 0 ? "group-start" : null },
        i === 0 ? h("span", { class: "group", id: `tabs-${group}` }, w(group)) : null,
        h("a", { href: `#/desk/${page}`, "aria-current": page === current ? "page" : null, "aria-describedby": `tabs-${group}` }, w(page)))))));
}

export async function render(main, { params }) {
  const page = params.length === 0 ? "applications" : PAGES.includes(params[0]) ? params[0] : null;
  if (!page) {
    main.append(h("h1", { tabindex: "-1" }, t("not_found")), h("p", {}, h("a", { href: "#/desk" }, t("desk"))));
    ready("desk-not-found");
    return;
  }
  main.append(tabs(page));
  // On a phone the tabs are one row that scrolls sideways (app.css): show the current one.
  main.querySelector(".tabs [aria-current]")?.scrollIntoView({ block: "nearest", inline: "center" });
  const section = h("div", { class: "desk-page" });
  main.append(section);
  if (session.role() !== "staff") {
    section.append(title(t("desk")), notice("bad", w("staff_only")));
    ready(`desk-${page}`);
    return;
  }
  let module;
  let code;
  try {
    [module, code] = await Promise.all([import(`./desk-${page}.js`), schoolCode()]);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error; // the shell offers "retry"
    section.append(title(w(page)), errorNotice(error));
    ready(`desk-${page}`);
    return;
  }
  if (!code) {
    section.append(title(w(page)), notice("bad", w("no_school")));
    ready(`desk-${page}`);
    return;
  }
  await module.render(section, { code, params: params.slice(1) });
}

// --- Shared by the pages ---------------------------------------------------------------

/** An API failure as an alert, in the reader's language. */
export function errorNotice(error) {
  return notice("bad", error instanceof NetworkError ? t("network_error") : error.message || String(error));
}

/** A load that shows its failure in `box` (and answers null) instead of throwing. */
export async function tryLoad(path, box) {
  try {
    return (await load(path)).data;
  } catch (error) {
    if (!(error instanceof ApiError || error instanceof NetworkError)) throw error;
    box.append(errorNotice(error));
    return null;
  }
}

/**
 * A page that works on one class: its title, then the school's classes and subjects
 * (null, with the reason shown and the page marked ready, when they cannot be had).
 */
export async function classesAndSubjects(section, code, heading, view) {
  const box = h("div", {});
  section.append(title(heading), box);
  const [classes, subjects] = await Promise.all([
    tryLoad(`/v1/schools/${code}/classes`, box),
    tryLoad(`/v1/schools/${code}/subjects`, box),
  ]);
  if (classes && subjects && !classes.items.length) box.append(notice("warn", w("no_classes")));
  if (!classes || !subjects || !classes.items.length) {
    ready(view);
    return null;
  }
  return { box, classes, subjects };
}

// The class each one-class page had open, kept while the desk is (the same class again
// when the teacher comes back to the tab).
const lastClassOf = {};

/**
 * A one-class page: the class picker (chosen for the user when the school has one class),
 * then `renderClass(box, code, classId, subjects, level)` for the class picked.
 */
export async function perClassPage(section, code, heading, view, renderClass) {
  const page = await classesAndSubjects(section, code, heading, view);
  if (!page) return;
  const { box, classes, subjects } = page;
  const last = lastClassOf[view] || "";
  const known = classes.items.some((c) => c.class_id === last) ? last : "";
  const initial = classes.items.length === 1 ? classes.items[0].class_id : known;
  const options = classes.items.map((c) => [c.class_id, c.label || c.class_id]);
  const classField = field("class_id", w("class"), { required: true, options, value: initial });
  const select = classField.querySelector("select");
  const classBox = h("div", {});
  box.append(classField, classBox);

  async function showClass() {
    busy();
    classBox.replaceChildren();
    lastClassOf[view] = select.value;
    if (select.value) {
      const level = classes.items.find((c) => c.class_id === select.value)?.level;
      await renderClass(classBox, code, select.value, subjects.items, level);
    }
    ready(view);
  }
  select.addEventListener("change", showClass);
  await showClass();
}

/** `el.append` that skips null/false and flattens arrays, as `h()` does with children. */
export function add(el, ...children) {
  for (const child of children.flat(Infinity)) {
    if (child !== null && child !== undefined && child !== false) el.append(child);
  }
  return el;
}

/** Both spellings of a name, the reader's script first: "Amina El Alaoui · أمينة العلوي". */
export function bothNames(ar, lat) {
  const [first, second, secondLang] = state.lang === "ar" ? [ar, lat, "fr"] : [lat, ar, "ar"];
  return h("span", { class: "names" },
    h("bdi", {}, first || second || ""),
    first && second ? [" · ", h("bdi", { class: "muted", lang: secondLang }, second)] : null);
}

export function pupilNames(pupil) {
  const ar = [pupil.first_name_ar, pupil.last_name_ar].filter(Boolean).join(" ");
  const lat = [pupil.first_name_lat, pupil.last_name_lat].filter(Boolean).join(" ");
  return bothNames(ar, lat);
}

export function codeEl(value) {
  return h("bdi", { class: "code", dir: "ltr" }, value);
}

/** Today in Morocco, `YYYY-MM-DD`. */
export function todayIso() {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Africa/Casablanca", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
}

/** Moroccan school years start in September: 2026-11-23 is in 2026-2027. */
export function schoolYearOf(iso) {
  const [year, month] = iso.split("-").map(Number);
  const first = month >= 9 ? year : year - 1;
  return `${first}-${first + 1}`;
}

/** First semester September to January, second February to August. */
export function semesterOf(iso) {
  const month = Number(iso.split("-")[1]);
  return month >= 9 || month === 1 ? 1 : 2;
}

/** The school's subjects taught at a level, as select options. */
export function subjectOptions(subjects, level) {
  const seen = new Set();
  const options = [];
  for (const s of subjects) {
    if (level && s.level !== level) continue;
    if (seen.has(s.subject)) continue;
    seen.add(s.subject);
    options.push([s.subject, state.lang === "ar" ? s.name_ar || s.name_fr : s.name_fr || s.name_ar]);
  }
  return options;
}

export function subjectName(subjects, code) {
  const s = subjects.find((item) => item.subject === code);
  if (!s) return code;
  return state.lang === "ar" ? s.name_ar || s.name_fr : s.name_fr || s.name_ar;
}

/** A chosen file's bytes as base64 (the imports' `content_base64`). */
export async function fileBase64(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

/** An import's refusal (`rows.<n>.<column>` → message) listed row by row; `column` words a column. */
export function rowErrors(fields, column = (name) => name) {
  const rows = new Map();
  for (const [path, message] of Object.entries(fields)) {
    const [, n, col] = path.match(/^rows\.(\d+)\.(.+)$/) || [];
    if (!n) continue;
    if (!rows.has(n)) rows.set(n, []);
    rows.get(n).push([col, message]);
  }
  const ordered = [...rows.entries()].sort((a, b) => Number(a[0]) - Number(b[0]));
  const rowWord = state.lang === "ar" ? "السطر" : "Ligne";
  return h("ul", { class: "row-errors" }, ordered.map(([n, problems]) =>
    h("li", { dataset: { row: n } }, h("strong", {}, `${rowWord} ${n}`), " ",
      h("ul", {}, problems.map(([col, message]) => h("li", {}, h("span", { class: "muted" }, `${column(col)} — `), message))))));
}

/**
 * The school's pupils by Massar code (each class's list, read at once), for the answers
 * that carry only a code: `names.get(code)` is the pupil or undefined.
 */
export async function pupilsByCode(code) {
  const names = new Map();
  const classes = await load(`/v1/schools/${code}/classes`).then((a) => a.data.items).catch(() => []);
  const lists = await Promise.all(classes.map((c) =>
    load(`/v1/schools/${code}/classes/${encodeURIComponent(c.class_id)}/pupils`).then((a) => a.data.items).catch(() => [])));
  for (const pupil of lists.flat()) names.set(pupil.massar_code, pupil);
  return names;
}
