// Desk · behaviour notes: pick a class and a pupil, write a note (kind, day, what happened,
// what the school did; one Idempotency-Key per note), and see the pupil's notes. The
// responsible guardian is told by the API (SMS, email as fallback, as the parent chose).
// "#/desk/behaviour".
import { api, clearErrors, field, formValues, h, newKey, notice, ready, showErrors, title, whileBusy, words } from "../core.js";
import { KINDS, noteEl, w as kindWords } from "./space-behaviour.js";
import { errorNotice, todayIso, tryLoad, w as dw } from "./desk.js";

const w = words({
  ar: {
    title: "السلوك",
    pupil: "التلميذ(ة)",
    kind: "نوع الملاحظة",
    date: "التاريخ",
    description: "ما حدث",
    action: "الإجراء المتخذ",
    save: "تسجيل الملاحظة",
    saved: "تم تسجيل الملاحظة.",
    notified: "أُخبر ولي الأمر.",
    notes: "ملاحظات التلميذ(ة)",
  },
  fr: {
    title: "Comportement",
    pupil: "Élève",
    kind: "Type de note",
    date: "Date",
    description: "Ce qui s'est passé",
    action: "Suite donnée",
    save: "Enregistrer la note",
    saved: "Note enregistrée.",
    notified: "Le parent est prévenu.",
    notes: "Notes de l'élève",
  },
});

function pupilLabel(p) {
  return [p.first_name_lat, p.last_name_lat].filter(Boolean).join(" ") || [p.first_name_ar, p.last_name_ar].filter(Boolean).join(" ") || p.massar_code;
}

export async function render(section, { code }) {
  const box = h("div", {});
  section.append(title(w("title")), box);
  const classes = await tryLoad(`/v1/schools/${code}/classes`, box);
  if (!classes || !classes.items.length) {
    if (classes) box.append(notice("warn", dw("no_classes")));
    ready("desk-behaviour");
    return;
  }
  const classField = field("class_id", dw("class"), { required: true, options: classes.items.map((c) => [c.class_id, c.label || c.class_id]), value: classes.items[0].class_id });
  const pupilBox = h("div", {});
  box.append(classField, pupilBox);
  const select = classField.querySelector("select");
  const showClass = async () => {
    pupilBox.replaceChildren();
    if (select.value) await renderClass(pupilBox, code, select.value);
    ready("desk-behaviour");
  };
  select.addEventListener("change", showClass);
  await showClass();
}

async function renderClass(box, code, classId) {
  const pupils = await tryLoad(`/v1/schools/${code}/classes/${encodeURIComponent(classId)}/pupils`, box);
  if (!pupils) return;
  if (!pupils.items.length) {
    box.append(notice("warn", dw("no_pupils")));
    return;
  }
  let key = newKey(); // one per note: a lost answer's retry does not write twice
  const form = h("form", { novalidate: true, class: "behaviour-note" },
    field("massar_code", w("pupil"), { required: true, options: pupils.items.map((p) => [p.massar_code, `${pupilLabel(p)} (${p.massar_code})`]) }),
    h("div", { class: "row" },
      field("kind", w("kind"), { required: true, options: KINDS.map((k) => [k, kindWords(k)]), value: "misconduct" }),
      field("date", w("date"), { type: "date", required: true, value: todayIso() })),
    field("description", w("description"), { type: "textarea", required: true, attrs: { maxlength: 1000 } }),
    field("action", w("action"), { type: "textarea", attrs: { maxlength: 500 } }),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, w("save"))));
  const result = h("div", { class: "result", role: "status" });
  const list = h("div", {});
  const showNotes = async () => {
    list.replaceChildren();
    const massar = form.elements.massar_code.value;
    const notes = await tryLoad(`/v1/students/${encodeURIComponent(massar)}/behaviour`, list);
    if (!notes) return;
    list.append(h("h2", {}, w("notes")),
      notes.items.length ? h("ul", { class: "cards behaviour" }, notes.items.map(noteEl)) : notice("info", kindWords("none")));
  };
  form.elements.massar_code.addEventListener("change", () => { result.replaceChildren(); showNotes(); });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    whileBusy(form.querySelector("button[type=submit]"), async () => {
      clearErrors(form);
      result.replaceChildren();
      const values = formValues(form);
      try {
        const created = await api("POST", `/v1/students/${encodeURIComponent(values.massar_code)}/behaviour`, {
          body: { kind: values.kind, date: values.date, description: values.description, action: values.action || null },
          key,
        });
        key = newKey();
        form.elements.description.value = "";
        form.elements.action.value = "";
        result.append(notice("good", w("saved"), created.notified ? ` ${w("notified")}` : ""));
        await showNotes();
      } catch (error) {
        if (Object.keys(error.fields || {}).length) showErrors(form, error);
        else result.append(errorNotice(error));
      }
    });
  });
  box.append(form, result, list);
  await showNotes();
}
