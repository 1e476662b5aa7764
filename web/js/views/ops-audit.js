// Console · one account's security trail, newest first: what happened, who did it, from
// where (GET /v1/accounts/{username}/audit).
import { ApiError, api, field, formValues, go, h, ready, showErrors, state, title, whileBusy, words } from "../core.js";
import { codeEl, errorNotice, timeEl, w as ow } from "./ops.js";

const w = words({
  ar: {
    title: "سجل أمان حساب",
    intro: "الأحداث الأمنية لحساب واحد، من الأحدث إلى الأقدم: التفعيل، محاولات الدخول الفاشلة، الاسترجاع، تغيير القن السري أو وسائل الاتصال…",
    username: "اسم المستخدم",
    username_hint: "رمز مسار، أو رقم البطاقة الوطنية، أو اسم مستخدم إطار (مثال: dir.cl4501)",
    search: "عرض السجل",
    type_username: "أدخل اسم مستخدم.",
    for: "سجل الحساب ",
    count: "{n#events}",
    events: { zero: "لا يوجد أي حدث", one: "حدث واحد", two: "حدثان", few: "# أحداث", many: "# حدثا", other: "# حدث" },
    none: "لا يوجد أي حدث أمني لهذا الحساب.",
    not_found: "لا يوجد حساب بهذا الاسم في نطاقكم.",
    by: "من طرف",
    from: "من",
    self: "صاحب الحساب",
    system: "النظام",
    activated: "تفعيل الحساب",
    sign_in_failed: "محاولة دخول فاشلة",
    locked_out: "حظر مؤقت للدخول",
    recovery_asked: "طلب استرجاع القن السري",
    recovery_used: "استعمال قن الاسترجاع",
    password_changed: "تغيير القن السري",
    contact_changed: "تغيير وسيلة اتصال",
    contact_change_asked: "طلب تغيير وسيلة اتصال",
    reauth_failed: "قن سري حالي خاطئ",
    initial_code_restored: "استرجاع القن الأولي",
    letters_issued: "إصدار رسالة الحساب",
    mark_changed: "تعديل نقطة منشورة",
    guardian_changed: "تصحيح معطيات الولي",
    d_count: "محاولات فاشلة متتالية",
    d_seconds: "مدة الانتظار (ثوان)",
    d_channel: "القناة",
    d_changed: "ما تغير",
    d_class_id: "القسم",
    d_issued: "الرسائل الصادرة",
    d_job_id: "الإصدار",
    d_school_code: "المؤسسة",
    d_subject: "المادة",
    d_assessment_id: "الفرض",
    d_role: "الصفة",
    d_before: "قبل",
    d_after: "بعد",
    v_email: "البريد الإلكتروني",
    v_sms: "رسالة قصيرة",
    v_phone: "الهاتف",
  },
  fr: {
    title: "Journal de sécurité d'un compte",
    intro: "Les événements de sécurité d'un compte, du plus récent au plus ancien : activation, échecs de connexion, récupération, changement de mot de passe ou de coordonnées…",
    username: "Identifiant",
    username_hint: "Code Massar, CIN, ou identifiant du personnel (par exemple dir.cl4501)",
    search: "Afficher le journal",
    type_username: "Saisissez un identifiant.",
    for: "Journal du compte ",
    count: "{n#events}",
    events: { one: "# événement", other: "# événements" },
    none: "Aucun événement de sécurité pour ce compte.",
    not_found: "Aucun compte de votre périmètre n'a cet identifiant.",
    by: "Par",
    from: "Depuis",
    self: "le titulaire du compte",
    system: "le système",
    activated: "Compte activé",
    sign_in_failed: "Échec de connexion",
    locked_out: "Connexion bloquée un moment",
    recovery_asked: "Récupération du mot de passe demandée",
    recovery_used: "Mot de passe de récupération utilisé",
    password_changed: "Mot de passe changé",
    contact_changed: "Coordonnée changée",
    contact_change_asked: "Changement de coordonnée demandé",
    reauth_failed: "Mot de passe actuel erroné",
    initial_code_restored: "Code initial restauré",
    letters_issued: "Lettre d'accès émise",
    mark_changed: "Note publiée modifiée",
    guardian_changed: "Données du tuteur corrigées",
    d_count: "Échecs à la suite",
    d_seconds: "Attente (secondes)",
    d_channel: "Canal",
    d_changed: "Ce qui a changé",
    d_class_id: "Classe",
    d_issued: "Lettres émises",
    d_job_id: "Émission",
    d_school_code: "École",
    d_subject: "Matière",
    d_assessment_id: "Évaluation",
    d_role: "Rôle",
    d_before: "Avant",
    d_after: "Après",
    v_email: "e-mail",
    v_sms: "SMS",
    v_phone: "téléphone",
  },
});

// What the API puts in an event's detail (other keys are shown as they come).
const KNOWN_DETAILS = new Set(["count", "seconds", "channel", "changed", "class_id", "issued", "job_id", "school_code", "subject", "assessment_id", "role", "before", "after"]);

export async function render(section, { params }) {
  const username = params[0] || "";
  const form = h("form", { novalidate: true, role: "search" },
    field("username", w("username"), { required: true, value: username, hint: w("username_hint"), attrs: { dir: "ltr", autocomplete: "off", autocapitalize: "none", spellcheck: "false", maxlength: 64 } }),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, w("search"))));
  const results = h("div", { class: "results" });
  section.append(title(w("title")), h("p", {}, w("intro")), form, results);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = formValues(form).username;
    if (!value) {
      showErrors(form, { message: w("type_username"), fields: { username: w("type_username") } });
      return;
    }
    go(`#/ops/audit/${encodeURIComponent(value)}`);
  });
  if (username) await trail(results, username, form);
  ready("ops-audit");
}

async function trail(results, username, form) {
  const items = h("ol", { class: "audit" });
  const count = h("p", { class: "muted", role: "status" });
  let shown = 0;
  async function page(cursor) {
    let answer;
    try {
      answer = await api("GET", `/v1/accounts/${encodeURIComponent(username)}/audit?${new URLSearchParams({ limit: "50", ...(cursor ? { cursor } : {}) })}`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) showErrors(form, { message: w("not_found"), fields: { username: w("not_found") } });
      else results.append(errorNotice(error));
      return false;
    }
    shown += answer.items.length;
    count.textContent = shown ? w("count", { n: shown }) : w("none");
    items.append(...answer.items.map((item) => entry(item, username)));
    results.querySelector("button.more")?.remove();
    if (answer.next_cursor) {
      const more = h("button", { type: "button", class: "secondary more" }, ow("more"));
      more.addEventListener("click", () => whileBusy(more, () => page(answer.next_cursor)));
      results.append(more);
    }
    return true;
  }
  const heading = h("h2", {}, w("for"), codeEl(username));
  results.append(heading, count, items);
  if (!(await page(null))) [heading, count, items].forEach((el) => el.remove());
}

function entry(item, username) {
  const actor = item.actor === "system" ? w("system") : item.actor.toLowerCase() === username.toLowerCase() ? w("self") : codeEl(item.actor);
  const detail = Object.entries(item.detail || {});
  const colon = state.lang === "ar" ? ": " : " : ";
  return h("li", { class: "audit-entry", dataset: { event: item.event } },
    h("p", { class: "audit-head" }, h("strong", {}, w(item.event)), " · ", timeEl(item.at)),
    h("p", {}, w("by"), colon, actor),
    item.source_ip || item.user_agent ? h("p", { class: "muted" }, w("from"), colon,
      item.source_ip ? h("bdi", { dir: "ltr" }, item.source_ip) : null,
      item.user_agent ? [" · ", h("bdi", { dir: "ltr", class: "agent" }, item.user_agent)] : null) : null,
    detail.length ? h("dl", { class: "facts" }, detail.map(([key, value]) => [
      h("dt", {}, KNOWN_DETAILS.has(key) ? w(`d_${key}`) : h("bdi", { dir: "ltr" }, key)),
      h("dd", {}, ["email", "sms", "phone"].includes(value) ? w(`v_${value}`) : h("bdi", { dir: "auto" }, value))])) : null);
}
