// Desk · subjects and coefficients: the school's subjects per level (and track), edited as a
// list of rows (added, removed, then saved at once: PUT replaces the whole list), or
// replaced from a CSV/XLSX file (every row checked; nothing written when one is wrong).
// "#/desk/subjects".
import { api, field, h, newKey, notice, ready, showErrors, state, title, whileBusy, words } from "../core.js";
import { codeEl, fileBase64, rowErrors, tryLoad, w as dw } from "./desk.js";

const w = words({
  ar: {
    hint: "لكل مستوى (ومسلك إن وُجد) موادُه ومعاملاتها. تُحسب المعدلات بهذه المعاملات.",
    list: "مواد المؤسسة",
    count: "{n#subjects}",
    subjects: { zero: "لا مادة", one: "مادة واحدة", two: "مادتان", few: "# مواد", many: "# مادة", other: "# مادة" },
    none: "لم تُحدَّد أي مادة بعد.",
    row: "المادة {n}",
    level: "المستوى",
    level_hint: "مثال: \u20661AP\u2069",
    track: "المسلك",
    subject: "رمز المادة",
    subject_hint: "حروف لاتينية وأرقام، مثال: \u2066MATH\u2069",
    name_ar: "الاسم بالعربية",
    name_fr: "الاسم بالفرنسية",
    coefficient: "المعامل",
    add: "إضافة مادة",
    remove: "حذف {name}",
    save: "حفظ المواد",
    saved: "حُفظت المواد: {n#subjects}.",
    removed: "حُذفت المادة من اللائحة (لم تُحفظ بعد).",
    import: "استيراد المواد من ملف",
    import_hint: "ملف CSV أو XLSX بالأعمدة level و track (اختياري) و subject و name_ar و name_fr و coefficient. يحل الملف محل كل مواد المؤسسة، ولا يُسجَّل أي شيء إذا كان سطر واحد خاطئا.",
    file: "الملف",
    send_file: "استيراد الملف",
    no_file: "اختر ملف CSV أو XLSX.",
    imported: "تم الاستيراد: {n#subjects}.",
    refused: "لم يُسجَّل أي شيء: صححوا الأسطر التالية ثم أعيدوا الاستيراد.",
  },
  fr: {
    hint: "Chaque niveau (et filière, s'il y en a) a ses matières et leurs coefficients, qui comptent dans les moyennes.",
    list: "Matières de l'école",
    count: "{n#subjects}",
    subjects: { one: "# matière", other: "# matières" },
    saved_subjects: { one: "# matière enregistrée", other: "# matières enregistrées" },
    none: "Aucune matière n'est encore définie.",
    row: "Matière {n}",
    level: "Niveau",
    level_hint: "Par exemple : 1AP",
    track: "Filière",
    subject: "Code de la matière",
    subject_hint: "Lettres latines et chiffres, par exemple : MATH",
    name_ar: "Nom en arabe",
    name_fr: "Nom en français",
    coefficient: "Coefficient",
    add: "Ajouter une matière",
    remove: "Retirer {name}",
    save: "Enregistrer les matières",
    saved: "{n#saved_subjects}.",
    removed: "Matière retirée de la liste (pas encore enregistré).",
    import: "Importer les matières d'un fichier",
    import_hint: "Fichier CSV ou XLSX avec les colonnes level, track (facultative), subject, name_ar, name_fr et coefficient. Il remplace toutes les matières de l'école ; rien n'est enregistré si une seule ligne est fausse.",
    file: "Fichier",
    send_file: "Importer le fichier",
    no_file: "Choisissez un fichier CSV ou XLSX.",
    imported: "Import terminé : {n#subjects}.",
    refused: "Rien n'a été enregistré : corrigez les lignes suivantes puis importez de nouveau.",
  },
});

const LTR = { dir: "ltr", autocomplete: "off", spellcheck: "false" };
const FIELDS = ["level", "track", "subject", "name_ar", "name_fr", "coefficient"];

export async function render(section, { code }) {
  const box = h("div", {});
  section.append(title(dw("subjects")), h("p", { class: "hint" }, w("hint")), box);
  const answer = await tryLoad(`/v1/schools/${code}/subjects`, box);
  if (!answer) {
    ready("desk-subjects");
    return;
  }
  const editor = subjectsEditor(code, answer.items);
  box.append(editor.form, importForm(code, editor.replace));
  ready("desk-subjects");
}

function subjectsEditor(code, items) {
  let rows = items.map((s) => ({ ...s, track: s.track || "", coefficient: String(s.coefficient) }));
  const list = h("div", { class: "subject-rows" });
  const count = h("p", { class: "muted count", "aria-live": "polite" });
  const done = h("div", { "aria-live": "polite" });
  const addButton = h("button", { type: "button", class: "secondary" }, w("add"));
  const form = h("form", { novalidate: true, class: "subjects" },
    h("h2", {}, w("list")), count, list,
    h("div", { class: "actions" }, addButton, h("button", { type: "submit", class: "primary" }, w("save"))),
    done);

  // The rows as typed so far (before a row is added or removed, the list is drawn again).
  const sync = () => {
    rows = [...list.querySelectorAll("fieldset")].map((set) =>
      Object.fromEntries(FIELDS.map((name) => [name, set.querySelector(`[data-name=${name}]`).value.trim()])));
  };
  const draw = () => {
    count.textContent = w("count", { n: rows.length });
    list.replaceChildren(...(rows.length ? rows.map(rowEl) : [notice("info", w("none"))]));
  };
  const rowEl = (row, i) => {
    const name = (n) => `subjects.${i}.${n}`;
    const input = (n, label, opts = {}) => {
      const el = field(name(n), label, { value: row[n] || "", required: n !== "track", ...opts });
      el.querySelector("input").dataset.name = n;
      return el;
    };
    const shown = (state.lang === "ar" ? row.name_ar || row.name_fr : row.name_fr || row.name_ar) || w("row", { n: i + 1 });
    const remove = h("button", { type: "button", class: "link remove" }, w("remove", { name: shown }));
    remove.addEventListener("click", () => {
      sync();
      rows.splice(i, 1);
      draw();
      done.replaceChildren(notice("info", w("removed")));
      addButton.focus();
    });
    // Saved rows fold to one line (name, code, level, coefficient); a new one is open.
    return h("details", { class: "subject-item", open: !row.subject || null }, h("summary", {},
      h("bdi", {}, shown), row.subject ? [" · ", codeEl(row.subject)] : null,
      row.level ? [" · ", h("bdi", { dir: "ltr" }, [row.level, row.track].filter(Boolean).join(" "))] : null,
      row.coefficient ? [" · ", w("coefficient"), " ", h("bdi", { dir: "ltr" }, row.coefficient.replace(".", ","))] : null),
    h("fieldset", { class: "subject-row", "aria-label": shown },
      h("div", { class: "row" },
        input("level", w("level"), { hint: i === 0 ? w("level_hint") : null, attrs: { ...LTR, maxlength: 20 } }),
        input("track", w("track"), { attrs: { ...LTR, maxlength: 40 } })),
      h("div", { class: "row" },
        input("subject", w("subject"), { hint: i === 0 ? w("subject_hint") : null, attrs: { ...LTR, maxlength: 20, autocapitalize: "characters" } }),
        input("coefficient", w("coefficient"), { attrs: { ...LTR, inputmode: "decimal", maxlength: 5 } })),
      h("div", { class: "row" },
        input("name_ar", w("name_ar"), { attrs: { dir: "rtl", lang: "ar", maxlength: 120 } }),
        input("name_fr", w("name_fr"), { attrs: { dir: "ltr", lang: "fr", maxlength: 120 } })),
      h("div", { class: "actions" }, remove)));
  };
  addButton.addEventListener("click", () => {
    sync();
    const last = rows[rows.length - 1];
    rows.push({ level: last?.level || "", track: last?.track || "", subject: "", name_ar: "", name_fr: "", coefficient: "1" });
    draw();
    done.replaceChildren();
    list.lastElementChild.querySelector("[data-name=subject]").focus();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    whileBusy(form.querySelector("button[type=submit]"), async () => {
      done.replaceChildren();
      sync();
      const missing = {};
      rows.forEach((row, i) => {
        for (const n of FIELDS) if (n !== "track" && !row[n]) missing[`subjects.${i}.${n}`] = dw("required");
      });
      if (Object.keys(missing).length) return showErrors(openRows(missing), { message: dw("required"), fields: missing });
      const subjects = rows.map((row) => ({
        level: row.level.toUpperCase(),
        track: row.track || null,
        subject: row.subject.toUpperCase(),
        name_ar: row.name_ar,
        name_fr: row.name_fr,
        coefficient: Number(row.coefficient.replace(",", ".")),
      }));
      try {
        const saved = await api("PUT", `/v1/schools/${code}/subjects`, { body: { subjects } });
        replace(saved.items);
        done.replaceChildren(notice("good", w("saved", { n: saved.items.length })));
      } catch (error) {
        showErrors(openRows(error.fields || {}), error);
      }
    });
  });
  // The rows a refusal names are unfolded, so that their messages show and take focus.
  const openRows = (fields) => {
    for (const path of Object.keys(fields)) {
      const n = path.split(".")[1];
      list.querySelector(`[data-field^="subjects.${n}."]`)?.closest("details")?.setAttribute("open", "");
    }
    return form;
  };
  const replace = (saved) => {
    form.querySelector(".form-error")?.remove();
    rows = saved.map((s) => ({ ...s, track: s.track || "", coefficient: String(s.coefficient) }));
    draw();
  };
  draw();
  return { form, replace };
}

function importForm(code, replace) {
  const report = h("div", { class: "result", "aria-live": "polite" });
  const form = h("form", { novalidate: true, class: "subjects-import" },
    h("h2", {}, w("import")),
    h("p", { class: "hint" }, w("import_hint")),
    field("file", w("file"), { type: "file", required: true, attrs: { accept: ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" } }),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, w("send_file"))));
  const key = { file: null, value: null };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    whileBusy(form.querySelector("button[type=submit]"), async () => {
      report.replaceChildren();
      const file = form.querySelector("input[type=file]").files[0];
      if (!file) return showErrors(form, { message: w("no_file"), fields: { file: w("no_file") } });
      const id = `${file.name}:${file.size}:${file.lastModified}`;
      if (key.file !== id) Object.assign(key, { file: id, value: newKey() });
      try {
        const body = { format: /\.xlsx$/i.test(file.name) ? "xlsx" : "csv", content_base64: await fileBase64(file) };
        const answer = await api("POST", `/v1/schools/${code}/subjects/import`, { body, key: key.value });
        form.querySelector(".form-error")?.remove();
        key.file = null;
        replace(answer.items || []);
        report.append(notice("good", w("imported", { n: answer.written })));
      } catch (error) {
        if (error.status !== 422 || !Object.keys(error.fields || {}).some((k) => k.startsWith("rows."))) return showErrors(form, error);
        form.querySelector(".form-error")?.remove();
        const refused = notice("bad", w("refused"));
        refused.tabIndex = -1;
        report.append(refused, rowErrors(error.fields, (col) => (w(col) !== col ? w(col) : col)));
        refused.focus();
      }
    });
  });
  return h("div", {}, form, report);
}
