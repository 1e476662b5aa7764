// Console · issuing a school's accounts (every pupil without an active account, and their
// responsible guardians): the job runs in the background, one piece per class; its page
// follows it and links each class's letters (PDF) once printed.
import { ApiError, api, field, formValues, go, h, newKey, notice, ready, showErrors, t, title, whileBusy, words } from "../core.js";
import { codeEl, errorNotice, recall, remember, schoolName, timeEl, w as ow } from "./ops.js";

const w = words({
  ar: {
    title: "إصدار حسابات مؤسسة",
    intro: "يُنشأ قن أولي لكل تلميذ(ة) من الإعدادي أو التأهيلي لم يفعّل حسابه بعد ولوليه المسؤول، مع رسالة مطبوعة لكل واحد. الحسابات المفعّلة لا تتغير، والقنون التي لم تُستعمل تُعوَّض.",
    school_hint: "مثال: CL4501",
    class: "القسم",
    all_classes: "كل الأقسام",
    load_classes: "عرض أقسام المؤسسة",
    no_classes: "لا يوجد أي قسم في هذه المؤسسة: لا شيء يُصدر بعد.",
    issue: "إصدار الحسابات",
    recent: "الإصدارات خلال هذه الجلسة",
    follow: "تتبع",
    follow_title: "إصدار حسابات مؤسسة {school}",
    queued: "في قائمة الانتظار…",
    running: "جارٍ الإصدار.",
    progress: "الأقسام المعالجة: {done} / {total}",
    done: "انتهى الإصدار: {issued#letters}، {skipped#unchanged}.",
    letters: { zero: "لا رسالة جديدة", one: "رسالة جديدة واحدة", two: "رسالتان جديدتان", few: "# رسائل جديدة", many: "# رسالة جديدة", other: "# رسالة جديدة" },
    unchanged: { zero: "لا حساب بدون تغيير", one: "حساب واحد لم يتغير", two: "حسابان لم يتغيرا", few: "# حسابات لم تتغير", many: "# حسابا لم يتغير", other: "# حساب لم يتغير" },
    failed: "تعذر الإصدار. أعد المحاولة من صفحة إصدار الحسابات.",
    slow: "ما زال الإصدار جاريا. يمكنك الرجوع إلى هذه الصفحة لاحقا.",
    class_letters: "رسائل الأقسام (PDF)",
    download: "تحميل رسائل {label}",
    no_letters: "لا رسالة جديدة",
    link_note: "الروابط صالحة لمدة قصيرة: حمّل الملفات الآن، أو حدّث الصفحة للحصول على روابط جديدة.",
    again: "إصدار آخر",
  },
  fr: {
    title: "Émettre les comptes d'une école",
    intro: "Un code initial est créé pour chaque élève du collège ou du lycée qui n'a pas encore activé son compte, et pour son tuteur responsable, avec une lettre imprimée pour chacun. Les comptes actifs ne changent pas ; les codes non utilisés sont remplacés.",
    school_hint: "Par exemple : CL4501",
    class: "Classe",
    all_classes: "Toutes les classes",
    load_classes: "Afficher les classes de l'école",
    no_classes: "Cette école n'a aucune classe : rien à émettre pour l'instant.",
    issue: "Émettre les comptes",
    recent: "Émissions de cette session",
    follow: "Suivre",
    follow_title: "Émission des comptes de l'école {school}",
    queued: "En file d'attente…",
    running: "Émission en cours.",
    progress: "Classes traitées : {done} / {total}",
    done: "Émission terminée : {issued#letters}, {skipped#unchanged}.",
    letters: { one: "# nouvelle lettre", other: "# nouvelles lettres" },
    unchanged: { one: "# compte inchangé", other: "# comptes inchangés" },
    failed: "L'émission a échoué. Recommencez depuis la page d'émission des comptes.",
    slow: "L'émission continue. Vous pourrez revenir sur cette page plus tard.",
    class_letters: "Lettres par classe (PDF)",
    download: "Télécharger les lettres de {label}",
    no_letters: "Aucune nouvelle lettre",
    link_note: "Les liens expirent vite : téléchargez les fichiers maintenant, ou actualisez la page pour en avoir de nouveaux.",
    again: "Une autre émission",
  },
});

export async function render(section, { params }) {
  if (params[0] && params[0] !== "for") return follow(section, params[0]);
  const school = params[0] === "for" ? (params[1] || "").toUpperCase() : "";
  const form = h("form", { novalidate: true },
    field("school_code", ow("school_code"), { required: true, value: school, hint: w("school_hint"), attrs: { dir: "ltr", autocomplete: "off", autocapitalize: "characters", spellcheck: "false", maxlength: 12 } }),
    h("p", { class: "school-name", "aria-live": "polite" }),
    field("class_id", w("class"), { options: [] }),
    h("div", { class: "actions" },
      h("button", { type: "button", class: "secondary load" }, w("load_classes")),
      h("button", { type: "submit", class: "primary" }, w("issue"))));
  form.elements.class_id.options[0].textContent = w("all_classes");
  section.append(title(w("title")), h("p", {}, w("intro")), form);
  const recent = recall("batches");
  if (recent.length) {
    section.append(h("h2", {}, w("recent")), h("ul", { class: "recent" }, recent.map((item) =>
      h("li", {}, codeEl(item.school), " · ", timeEl(item.at), " · ", h("a", { href: `#/ops/batches/${encodeURIComponent(item.id)}` }, w("follow"))))));
  }

  const nameLine = form.querySelector(".school-name");
  const classes = form.elements.class_id;
  let loaded = "";
  async function loadClasses() {
    const code = form.elements.school_code.value.trim().toUpperCase();
    if (!code || code === loaded) return;
    loaded = code;
    nameLine.replaceChildren();
    classes.replaceChildren(h("option", { value: "" }, w("all_classes")));
    try {
      const [found, list] = await Promise.all([
        api("GET", `/v1/schools/${encodeURIComponent(code)}`),
        api("GET", `/v1/schools/${encodeURIComponent(code)}/classes`),
      ]);
      nameLine.replaceChildren(schoolName(found));
      classes.append(...list.items.map((c) => h("option", { value: c.class_id }, c.label || c.class_id)));
      if (!list.items.length) nameLine.append(notice("warn", w("no_classes")));
    } catch (error) {
      loaded = "";
      nameLine.replaceChildren(errorNotice(error));
    }
  }
  form.elements.school_code.addEventListener("change", loadClasses);
  const loadButton = form.querySelector("button.load");
  loadButton.addEventListener("click", () => whileBusy(loadButton, loadClasses));

  let sent = null;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    whileBusy(form.querySelector("button[type=submit]"), async () => {
      const values = formValues(form);
      const code = (values.school_code || "").toUpperCase();
      const body = { class_id: values.class_id || null };
      const json = JSON.stringify([code, body]);
      if (sent?.json !== json) sent = { json, key: newKey() };
      let batch;
      try {
        batch = await api("POST", `/v1/schools/${encodeURIComponent(code)}/account-batches`, { body, key: sent.key });
      } catch (error) {
        if (error instanceof ApiError && error.status === 404 && !Object.keys(error.fields).length) error.fields = { school_code: error.message };
        showErrors(form, error);
        return;
      }
      remember("batches", { id: batch.id, school: batch.school_code || code, at: new Date().toISOString() });
      go(`#/ops/batches/${encodeURIComponent(batch.id)}`);
    });
  });
  if (school) await loadClasses();
  ready("ops-batches");
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function follow(section, id) {
  const heading = title(w("follow_title", { school: "…" }));
  const box = h("div", { class: "batch" });
  section.append(heading, box);
  let batch;
  try {
    batch = await api("GET", `/v1/account-batches/${encodeURIComponent(id)}`);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    heading.textContent = w("title");
    box.append(errorNotice(error));
    ready("ops-batch");
    return;
  }
  heading.textContent = w("follow_title", { school: batch.school_code });
  document.title = `${heading.textContent} · ${t("app")}`;
  const line = h("p", { role: "status" });
  const bar = h("progress", { max: 1, value: 0, "aria-label": w("running") });
  box.append(line, bar);
  ready("ops-batch"); // usable while it runs; the test waits for the answer itself
  for (let round = 0; round < 150 && !["done", "failed"].includes(batch.status); round++) {
    line.textContent = batch.status === "running" ? `${w("running")} ${w("progress", { done: batch.classes_done, total: batch.classes_total })}` : w("queued");
    bar.max = Math.max(1, batch.classes_total);
    bar.value = batch.classes_done;
    await sleep(round < 10 ? 500 : 2000);
    if (!box.isConnected) return; // the operator went elsewhere
    try {
      batch = await api("GET", `/v1/account-batches/${encodeURIComponent(id)}`);
    } catch (error) {
      box.replaceChildren(errorNotice(error));
      return;
    }
  }
  box.replaceChildren();
  if (batch.status === "failed") box.append(notice("bad", w("failed")));
  else if (batch.status !== "done") box.append(notice("warn", w("slow")));
  else box.append(...result(batch));
  box.append(h("p", {}, h("a", { href: `#/ops/batches/for/${encodeURIComponent(batch.school_code)}` }, w("again"))));
  box.dataset.status = batch.status;
}

function result(batch) {
  const out = [notice("good", w("done", { issued: batch.issued, skipped: batch.skipped }))];
  if (batch.classes?.length) {
    out.push(h("h2", {}, w("class_letters")), h("div", { class: "table-wrap" }, h("table", {},
      h("thead", {}, h("tr", {}, [w("class"), w("class_letters")].map((text) => h("th", { scope: "col" }, text)))),
      h("tbody", {}, batch.classes.map((c) => h("tr", {},
        h("th", { scope: "row" }, h("bdi", {}, c.label || c.class_id)),
        h("td", {}, c.letters_url
          ? h("a", { class: "letters", href: c.letters_url, target: "_blank", rel: "noopener", download: "" }, w("download", { label: c.label || c.class_id }))
          : h("span", { class: "muted" }, w("no_letters")))))))));
    if (batch.classes.some((c) => c.letters_url)) out.push(h("p", { class: "hint" }, w("link_note")));
  }
  return out;
}
