// Desk · restore a pupil's initial code: a new code and a new printable letter; the
// pupil's sessions end and the account waits for activation again.
import { api, field, formValues, h, notice, ready, showErrors, title, whileBusy, words } from "../core.js";
import { codeEl, w as dw } from "./desk.js";

const w = words({
  ar: {
    title: "استرجاع القن الأولي لتلميذ(ة)",
    intro: "يُنشأ قن أولي جديد مع رسالة قابلة للطباعة. تُغلق جلسات التلميذ(ة)، ويجب تفعيل الحساب من جديد.",
    username: "رمز مسار التلميذ(ة)",
    username_hint: "مثال: J130012345",
    restore: "إنشاء قن أولي جديد",
    done: "تم إنشاء قن أولي جديد للحساب",
    status: "الحساب في انتظار التفعيل.",
    letter: "تحميل الرسالة (PDF)",
    expires: "الرابط صالح لمدة {minutes} دقيقة.",
    not_found: "لا يوجد تلميذ(ة) بهذا الرمز في مؤسستكم.",
  },
  fr: {
    title: "Restaurer le code initial d'un élève",
    intro: "Un nouveau code initial est créé avec une lettre imprimable. Les sessions de l'élève sont fermées et le compte doit être activé de nouveau.",
    username: "Code Massar de l'élève",
    username_hint: "Par exemple : J130012345",
    restore: "Créer un nouveau code initial",
    done: "Nouveau code initial créé pour le compte",
    status: "Le compte attend son activation.",
    letter: "Télécharger la lettre (PDF)",
    expires: "Le lien reste valable {minutes} minute(s).",
    not_found: "Aucun élève de votre école n'a ce code Massar.",
  },
});

export async function render(section) {
  const result = h("div", { class: "result", "aria-live": "polite" });
  const form = h("form", { novalidate: true },
    field("username", w("username"), { required: true, hint: w("username_hint"), attrs: { dir: "ltr", autocomplete: "off", autocapitalize: "characters", spellcheck: "false", maxlength: 20 } }),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, w("restore"))));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    whileBusy(form.querySelector("button[type=submit]"), async () => {
      result.replaceChildren();
      const username = (formValues(form).username || "").toUpperCase();
      if (!username) {
        showErrors(form, { message: dw("required"), fields: { username: dw("required") } });
        return;
      }
      try {
        const answer = await api("POST", `/v1/accounts/${encodeURIComponent(username)}/initial-code`);
        form.querySelector(".form-error")?.remove();
        result.append(notice("good", w("done"), " ", codeEl(answer.username), ". ", w("status")),
          h("p", {}, h("a", { class: "button", href: answer.letter_url, target: "_blank", rel: "noopener", download: "" }, w("letter"))),
          h("p", { class: "hint" }, w("expires", { minutes: Math.max(1, Math.round((answer.letter_expires_in || 0) / 60)) })));
      } catch (error) {
        if (error.status === 404) showErrors(form, { message: w("not_found"), fields: { username: w("not_found") } });
        else showErrors(form, error);
      }
    });
  });
  section.append(title(w("title")), h("p", {}, w("intro")), form, result);
  ready("desk-codes");
}
