// Desk · credential letters: issue the initial codes of a class (or the whole school) in
// the background, follow the job, then link each class's printable letters (PDF).
import { api, field, formValues, h, notice, ready, showErrors, title, whileBusy, words } from "../core.js";
import { errorNotice, tryLoad, w as dw } from "./desk.js";

const w = words({
  ar: {
    title: "رسائل الحسابات (القن الأولي)",
    intro: "تُنشأ قنون أولية للتلاميذ الذين لم يفعّلوا حساباتهم بعد، مع رسالة قابلة للطباعة لكل تلميذ. الحسابات المفعّلة لا تتغير.",
    class_hint: "اتركه فارغا لكل أقسام المؤسسة.",
    issue: "إصدار الرسائل",
    queued: "في قائمة الانتظار…",
    running: "جارٍ الإصدار: {done} من {total} قسم…",
    done: "انتهى الإصدار: {issued#new_letters}، {skipped#unchanged}.",
    new_letters: { zero: "لا رسالة جديدة", one: "رسالة جديدة واحدة", two: "رسالتان جديدتان", few: "# رسائل جديدة", many: "# رسالة جديدة", other: "# رسالة جديدة" },
    unchanged: { zero: "لا حساب تغير", one: "حساب واحد لم يتغير", two: "حسابان لم يتغيرا", few: "# حسابات لم تتغير", many: "# حسابا لم يتغير", other: "# حساب لم يتغير" },
    failed: "تعذر إصدار الرسائل. أعد المحاولة.",
    slow: "ما زال الإصدار جاريا. يمكنك الرجوع لاحقا.",
    letters: "الرسائل (PDF)",
    download: "تحميل رسائل {label}",
    none: "لا توجد رسائل جديدة",
    link_note: "الروابط صالحة لمدة قصيرة: حمّل الملفات الآن.",
  },
  fr: {
    title: "Lettres d'accès (codes initiaux)",
    intro: "Un code initial est créé pour chaque élève qui n'a pas encore activé son compte, avec une lettre imprimable. Les comptes déjà activés ne changent pas.",
    class_hint: "Laissez vide pour toutes les classes de l'école.",
    issue: "Émettre les lettres",
    queued: "En file d'attente…",
    running: "Émission en cours : {done} classe(s) sur {total}…",
    done: "Émission terminée : {issued#new_letters}, {skipped#unchanged}.",
    new_letters: { one: "# nouvelle lettre", other: "# nouvelles lettres" },
    unchanged: { one: "# compte inchangé", other: "# comptes inchangés" },
    failed: "L'émission a échoué. Réessayez.",
    slow: "L'émission continue. Vous pourrez revenir plus tard.",
    letters: "Lettres (PDF)",
    download: "Télécharger les lettres de {label}",
    none: "Aucune nouvelle lettre",
    link_note: "Les liens expirent vite : téléchargez les fichiers maintenant.",
  },
});

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function render(section, { code }) {
  const box = h("div", {});
  section.append(title(w("title")), h("p", {}, w("intro")), box);
  const classes = await tryLoad(`/v1/schools/${code}/classes`, box);
  if (!classes) {
    ready("desk-letters");
    return;
  }
  const only = classes.items.length === 1 ? classes.items[0].class_id : "";
  const form = h("form", { novalidate: true },
    field("class_id", dw("class"), { options: classes.items.map((c) => [c.class_id, c.label || c.class_id]), value: only, hint: w("class_hint") }),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, w("issue"))));
  const progress = h("div", { class: "progress", "aria-live": "polite" });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    whileBusy(form.querySelector("button[type=submit]"), async () => {
      progress.replaceChildren();
      const { class_id: classId } = formValues(form);
      let batch;
      try {
        batch = await api("POST", `/v1/schools/${code}/account-batches`, { body: { class_id: classId || null } });
      } catch (error) {
        showErrors(form, error);
        return;
      }
      await follow(progress, batch);
    });
  });
  box.append(form, progress);
  ready("desk-letters");
}

async function follow(progress, first) {
  let batch = first;
  const line = h("p", { role: "status" });
  progress.append(line);
  for (let round = 0; round < 120; round++) {
    if (batch.status === "done" || batch.status === "failed") break;
    line.textContent = batch.status === "running" ? w("running", { done: batch.classes_done, total: batch.classes_total }) : w("queued");
    await sleep(round < 10 ? 500 : 2000);
    if (!progress.isConnected) return; // the user went elsewhere
    try {
      batch = await api("GET", `/v1/account-batches/${encodeURIComponent(batch.id)}`);
    } catch (error) {
      progress.replaceChildren(errorNotice(error));
      return;
    }
  }
  progress.replaceChildren();
  if (batch.status === "failed") {
    progress.append(notice("bad", w("failed")));
    return;
  }
  if (batch.status !== "done") {
    progress.append(notice("warn", w("slow")));
    return;
  }
  progress.append(notice("good", w("done", { issued: batch.issued, skipped: batch.skipped })));
  if (batch.classes?.length) {
    progress.append(h("div", { class: "table-wrap" }, h("table", {},
      // The API's per-class counts are always 0 today: only the totals (above) are shown.
      h("thead", {}, h("tr", {}, [dw("class"), w("letters")].map((text) => h("th", { scope: "col" }, text)))),
      h("tbody", {}, batch.classes.map((c) => h("tr", {},
        h("th", { scope: "row" }, h("bdi", {}, c.label || c.class_id)),
        h("td", {}, c.letters_url
          ? h("a", { href: c.letters_url, target: "_blank", rel: "noopener", download: "" }, w("download", { label: c.label || c.class_id }))
          : h("span", { class: "muted" }, w("none")))))))),
    );
    if (batch.classes.some((c) => c.letters_url)) progress.append(h("p", { class: "hint" }, w("link_note")));
  }
}
