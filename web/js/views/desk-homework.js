// Desk · homework: for one class, the homework due today or later (soonest first), each
// editable and deletable, and a form to post new homework with up to three documents (PDF,
// JPEG or PNG, 5 MB each) sent straight to storage first; the post goes with an
// Idempotency-Key, so a retried post never creates it twice.
import { NetworkError, api, clearErrors, dateText, field, formValues, h, newKey, notice, postToStorage, showErrors, whileBusy, words } from "../core.js";
import { errorNotice, perClassPage, subjectName, subjectOptions, todayIso, tryLoad, w as dw } from "./desk.js";

const MAX_DOCUMENTS = 3;
const TYPES = { "application/pdf": "pdf", "image/jpeg": "jpeg", "image/png": "png" };

const w = words({
  ar: {
    title: "الواجبات",
    new_homework: "واجب جديد",
    subject: "المادة",
    heading: "العنوان",
    instructions: "التوجيهات",
    due_date: "آخر أجل للتسليم",
    documents: "الوثائق (PDF أو JPEG أو PNG)",
    documents_hint: "3 وثائق على الأكثر، 5 ميغابايت لكل وثيقة",
    post: "نشر الواجب",
    posted: "تم نشر الواجب «{title}».",
    upcoming: "الواجبات المنتظرة: {n#homeworks}",
    homeworks: { zero: "لا واجب", one: "واجب واحد", two: "واجبان", few: "# واجبات", many: "# واجبا", other: "# واجب" },
    none: "لا توجد واجبات منتظرة لهذا القسم.",
    due: "آخر أجل",
    attached: "{n#files}",
    files: { zero: "لا وثيقة", one: "وثيقة واحدة", two: "وثيقتان", few: "# وثائق", many: "# وثيقة", other: "# وثيقة" },
    edit: "تعديل",
    save: "حفظ التعديلات",
    saved: "تم حفظ التعديلات.",
    remove: "حذف الواجب",
    confirm_remove: "حذف هذا الواجب نهائيا؟",
    removed: "تم حذف الواجب.",
    keep_documents: "الاحتفاظ بالوثائق الحالية",
    too_many: "3 وثائق على الأكثر.",
    bad_type: "الملف «{name}» ليس بصيغة PDF أو JPEG أو PNG.",
    too_big: "الملف «{name}» يتجاوز 5 ميغابايت.",
    upload_failed: "تعذر إرسال الملف «{name}». أعد المحاولة.",
    required: "هذا الحقل إجباري",
    past_date: "لا يمكن أن يكون آخر أجل في الماضي",
  },
  fr: {
    title: "Devoirs",
    new_homework: "Nouveau devoir",
    subject: "Matière",
    heading: "Titre",
    instructions: "Consignes",
    due_date: "À rendre le",
    documents: "Documents (PDF, JPEG ou PNG)",
    documents_hint: "3 documents au plus, 5 Mo chacun",
    post: "Publier le devoir",
    posted: "Devoir « {title} » publié.",
    upcoming: "Devoirs à venir : {n#homeworks}",
    homeworks: { one: "# devoir", other: "# devoirs" },
    none: "Aucun devoir à venir pour cette classe.",
    due: "À rendre le",
    attached: "{n#files}",
    files: { one: "# document", other: "# documents" },
    edit: "Modifier",
    save: "Enregistrer les modifications",
    saved: "Modifications enregistrées.",
    remove: "Supprimer le devoir",
    confirm_remove: "Supprimer définitivement ce devoir ?",
    removed: "Devoir supprimé.",
    keep_documents: "Garder les documents actuels",
    too_many: "3 documents au plus.",
    bad_type: "Le fichier « {name} » n'est ni un PDF, ni un JPEG, ni un PNG.",
    too_big: "Le fichier « {name} » dépasse 5 Mo.",
    upload_failed: "L'envoi du fichier « {name} » a échoué. Réessayez.",
    required: "champ obligatoire",
    past_date: "la date ne peut pas être passée",
  },
});

export async function render(section, { code }) {
  await perClassPage(section, code, w("title"), "desk-homework", renderClass);
}

function classPath(code, classId) {
  return `/v1/schools/${code}/classes/${encodeURIComponent(classId)}/homework`;
}

async function renderClass(box, code, classId, subjects, level) {
  const list = h("div", { class: "homework-desk", "aria-live": "polite" });
  const refresh = async () => {
    list.replaceChildren();
    const answer = await tryLoad(classPath(code, classId), list);
    if (!answer) return;
    const items = answer.items || [];
    list.append(h("h2", {}, w("upcoming", { n: items.length })));
    if (!items.length) list.append(notice("info", w("none")));
    else list.append(h("ul", { class: "homework-list" }, items.map((item) => deskItem(code, classId, subjects, level, item, refresh))));
  };
  box.append(list, postForm(code, classId, subjects, level, refresh));
  await refresh();
}

/** Field problems of the API ("documents.1.key") shown on the form's fields. */
function formError(error) {
  if (!error?.fields) return error;
  const fields = {};
  for (const [name, text] of Object.entries(error.fields)) {
    const key = name.startsWith("documents") ? "documents" : name;
    fields[key] = fields[key] ? `${fields[key]} · ${text}` : text;
  }
  return { ...error, message: error.message, fields };
}

function checkFiles(files) {
  if (files.length > MAX_DOCUMENTS) return w("too_many");
  for (const file of files) {
    if (!TYPES[file.type]) return w("bad_type", { name: file.name });
    if (file.size > 5 * 1024 * 1024) return w("too_big", { name: file.name });
  }
  return null;
}

/** Every file straight to storage through its own presigned form; their keys and names. */
async function uploadAll(code, files) {
  const documents = [];
  for (const file of files) {
    const upload = await api("POST", `/v1/schools/${code}/homework-documents`);
    if (!(await postToStorage(upload, file, file.name))) throw { message: w("upload_failed", { name: file.name }), fields: { documents: w("upload_failed", { name: file.name }) } };
    documents.push({ key: upload.document_key, name: file.name });
  }
  return documents;
}

function homeworkFields(subjects, level, item = {}) {
  return [
    h("div", { class: "row" },
      field("subject", w("subject"), { required: true, options: subjectOptions(subjects, level), value: item.subject }),
      field("due_date", w("due_date"), { type: "date", required: true, value: item.due_date, attrs: { min: todayIso() } })),
    field("title", w("heading"), { required: true, value: item.title, attrs: { maxlength: 150, dir: "auto" } }),
    field("instructions", w("instructions"), { type: "textarea", value: item.instructions, attrs: { maxlength: 4000, rows: 4 } }),
    field("documents", w("documents"), { type: "file", hint: w("documents_hint"), attrs: { multiple: true, accept: "application/pdf,image/jpeg,image/png" } }),
  ];
}

function missing(values) {
  const fields = {};
  for (const name of ["subject", "due_date", "title"]) if (!values[name]) fields[name] = w("required");
  if (values.due_date && values.due_date < todayIso()) fields.due_date = w("past_date");
  return Object.keys(fields).length ? { message: w("required"), fields } : null;
}

function postForm(code, classId, subjects, level, refresh) {
  let key = newKey(); // one per homework: a lost answer's retry does not post twice
  const result = h("div", { class: "result", "aria-live": "polite" });
  const button = h("button", { type: "submit", class: "primary" }, w("post"));
  const form = h("form", { novalidate: true, class: "homework-form homework-new" },
    h("h2", {}, w("new_homework")), homeworkFields(subjects, level), h("div", { class: "actions" }, button));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    whileBusy(button, async () => {
      clearErrors(form);
      result.replaceChildren();
      const values = formValues(form);
      const files = [...form.querySelector("input[type=file]").files];
      const problem = missing(values) || (checkFiles(files) ? { message: checkFiles(files), fields: { documents: checkFiles(files) } } : null);
      if (problem) {
        showErrors(form, problem);
        return;
      }
      try {
        const documents = await uploadAll(code, files);
        const body = { subject: values.subject, title: values.title, instructions: values.instructions || "", due_date: values.due_date, documents };
        const answer = await api("POST", classPath(code, classId), { body, key });
        key = newKey();
        form.reset();
        result.append(notice("good", w("posted", { title: answer.title })));
        await refresh();
      } catch (error) {
        if (!(error instanceof NetworkError)) key = newKey();
        showErrors(form, formError(error));
      }
    });
  });
  return h("section", {}, form, result);
}

function deskItem(code, classId, subjects, level, item, refresh) {
  const path = `${classPath(code, classId)}/${encodeURIComponent(item.id)}`;
  const save = h("button", { type: "submit", class: "primary" }, w("save"));
  const form = h("form", { novalidate: true, class: "homework-form" }, homeworkFields(subjects, level, item),
    item.documents?.length ? h("p", { class: "hint" }, w("keep_documents"), " — ", w("attached", { n: item.documents.length })) : null,
    h("div", { class: "actions" }, save));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    whileBusy(save, async () => {
      clearErrors(form);
      const values = formValues(form);
      const files = [...form.querySelector("input[type=file]").files];
      const problem = missing(values) || (checkFiles(files) ? { message: checkFiles(files), fields: { documents: checkFiles(files) } } : null);
      if (problem) {
        showErrors(form, problem);
        return;
      }
      try {
        const body = { subject: values.subject, title: values.title, instructions: values.instructions || "", due_date: values.due_date };
        if (files.length) body.documents = await uploadAll(code, files); // new files replace the old ones
        await api("PATCH", path, { body });
        await refresh();
      } catch (error) {
        showErrors(form, formError(error));
      }
    });
  });
  const remove = h("button", { type: "button", class: "danger" }, w("remove"));
  const li = h("li", { class: "homework", dataset: { id: item.id } });
  remove.addEventListener("click", () => whileBusy(remove, async () => {
    if (!window.confirm(w("confirm_remove"))) return;
    try {
      await api("DELETE", path);
      li.replaceChildren(notice("good", w("removed")));
    } catch (error) {
      li.append(errorNotice(error));
    }
  }));
  li.append(
    h("h3", {}, h("bdi", {}, item.title)),
    h("p", { class: "muted" }, subjectName(subjects, item.subject), " · ", w("due"), " ", h("time", { datetime: item.due_date }, dateText(item.due_date)),
      item.documents?.length ? [" · ", w("attached", { n: item.documents.length })] : null),
    item.instructions ? h("p", { class: "instructions", dir: "auto" }, item.instructions) : null,
    item.documents?.length ? h("ul", { class: "documents" }, item.documents.map((doc) => h("li", {}, h("a", { href: doc.url, target: "_blank", rel: "noopener" }, h("bdi", {}, doc.name))))) : null,
    h("details", {}, h("summary", {}, w("edit")), form),
    h("div", { class: "actions" }, remove));
  return li;
}
