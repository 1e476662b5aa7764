// Desk · classes and pupils: the school's classes (and a new one), a class's pupils (and
// one more by a small form), the class lists imported from Massar (CSV/XLSX, a report row
// by row; nothing is written when a row is wrong) and the pupils still waiting for a class.
// "#/desk/classes" lists; "#/desk/classes/<class_id>" shows one class.
import { api, bothCalendars, field, formValues, h, load, newKey, notice, personName, ready, showErrors, state, title, whileBusy, words } from "../core.js";
import { codeEl, pupilNames, schoolYearOf, todayIso, tryLoad, w as dw } from "./desk.js";

const w = words({
  ar: {
    title: "الأقسام والتلاميذ",
    classes: "أقسام المؤسسة",
    new_class: "قسم جديد",
    label: "اسم القسم",
    label_hint: "مثال: \u20661AC-2\u2069",
    massar_hint: "مثال: \u2066J130012345\u2069",
    level: "المستوى",
    level_hint: "مثال: \u2066CP\u2069 أو \u20661AP\u2069 أو \u20661AC\u2069 أو \u2066TC\u2069 أو \u20661BAC\u2069",
    school_year: "السنة الدراسية",
    school_year_hint: "مثال: \u20662026-2027\u2069",
    create: "إنشاء القسم",
    exists: "يوجد قسم بهذا الاسم.",
    created: "تم إنشاء القسم {label}.",
    pupils: "تلاميذ القسم",
    count: "العدد: {n#pupils_n}",
    add_pupil: "إضافة تلميذ(ة)",
    add: "إضافة إلى القسم",
    added: "تمت إضافة التلميذ(ة) إلى القسم.",
    first_name_ar: "الاسم الشخصي بالعربية",
    last_name_ar: "الاسم العائلي بالعربية",
    first_name_lat: "الاسم الشخصي بالحروف اللاتينية",
    last_name_lat: "الاسم العائلي بالحروف اللاتينية",
    birth_date: "تاريخ الازدياد",
    gender: "الجنس",
    F: "أنثى",
    M: "ذكر",
    guardian: "ولي الأمر",
    guardian_role: "صفة ولي الأمر",
    father: "الأب",
    mother: "الأم",
    tutor: "الولي",
    guardian_cin: "رقم البطاقة الوطنية لولي الأمر",
    guardian_first_name_ar: "الاسم الشخصي لولي الأمر بالعربية",
    guardian_last_name_ar: "الاسم العائلي لولي الأمر بالعربية",
    guardian_first_name_lat: "الاسم الشخصي لولي الأمر بالحروف اللاتينية",
    guardian_last_name_lat: "الاسم العائلي لولي الأمر بالحروف اللاتينية",
    guardian_phone: "هاتف ولي الأمر",
    class_id: "القسم",
    elsewhere: "هذا التلميذ(ة) مسجل(ة) بمؤسسة أخرى: لا يمكن تسجيله(ا) هنا إلا بعد انتقاله(ا).",
    ask_transfer: "طلب انتقال هذا التلميذ(ة)",
    import: "استيراد لوائح الأقسام",
    import_hint: "ملف CSV أو XLSX كما يُصدَّر من مسار، تلميذ(ة) في كل سطر، مع الأعمدة massar_code و class_id (والأسماء ومعطيات ولي الأمر إن وُجدت). لا يُسجَّل أي شيء إذا كان سطر واحد خاطئا.",
    file: "الملف",
    send_file: "استيراد الملف",
    check: "تحقق فقط (لا يُرسل شيء)",
    check_xlsx: "التحقق فقط يقرأ ملفات CSV وحدها. ملف XLSX يُتحقق منه عند الاستيراد، ولا يُسجَّل شيء إذا كان سطر واحد خاطئا.",
    check_empty: "الملف فارغ.",
    check_columns: "أعمدة ناقصة: {columns}",
    check_code: "رمز مسار غير صحيح",
    check_twice: "الرمز مكرر في الملف",
    check_class: "قسم غير موجود بالمؤسسة",
    check_ok: "صحيح",
    check_good: "الأسطر صحيحة ({n}). يمكنكم الاستيراد.",
    check_bad: "أسطر خاطئة: {n}. صححوها قبل الاستيراد.",
    no_file: "اختر ملف CSV أو XLSX.",
    imported: "تم الاستيراد، سُجِّل أو حُدِّث: {written#pupils_n}.",
    pupils_n: { zero: "لا تلميذ", one: "تلميذ واحد", two: "تلميذان", few: "# تلاميذ", many: "# تلميذا", other: "# تلميذ" },
    refused: "لم يُسجَّل أي شيء: صححوا الأسطر التالية ثم أعيدوا الاستيراد.",
    row_n: "السطر {n}",
    row: "السطر",
    status: "الحالة",
    st_created: "جديد",
    st_updated: "عُدل",
    st_unchanged: "بدون تغيير",
    st_error: "خطأ",
    awaiting: "تلاميذ في انتظار قسم",
    awaiting_hint: "طلبات تسجيل مقبولة أو انتقالات مقبولة لم يُحدَّد لها قسم بعد.",
    no_awaiting: "لا يوجد أي تلميذ في انتظار قسم.",
    place: "إلحاق بالقسم",
    place_in: "القسم لـ {name}",
    placed: "أُلحق {name} بالقسم {label}.",
    choose_class: "اختر القسم.",
    back: "الرجوع إلى الأقسام",
    to_yearend: "قرارات آخر السنة لهذا القسم",
    unknown_class: "هذا القسم غير موجود.",
  },
  fr: {
    title: "Classes et élèves",
    classes: "Classes de l'école",
    new_class: "Nouvelle classe",
    label: "Nom de la classe",
    label_hint: "Par exemple : 1AC-2",
    massar_hint: "Par exemple : J130012345",
    level: "Niveau",
    level_hint: "Par exemple : CP, 1AP, 1AC, TC, 1BAC",
    school_year: "Année scolaire",
    school_year_hint: "Par exemple : 2026-2027",
    create: "Créer la classe",
    exists: "Une classe porte déjà ce nom.",
    created: "Classe {label} créée.",
    pupils: "Élèves de la classe",
    count: "{n#pupils_n}",
    add_pupil: "Ajouter un élève",
    add: "Ajouter à la classe",
    added: "Élève ajouté à la classe.",
    first_name_ar: "Prénom en arabe",
    last_name_ar: "Nom en arabe",
    first_name_lat: "Prénom en lettres latines",
    last_name_lat: "Nom en lettres latines",
    birth_date: "Date de naissance",
    gender: "Sexe",
    F: "Fille",
    M: "Garçon",
    guardian: "Tuteur",
    guardian_role: "Lien du tuteur",
    father: "Père",
    mother: "Mère",
    tutor: "Tuteur légal",
    guardian_cin: "CIN du tuteur",
    guardian_first_name_ar: "Prénom du tuteur en arabe",
    guardian_last_name_ar: "Nom du tuteur en arabe",
    guardian_first_name_lat: "Prénom du tuteur en lettres latines",
    guardian_last_name_lat: "Nom du tuteur en lettres latines",
    guardian_phone: "Téléphone du tuteur",
    class_id: "Classe",
    elsewhere: "Cet élève est inscrit dans une autre école : il ne peut être inscrit ici qu'après son transfert.",
    ask_transfer: "Demander le transfert de cet élève",
    import: "Importer les listes de classes",
    import_hint: "Fichier CSV ou XLSX tel qu'exporté de Massar, un élève par ligne, avec les colonnes massar_code et class_id (et, s'il y en a, les noms et les données du tuteur). Rien n'est enregistré si une seule ligne est fausse.",
    file: "Fichier",
    send_file: "Importer le fichier",
    check: "Vérifier seulement (rien n'est envoyé)",
    check_xlsx: "La vérification seule ne lit que les fichiers CSV. Un fichier XLSX est vérifié à l'import : rien n'est enregistré si une seule ligne est fausse.",
    check_empty: "Le fichier est vide.",
    check_columns: "Colonnes manquantes : {columns}",
    check_code: "code Massar invalide",
    check_twice: "code en double dans le fichier",
    check_class: "classe inconnue de l'école",
    check_ok: "correcte",
    check_good: "Lignes correctes : {n}. Vous pouvez importer.",
    check_bad: "Lignes fausses : {n}. Corrigez-les avant d'importer.",
    no_file: "Choisissez un fichier CSV ou XLSX.",
    imported: "Import terminé : {written#pupils_written}.",
    pupils_written: { one: "# élève inscrit ou mis à jour", other: "# élèves inscrits ou mis à jour" },
    pupils_n: { one: "# élève", other: "# élèves" },
    refused: "Rien n'a été enregistré : corrigez les lignes suivantes puis importez de nouveau.",
    row_n: "Ligne {n}",
    row: "Ligne",
    status: "État",
    st_created: "nouveau",
    st_updated: "mis à jour",
    st_unchanged: "inchangé",
    st_error: "erreur",
    awaiting: "Élèves en attente d'une classe",
    awaiting_hint: "Préinscriptions approuvées et transferts acceptés qui n'ont pas encore de classe.",
    no_awaiting: "Aucun élève n'attend de classe.",
    place: "Placer dans la classe",
    place_in: "Classe pour {name}",
    placed: "{name} placé(e) en {label}.",
    choose_class: "Choisissez la classe.",
    back: "Retour aux classes",
    to_yearend: "Décisions de fin d'année de cette classe",
    unknown_class: "Cette classe n'existe pas.",
  },
});

const GUARDIAN_ROLES = [["father", "father"], ["mother", "mother"], ["guardian", "tutor"]];
const LTR = { dir: "ltr", autocomplete: "off", spellcheck: "false" };

function nameText(p) {
  return personName(p) || p.massar_code;
}

function classPath(id) {
  return `#/desk/classes/${encodeURIComponent(id)}`;
}

export async function render(section, { code, params }) {
  if (params[0]) return renderClass(section, code, params[0]);
  return renderIndex(section, code);
}

// --- #/desk/classes ------------------------------------------------------------------------
async function renderIndex(section, code) {
  const box = h("div", {});
  section.append(title(w("title")), box);
  const [classes, awaiting] = await Promise.all([
    tryLoad(`/v1/schools/${code}/classes`, box),
    tryLoad(`/v1/schools/${code}/pupils/awaiting-class`, box),
  ]);
  if (!classes) {
    ready("desk-classes");
    return;
  }
  const items = classes.items;
  const list = h("div", {});
  const drawList = () => list.replaceChildren(
    h("h2", {}, w("classes")),
    items.length
      ? h("ul", { class: "cards classes" }, items.map((c) =>
          h("li", {}, h("a", { href: classPath(c.class_id) },
            h("strong", {}, h("bdi", {}, c.label || c.class_id)),
            h("span", { class: "muted" }, colon(w("level")), h("bdi", { dir: "ltr" }, c.level || "—")),
            c.school_year ? [h("br"), h("span", { class: "muted" }, h("bdi", { dir: "ltr" }, c.school_year))] : null))))
      : notice("info", dw("no_classes")));
  drawList();
  // What waits for the director first: the pupils with no class, then the lists to import.
  box.append(list, awaitingBox(code, items, awaiting), importForm(code, items), newClassForm(code, items, drawList));
  ready("desk-classes");
}

/** "Niveau : " in French, "المستوى: " in Arabic. */
function colon(text) {
  return state.lang === "fr" ? `${text}\u00a0: ` : `${text}: `;
}

function newClassForm(code, items, redraw) {
  const done = h("div", { "aria-live": "polite" });
  const form = h("form", { novalidate: true, class: "new-class" },
    h("h2", {}, w("new_class")),
    h("div", { class: "row" },
      field("label", w("label"), { required: true, hint: w("label_hint"), attrs: { ...LTR, maxlength: 40 } }),
      field("level", w("level"), { required: true, hint: w("level_hint"), attrs: { ...LTR, maxlength: 20 } }),
      field("school_year", w("school_year"), { required: true, hint: w("school_year_hint"), value: schoolYearOf(todayIso()), attrs: { ...LTR, inputmode: "numeric", pattern: "\\d{4}-\\d{4}" } })),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, w("create"))),
    done);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    whileBusy(form.querySelector("button[type=submit]"), async () => {
      done.replaceChildren();
      const values = formValues(form);
      const missing = {};
      for (const key of ["label", "level", "school_year"]) if (!values[key]) missing[key] = dw("required");
      if (Object.keys(missing).length) return showErrors(form, { message: dw("required"), fields: missing });
      const id = values.label.replace(/\s+/g, "-").replace(/[/?#%\\]/g, "-");
      if (items.some((c) => c.class_id === id)) return showErrors(form, { message: w("exists"), fields: { label: w("exists") } });
      try {
        const saved = await api("PUT", `/v1/schools/${code}/classes/${encodeURIComponent(id)}`, {
          body: { label: values.label, level: values.level.toUpperCase(), school_year: values.school_year },
        });
        form.querySelector(".form-error")?.remove();
        items.push({ class_id: id, ...saved });
        redraw();
        form.reset();
        form.querySelector("[name=school_year]").value = values.school_year;
        done.append(notice("good", w("created", { label: values.label }), " ", h("a", { href: classPath(id) }, dw("open"))));
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return form;
}

// --- the roster import --------------------------------------------------------------------
function toBase64(buffer) {
  const bytes = new Uint8Array(buffer);
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

/** A column of the sheet by its name in words ("massar_code" → "Code Massar"). */
function column(name) {
  for (const say of [w, dw]) {
    const text = say(name);
    if (text !== name) return text;
  }
  return name;
}

// --- "check only": the file read here, nothing sent (the API has no dry run) -----------------
/** A CSV's rows as the API reads them: UTF-8, comma, semicolon or tab (the most frequent). */
function csvRows(text) {
  const head = text.slice(0, 4096);
  const delimiter = [",", ";", "\t"].reduce((a, b) => (head.split(b).length > head.split(a).length ? b : a));
  const rows = [];
  let row = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i += 1; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) { row.push(cell.trim()); cell = ""; }
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i += 1;
      row.push(cell.trim()); rows.push(row); row = []; cell = "";
    } else cell += c;
  }
  if (cell || row.length) { row.push(cell.trim()); rows.push(row); }
  return rows;
}

/** Each row of the file checked against what the page knows: the columns, the codes, the classes. */
function checkRoster(text, classes) {
  const numbered = csvRows(text.replace(/^\ufeff/, "")).map((cells, i) => [i + 1, cells]).filter(([, cells]) => cells.some(Boolean));
  if (!numbered.length) return { problem: w("check_empty") };
  const header = numbered[0][1].map((c) => c.toLowerCase());
  const missing = ["massar_code", "class_id"].filter((c) => !header.includes(c));
  if (missing.length) return { problem: w("check_columns", { columns: missing.join(", ") }) };
  const known = new Set(classes.map((c) => c.class_id));
  const seen = new Set();
  const rows = numbered.slice(1).map(([n, cells]) => {
    const get = (name) => (cells[header.indexOf(name)] || "").trim();
    const massar = get("massar_code").toUpperCase();
    const classId = get("class_id");
    const errors = [];
    if (!/^[A-Z][0-9]{9}$/.test(massar)) errors.push(w("check_code"));
    else if (seen.has(massar)) errors.push(w("check_twice"));
    if (!known.has(classId)) errors.push(w("check_class"));
    seen.add(massar);
    const name = [get("first_name_lat"), get("last_name_lat")].filter(Boolean).join(" ") || [get("first_name_ar"), get("last_name_ar")].filter(Boolean).join(" ");
    return { row: n, massar_code: massar, class_id: classId, name, errors };
  });
  return { rows };
}

function checkReport(result) {
  if (result.problem) return notice("bad", result.problem);
  const bad = result.rows.filter((r) => r.errors.length).length;
  return h("div", {},
    notice(bad ? "bad" : "good", bad ? w("check_bad", { n: bad }) : w("check_good", { n: result.rows.length })),
    h("div", { class: "table-wrap" }, h("table", { class: "stack report check" },
      h("thead", {}, h("tr", {}, [w("row"), dw("massar_code"), dw("pupil"), w("class_id"), w("status")].map((text) => h("th", { scope: "col" }, text)))),
      h("tbody", {}, result.rows.map((r) => h("tr", {},
        h("td", { "data-label": w("row") }, String(r.row)),
        h("td", { "data-label": dw("massar_code") }, r.massar_code ? codeEl(r.massar_code) : "—"),
        h("td", { "data-label": dw("pupil") }, r.name ? h("bdi", {}, r.name) : "—"),
        h("td", { "data-label": w("class_id") }, r.class_id ? h("bdi", { dir: "ltr" }, r.class_id) : "—"),
        h("td", { "data-label": w("status") }, r.errors.length ? h("span", { class: "badge bad" }, r.errors.join(" · ")) : h("span", { class: "badge good" }, w("check_ok")))))))));
}

function importForm(code, classes) {
  const report = h("div", { class: "result", "aria-live": "polite" });
  const form = h("form", { novalidate: true, class: "roster-import" },
    h("h2", {}, w("import")),
    h("p", { class: "hint" }, w("import_hint")),
    field("file", w("file"), { type: "file", required: true, attrs: { accept: ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" } }),
    h("div", { class: "actions" },
      h("button", { type: "submit", class: "secondary", value: "check" }, w("check")),
      h("button", { type: "submit", class: "primary", value: "send" }, w("send_file"))));
  const key = { file: null, value: null };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const checkOnly = event.submitter?.value === "check";
    whileBusy(event.submitter || form.querySelector("button[type=submit]"), async () => {
      report.replaceChildren();
      const file = form.querySelector("input[type=file]").files[0];
      if (!file) return showErrors(form, { message: w("no_file"), fields: { file: w("no_file") } });
      const format = /\.xlsx$/i.test(file.name) ? "xlsx" : "csv";
      if (checkOnly) {
        form.querySelector(".form-error")?.remove();
        report.append(format === "xlsx" ? notice("info", w("check_xlsx")) : checkReport(checkRoster(await file.text(), classes)));
        return undefined;
      }
      // The same file sent again (a lost answer) is the same import.
      const id = `${file.name}:${file.size}:${file.lastModified}`;
      if (key.file !== id) Object.assign(key, { file: id, value: newKey() });
      try {
        const content = toBase64(await file.arrayBuffer());
        const answer = await api("POST", `/v1/schools/${code}/roster-imports`, { body: { format, content_base64: content }, key: key.value });
        form.querySelector(".form-error")?.remove();
        key.file = null;
        // The answer has only the codes: the names come from the lists of the classes written.
        const named = new Map();
        await Promise.all([...new Set((answer.rows || []).map((r) => r.class_id).filter(Boolean))].map((id) =>
          load(`/v1/schools/${code}/classes/${encodeURIComponent(id)}/pupils`).then(({ data }) => data.items.forEach((p) => named.set(p.massar_code, p))).catch(() => null)));
        report.append(notice("good", w("imported", { written: answer.written })), reportTable(answer.rows || [], named));
      } catch (error) {
        if (error.status !== 422 || !Object.keys(error.fields || {}).some((k) => k.startsWith("rows."))) return showErrors(form, error);
        form.querySelector(".form-error")?.remove();
        const refused = notice("bad", w("refused"));
        refused.tabIndex = -1;
        report.append(refused, rowErrors(error.fields));
        refused.focus();
      }
    });
  });
  return h("div", {}, form, report);
}

function statusBadge(status) {
  const kind = { created: "good", updated: "good", error: "bad" }[status] || "";
  return h("span", { class: `badge ${kind}`.trim() }, w(`st_${status}`));
}

function reportTable(rows, named) {
  return h("div", { class: "table-wrap" }, h("table", { class: "stack report" },
    h("thead", {}, h("tr", {}, [w("row"), dw("massar_code"), dw("pupil"), w("class_id"), w("status")].map((text) => h("th", { scope: "col" }, text)))),
    h("tbody", {}, rows.map((r) => h("tr", {},
      h("td", { "data-label": w("row") }, String(r.row)),
      h("td", { "data-label": dw("massar_code") }, r.massar_code ? codeEl(r.massar_code) : "—"),
      h("td", { "data-label": dw("pupil") }, named.has(r.massar_code) ? pupilNames(named.get(r.massar_code)) : "—"),
      h("td", { "data-label": w("class_id") }, r.class_id ? h("bdi", { dir: "ltr" }, r.class_id) : "—"),
      h("td", { "data-label": w("status") }, statusBadge(r.status)))))));
}

/** `rows.<n>.<column>` → message, shown row by row. */
function rowErrors(fields) {
  const rows = new Map();
  for (const [path, message] of Object.entries(fields)) {
    const [, n, col] = path.match(/^rows\.(\d+)\.(.+)$/) || [];
    if (!n) continue;
    if (!rows.has(n)) rows.set(n, []);
    rows.get(n).push([col, message]);
  }
  const ordered = [...rows.entries()].sort((a, b) => Number(a[0]) - Number(b[0]));
  return h("ul", { class: "row-errors" }, ordered.map(([n, problems]) =>
    h("li", { dataset: { row: n } }, h("strong", {}, w("row_n", { n })), " ",
      h("ul", {}, problems.map(([col, message]) => h("li", {}, h("span", { class: "muted" }, `${column(col)} — `), message))))));
}

// --- pupils waiting for a class --------------------------------------------------------------
function awaitingBox(code, classes, awaiting) {
  const box = h("section", { class: "awaiting", "aria-labelledby": "awaiting-title" },
    h("h2", { id: "awaiting-title" }, w("awaiting")), h("p", { class: "hint" }, w("awaiting_hint")));
  if (!awaiting) return box;
  const list = h("ul", { class: "cards awaiting-list" });
  const empty = () => notice("info", w("no_awaiting"));
  if (!awaiting.items.length) box.append(empty());
  else box.append(list);
  for (const pupil of awaiting.items) {
    const name = nameText(pupil);
    const select = field("class_id", w("place_in", { name }), { required: true, options: classes.map((c) => [c.class_id, c.label || c.class_id]) });
    const form = h("form", { novalidate: true, class: "place" }, select, h("div", { class: "actions" }, h("button", { type: "submit", class: "secondary" }, w("place"))));
    const item = h("li", { class: "card" }, h("p", {}, h("strong", {}, pupilNames(pupil)), h("br"), codeEl(pupil.massar_code),
      pupil.birth_date ? [" · ", bothCalendars(pupil.birth_date)] : null), form);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      whileBusy(form.querySelector("button[type=submit]"), async () => {
        const classId = formValues(form).class_id;
        if (!classId) return showErrors(form, { message: w("choose_class"), fields: { class_id: w("choose_class") } });
        try {
          await api("PUT", `/v1/schools/${code}/classes/${encodeURIComponent(classId)}/pupils`, { body: { pupils: [{ massar_code: pupil.massar_code }] } });
          const label = classes.find((c) => c.class_id === classId)?.label || classId;
          item.replaceWith(h("li", { class: "card" }, notice("good", w("placed", { name, label }), " ", h("a", { href: classPath(classId) }, dw("open")))));
        } catch (error) {
          showErrors(form, error);
        }
      });
    });
    list.append(item);
  }
  return box;
}

// --- #/desk/classes/<class_id> ---------------------------------------------------------------
async function renderClass(section, code, classId) {
  const box = h("div", {});
  const path = `/v1/schools/${code}/classes/${encodeURIComponent(classId)}`;
  section.append(h("p", {}, h("a", { href: "#/desk/classes" }, w("back"))), box);
  const [classes, pupils] = await Promise.all([tryLoad(`/v1/schools/${code}/classes`, h("div")), tryLoad(`${path}/pupils`, box)]);
  const klass = classes?.items.find((c) => c.class_id === classId);
  box.before(title(`${dw("class")} ${klass?.label || classId}`));
  if (!pupils) {
    ready("desk-class");
    return;
  }
  if (klass) {
    box.append(h("dl", { class: "facts" },
      h("dt", {}, w("level")), h("dd", {}, h("bdi", { dir: "ltr" }, klass.level || "—")),
      klass.school_year ? [h("dt", {}, w("school_year")), h("dd", {}, h("bdi", { dir: "ltr" }, klass.school_year))] : null));
  }
  const list = h("div", { class: "class-pupils" });
  const draw = (items) => list.replaceChildren(
    h("h2", {}, w("pupils")), h("p", { class: "muted count" }, w("count", { n: items.length })),
    items.length ? pupilTable(items) : notice("info", dw("no_pupils")));
  draw(pupils.items);
  box.append(list, h("p", {}, h("a", { href: `#/desk/yearend/${encodeURIComponent(classId)}` }, w("to_yearend"))), addForm(code, classId, draw));
  ready("desk-class");
}

function pupilTable(items) {
  return h("div", { class: "table-wrap" }, h("table", { class: "stack pupils" },
    h("thead", {}, h("tr", {}, [dw("massar_code"), dw("pupil"), w("birth_date"), w("guardian")].map((text) => h("th", { scope: "col" }, text)))),
    h("tbody", {}, items.map((p) => h("tr", { dataset: { massar: p.massar_code } },
      h("td", { "data-label": dw("massar_code") }, codeEl(p.massar_code)),
      h("td", { "data-label": dw("pupil") }, pupilNames(p)),
      h("td", { "data-label": w("birth_date") }, p.birth_date ? bothCalendars(p.birth_date) : "—"),
      h("td", { "data-label": w("guardian") }, guardianText(p)))))));
}

function guardianText(p) {
  const ar = [p.guardian_first_name_ar, p.guardian_last_name_ar].filter(Boolean).join(" ");
  const lat = [p.guardian_first_name_lat, p.guardian_last_name_lat].filter(Boolean).join(" ");
  const role = GUARDIAN_ROLES.find(([v]) => v === p.guardian_role);
  if (!ar && !lat && !p.guardian_cin) return "—";
  const name = state.lang === "ar" ? ar || lat : lat || ar;
  return h("span", {}, role ? `${w(role[1])} · ` : "", h("bdi", {}, name || ""), p.guardian_cin ? [" · ", h("bdi", { dir: "ltr" }, p.guardian_cin)] : null);
}

function addForm(code, classId, draw) {
  const p = (name) => `pupils.0.${name}`;
  const text = (name, attrs = {}) => field(p(name), w(name), { attrs: { maxlength: 60, ...attrs } });
  const done = h("div", { "aria-live": "polite" });
  const form = h("form", { novalidate: true, class: "add-pupil" },
    h("h2", {}, w("add_pupil")),
    field(p("massar_code"), dw("massar_code"), { required: true, hint: w("massar_hint"), attrs: { ...LTR, maxlength: 10, autocapitalize: "characters" } }),
    h("div", { class: "row" }, text("first_name_ar", { dir: "rtl", lang: "ar" }), text("last_name_ar", { dir: "rtl", lang: "ar" })),
    h("div", { class: "row" }, text("first_name_lat", { dir: "ltr", lang: "fr" }), text("last_name_lat", { dir: "ltr", lang: "fr" })),
    h("div", { class: "row" },
      field(p("birth_date"), w("birth_date"), { type: "date" }),
      field(p("gender"), w("gender"), { options: [["F", w("F")], ["M", w("M")]] })),
    h("fieldset", {}, h("legend", {}, w("guardian")),
      h("div", { class: "row" },
        field(p("guardian_role"), w("guardian_role"), { options: GUARDIAN_ROLES.map(([v, k]) => [v, w(k)]) }),
        field(p("guardian_cin"), w("guardian_cin"), { attrs: { ...LTR, maxlength: 12, autocapitalize: "characters" } })),
      h("div", { class: "row" }, text("guardian_first_name_ar", { dir: "rtl", lang: "ar" }), text("guardian_last_name_ar", { dir: "rtl", lang: "ar" })),
      h("div", { class: "row" }, text("guardian_first_name_lat", { dir: "ltr", lang: "fr" }), text("guardian_last_name_lat", { dir: "ltr", lang: "fr" })),
      field(p("guardian_phone"), w("guardian_phone"), { type: "tel", attrs: { ...LTR, maxlength: 20, autocomplete: "off" } })),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, w("add"))),
    done);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    whileBusy(form.querySelector("button[type=submit]"), async () => {
      done.replaceChildren();
      const row = Object.fromEntries(Object.entries(formValues(form).pupils[0]).filter(([, v]) => v !== ""));
      if (row.massar_code) row.massar_code = row.massar_code.toUpperCase();
      if (!row.massar_code) return showErrors(form, { message: dw("required"), fields: { [p("massar_code")]: dw("required") } });
      try {
        const answer = await api("PUT", `/v1/schools/${code}/classes/${encodeURIComponent(classId)}/pupils`, { body: { pupils: [row] } });
        form.querySelector(".form-error")?.remove();
        draw(answer.items);
        form.reset();
        done.append(notice("good", w("added"), " ", codeEl(row.massar_code)));
      } catch (error) {
        if (error.code !== "pupil_enrolled_elsewhere") return showErrors(form, error);
        showErrors(form, { message: w("elsewhere"), fields: error.fields });
        form.querySelector(".form-error").append(" ", h("a", { class: "button", href: `#/desk/transfers/ask/${encodeURIComponent(row.massar_code)}/${encodeURIComponent(classId)}` }, w("ask_transfer")));
      }
    });
  });
  return form;
}

