// Desk · marks: create a test or exam for a class, then enter its marks pupil by pupil.
// The API has no list of a class's assessments: the ones created in this tab are kept
// in sessionStorage (emptied at sign-out) so they can be reopened and corrected.
import { NetworkError, api, clearErrors, dateText, field, formValues, go, h, markEl, notice, ready, showErrors, title, whileBusy, words } from "../core.js";
import { classesAndSubjects, pupilNames, schoolYearOf, semesterOf, subjectName, subjectOptions, todayIso, tryLoad, w as dw } from "./desk.js";

const w = words({
  ar: {
    title: "النقط",
    new_assessment: "فرض أو امتحان جديد",
    kind: "النوع",
    continuous: "فرض مستمر", local_exam: "امتحان محلي", regional_exam: "امتحان جهوي", national_exam: "امتحان وطني",
    date: "التاريخ",
    semester: "الدورة",
    semester_n: "الدورة {n}",
    school_year: "السنة الدراسية",
    school_year_hint: "مثال: 2026-2027",
    create: "إنشاء وإدخال النقط",
    recent: "الفروض المنشأة في هذه الجلسة",
    sheet: "إدخال النقط",
    mark: "النقطة",
    mark_hint: "نقطة على 20 (مثال 15,25 أو 15.25)، أو «غائب». الخانات الفارغة لا تُرسل.",
    result: "الحالة",
    created: "سُجلت", updated: "عُدلت", unchanged: "بدون تغيير", error: "خطأ",
    nothing: "أدخل نقطة واحدة على الأقل.",
    saved: "تم حفظ {n#marks}.",
    marks: { zero: "0 نقطة", one: "نقطة واحدة", two: "نقطتين", few: "# نقط", many: "# نقطة", other: "# نقطة" },
    choose_class: "اختر القسم",
    other_assessment: "فرض آخر",
    unknown_assessment: "الفرض رقم {id}",
    coefficient: "المعامل",
  },
  fr: {
    title: "Notes",
    new_assessment: "Nouveau contrôle ou examen",
    kind: "Type",
    continuous: "Contrôle continu", local_exam: "Examen local", regional_exam: "Examen régional", national_exam: "Examen national",
    date: "Date",
    semester: "Semestre",
    semester_n: "Semestre {n}",
    school_year: "Année scolaire",
    school_year_hint: "Par exemple : 2026-2027",
    create: "Créer et saisir les notes",
    recent: "Évaluations créées pendant cette session",
    sheet: "Saisie des notes",
    mark: "Note",
    mark_hint: "Note sur 20 (ex. 15,25 ou 15.25), ou « absent ». Les cases vides ne sont pas envoyées.",
    result: "État",
    created: "enregistrée", updated: "modifiée", unchanged: "inchangée", error: "erreur",
    nothing: "Saisissez au moins une note.",
    saved: "{n#marks}.",
    marks: { one: "# note enregistrée", other: "# notes enregistrées" },
    choose_class: "Choisissez la classe",
    other_assessment: "Autre évaluation",
    unknown_assessment: "Évaluation n° {id}",
    coefficient: "Coefficient",
  },
});

const KINDS = ["continuous", "local_exam", "regional_exam", "national_exam"];
const STORE = "massar.desk.assessments";

function remembered() {
  try {
    return JSON.parse(sessionStorage.getItem(STORE) || "[]");
  } catch {
    return [];
  }
}

function remember(assessment) {
  const others = remembered().filter((a) => a.id !== assessment.id);
  sessionStorage.setItem(STORE, JSON.stringify([assessment, ...others].slice(0, 30)));
}

export async function render(section, { code, params }) {
  if (params[0] && params[1]) return renderSheet(section, code, params[0], params[1]);
  return renderNew(section, code);
}

function describe(a, subjects) {
  return `${subjectName(subjects, a.subject)} · ${w(a.kind)} · ${dateText(a.date)} · ${w("semester_n", { n: a.semester })}`;
}

async function renderNew(section, code) {
  const page = await classesAndSubjects(section, code, w("title"), "desk-marks");
  if (!page) return;
  const { box, classes, subjects } = page;
  const today = todayIso();
  const only = classes.items.length === 1 ? classes.items[0].class_id : "";
  const classField = field("class_id", dw("class"), { required: true, options: classes.items.map((c) => [c.class_id, c.label || c.class_id]), value: only });
  const subjectBox = h("div", {});
  const levelOf = (id) => classes.items.find((c) => c.class_id === id)?.level;
  function fillSubjects() {
    const classId = classField.querySelector("select").value;
    const previous = subjectBox.querySelector("select")?.value || "";
    subjectBox.replaceChildren(field("subject", dw("subject"), { required: true, options: subjectOptions(subjects.items, classId ? levelOf(classId) : null), value: previous }));
  }
  classField.querySelector("select").addEventListener("change", fillSubjects);
  fillSubjects();

  const form = h("form", { novalidate: true },
    h("h2", {}, w("new_assessment")),
    classField,
    subjectBox,
    field("kind", w("kind"), { required: true, options: KINDS.map((k) => [k, w(k)]), value: "continuous" }),
    h("div", { class: "row" },
      field("date", w("date"), { type: "date", required: true, value: today }),
      field("semester", w("semester"), { required: true, options: [["1", w("semester_n", { n: 1 })], ["2", w("semester_n", { n: 2 })]], value: String(semesterOf(today)) }),
      field("school_year", w("school_year"), { required: true, value: schoolYearOf(today), hint: w("school_year_hint"), attrs: { dir: "ltr", inputmode: "numeric", pattern: "\\d{4}-\\d{4}" } })),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, w("create"))));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    whileBusy(form.querySelector("button[type=submit]"), async () => {
      const values = formValues(form);
      const missing = {};
      for (const key of ["class_id", "subject", "kind", "date", "semester", "school_year"]) if (!values[key]) missing[key] = dw("required");
      if (Object.keys(missing).length) {
        showErrors(form, { message: dw("required"), fields: missing });
        return;
      }
      try {
        const created = await api("POST", `/v1/schools/${code}/classes/${encodeURIComponent(values.class_id)}/assessments`, {
          body: { subject: values.subject, kind: values.kind, date: values.date, semester: Number(values.semester), school_year: values.school_year },
        });
        remember({ ...created, class_id: values.class_id, school_code: code, marks: {} });
        go(`#/desk/marks/${encodeURIComponent(values.class_id)}/${encodeURIComponent(created.id)}`);
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  section.append(form);

  const recent = remembered().filter((a) => a.school_code === code);
  if (recent.length) {
    section.append(h("h2", {}, w("recent")), h("ul", { class: "recent" }, recent.map((a) =>
      h("li", {}, h("a", { href: `#/desk/marks/${encodeURIComponent(a.class_id)}/${encodeURIComponent(a.id)}` }, `${a.class_id} · ${describe(a, subjects.items)}`)))));
  }
  ready("desk-marks");
}

/** "15,25", "15.25", "absent" or "غائب" → what the API takes; "" stays "". */
function normalise(raw) {
  const text = raw.trim();
  if (!text) return "";
  if (/^(absent|abs|غائب|غ)$/i.test(text)) return "absent";
  return text;
}

async function renderSheet(section, code, classId, assessmentId) {
  const box = h("div", {});
  const known = remembered().find((a) => a.id === assessmentId);
  section.append(h("p", {}, h("a", { href: "#/desk/marks" }, w("other_assessment"))), title(w("sheet")), box);
  const [pupils, subjects] = await Promise.all([
    tryLoad(`/v1/schools/${code}/classes/${encodeURIComponent(classId)}/pupils`, box),
    tryLoad(`/v1/schools/${code}/subjects`, box),
  ]);
  if (!pupils || !subjects) {
    ready("desk-marks-sheet");
    return;
  }
  box.append(h("dl", { class: "facts" },
    h("dt", {}, dw("class")), h("dd", {}, h("bdi", {}, classId)),
    h("dt", {}, w("title")), h("dd", {}, known ? describe(known, subjects.items) : w("unknown_assessment", { id: assessmentId })),
    known?.coefficient ? [h("dt", {}, w("coefficient")), h("dd", {}, h("bdi", { dir: "ltr" }, known.coefficient))] : null));
  if (!pupils.items.length) {
    box.append(notice("warn", dw("no_pupils")));
    ready("desk-marks-sheet");
    return;
  }
  const saved = known?.marks || {};
  const rows = pupils.items.map((pupil, index) => {
    const nameId = `mark-name-${index}`;
    const errorId = `mark-error-${index}`;
    const input = h("input", {
      type: "text", name: `mark-${index}`, inputmode: "decimal", autocomplete: "off", dir: "ltr", maxlength: 10,
      value: saved[pupil.massar_code] ? String(saved[pupil.massar_code]).replace(".", ",") : "",
      "aria-labelledby": `${nameId} mark-col`, "aria-describedby": `mark-hint ${errorId}`,
      dataset: { massar: pupil.massar_code },
    });
    return {
      pupil,
      input,
      state: h("td", { class: "state" }, saved[pupil.massar_code] ? markEl(saved[pupil.massar_code]) : ""),
      cell: h("div", { class: "field", dataset: { field: `marks.${index}.mark` } }, input, h("p", { class: "error", id: errorId, role: "alert", hidden: true })),
      nameId,
    };
  });
  const form = h("form", { novalidate: true, class: "marks-sheet" },
    h("p", { class: "hint", id: "mark-hint" }, w("mark_hint")),
    h("div", { class: "table-wrap" }, h("table", {},
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, dw("pupil")), h("th", { scope: "col", id: "mark-col" }, w("mark")), h("th", { scope: "col" }, w("result")))),
      h("tbody", {}, rows.map((r) => h("tr", {},
        h("th", { scope: "row", id: r.nameId }, pupilNames(r.pupil), h("br"), h("bdi", { class: "muted", dir: "ltr" }, r.pupil.massar_code)),
        h("td", {}, r.cell),
        r.state))))),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, dw("save"))));

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    whileBusy(form.querySelector("button[type=submit]"), async () => {
      clearErrors(form);
      form.querySelector(".notice")?.remove();
      // Only the filled-in rows are sent; the API's row numbers map back to the inputs.
      const sent = rows.map((r, index) => ({ r, index, mark: normalise(r.input.value) })).filter((x) => x.mark);
      if (!sent.length) {
        showErrors(form, { message: w("nothing"), fields: {} });
        return;
      }
      try {
        const report = await api("PUT", `/v1/assessments/${encodeURIComponent(assessmentId)}/marks`, {
          body: { marks: sent.map((x) => ({ massar_code: x.r.pupil.massar_code, mark: x.mark })) },
        });
        for (const row of report.rows || []) {
          const entry = sent[row.row];
          if (!entry) continue;
          entry.r.state.replaceChildren(row.mark ? markEl(row.mark) : "", " ", h("span", { class: `badge ${row.status === "error" ? "bad" : "good"}` }, w(row.status)));
          if (row.mark && known) known.marks[entry.r.pupil.massar_code] = row.mark;
        }
        if (known) remember(known);
        form.prepend(notice("good", w("saved", { n: report.written ?? sent.length })));
      } catch (error) {
        if (error instanceof NetworkError || !error.fields) {
          showErrors(form, error);
          return;
        }
        // "marks.<sent row>.mark" → "marks.<table row>.mark"
        const fields = {};
        for (const [path, message] of Object.entries(error.fields)) {
          const match = /^marks\.(\d+)\.(\w+)$/.exec(path);
          const entry = match ? sent[Number(match[1])] : null;
          fields[entry ? `marks.${entry.index}.mark` : path] = message;
        }
        showErrors(form, { message: error.message, fields, code: error.code });
      }
    });
  });
  box.append(form);
  ready("desk-marks-sheet");
}
