// Console · the notifications sent to one email address or phone number: status, attempts,
// template, delivery, and sending one again (a new notification, sent once).
import { ApiError, api, field, formValues, go, h, newKey, notice, ready, showErrors, state, title, whileBusy, words } from "../core.js";
import { codeEl, errorNotice, timeEl, w as ow } from "./ops.js";

const w = words({
  ar: {
    title: "الإشعارات المرسلة",
    intro: "ابحث عن الرسائل التي أُرسلت إلى بريد إلكتروني أو إلى رقم هاتف، من الأحدث إلى الأقدم.",
    recipient: "البريد الإلكتروني أو الهاتف",
    recipient_hint: "مثال: parent@example.ma أو 0612345678",
    search: "بحث",
    type_recipient: "أدخل بريدا إلكترونيا أو رقم هاتف.",
    lang_ar: "بالعربية",
    lang_fr: "بالفرنسية",
    for: "الإشعارات المرسلة إلى {to}",
    found: "{n#notifications}",
    notifications: { zero: "لا يوجد أي إشعار", one: "إشعار واحد", two: "إشعاران", few: "# إشعارات", many: "# إشعارا", other: "# إشعار" },
    none: "لم يُرسل أي إشعار إلى هذا العنوان.",
    email: "بريد إلكتروني",
    sms: "رسالة قصيرة",
    topic: "حدث لأنظمة أخرى",
    template: "النموذج",
    attempts: "{n#tries}",
    tries: { zero: "لا محاولة إرسال", one: "محاولة إرسال واحدة", two: "محاولتا إرسال", few: "# محاولات إرسال", many: "# محاولة إرسال", other: "# محاولة إرسال" },
    created_at: "أُنشئ",
    sent_at: "أُرسل",
    delivery: "الوصول",
    failure: "سبب الفشل",
    resend_of: "إعادة إرسال للإشعار",
    fallback_of: "بديل للإشعار",
    fallback_id: "أُرسل بدله عبر القناة الأخرى",
    pending: "في انتظار الإرسال",
    queued: "في انتظار الإرسال",
    sending: "قيد الإرسال",
    sent: "أُرسل",
    failed: "لم يُرسل",
    delivered: "وصل",
    bounced: "العنوان غير صالح",
    complained: "صُنّف كرسالة غير مرغوب فيها",
    undelivered: "لم يصل",
    recipient_budget: "رسائل كثيرة إلى هذا العنوان في ساعة واحدة",
    secret_expired: "انتهت صلاحية القن قبل الإرسال",
    resend: "إعادة الإرسال",
    resend_label: "إعادة إرسال «{label}»",
    resent: "أُعيد إرسال «{label}»: إشعار جديد في انتظار الإرسال.",
    secret: "يحمل قنا سريا: لا يعاد إرساله. يطلب صاحبه قنا جديدا.",
    on_its_way: "ما زال في طريقه: تمكن إعادة إرساله بعد إرساله أو فشله.",
  },
  fr: {
    title: "Notifications envoyées",
    intro: "Retrouvez les messages envoyés à une adresse e-mail ou à un numéro de téléphone, du plus récent au plus ancien.",
    recipient: "Adresse e-mail ou téléphone",
    recipient_hint: "Par exemple : parent@example.ma ou 0612345678",
    search: "Rechercher",
    type_recipient: "Saisissez une adresse e-mail ou un numéro de téléphone.",
    lang_ar: "en arabe",
    lang_fr: "en français",
    for: "Notifications envoyées à {to}",
    found: "{n#notifications}",
    notifications: { one: "# notification", other: "# notifications" },
    none: "Aucune notification envoyée à ce destinataire.",
    email: "E-mail",
    sms: "SMS",
    topic: "Événement pour d'autres systèmes",
    template: "Modèle",
    attempts: "{n#tries}",
    tries: { one: "# tentative d'envoi", other: "# tentatives d'envoi" },
    created_at: "Créée",
    sent_at: "Envoyée",
    delivery: "Distribution",
    failure: "Raison de l'échec",
    resend_of: "Renvoi de la notification",
    fallback_of: "Remplace la notification",
    fallback_id: "Envoyée à la place par l'autre canal",
    pending: "en attente d'envoi",
    queued: "en attente d'envoi",
    sending: "en cours d'envoi",
    sent: "envoyée",
    failed: "non envoyée",
    delivered: "distribuée",
    bounced: "adresse injoignable",
    complained: "signalée comme indésirable",
    undelivered: "non distribuée",
    recipient_budget: "trop de messages à ce destinataire en une heure",
    secret_expired: "le code a expiré avant l'envoi",
    resend: "Renvoyer",
    resend_label: "Renvoyer « {label} »",
    resent: "« {label} » renvoyée : une nouvelle notification attend son envoi.",
    secret: "Elle porte un code secret : elle ne se renvoie pas. Son titulaire en demande un nouveau.",
    on_its_way: "Encore en route : elle pourra être renvoyée une fois envoyée ou en échec.",
  },
});

// Templates carrying a secret (the API refuses to resend them: the code is erased once sent).
const SECRET = new Set(["staff_initial_code", "recovery_password", "contact_confirmation"]);

export async function render(section, { params }) {
  const recipient = params[0] || "";
  const form = h("form", { novalidate: true, role: "search" },
    field("recipient", w("recipient"), { required: true, value: recipient, hint: w("recipient_hint"), attrs: { dir: "ltr", autocomplete: "off", spellcheck: "false", maxlength: 254, inputmode: "email" } }),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, w("search"))));
  const results = h("div", { class: "results" });
  section.append(title(w("title")), h("p", {}, w("intro")), form, results);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = formValues(form).recipient;
    if (!value) {
      showErrors(form, { message: w("type_recipient"), fields: { recipient: w("type_recipient") } });
      return;
    }
    go(`#/ops/notifications/${encodeURIComponent(value)}`);
  });
  if (recipient) await list(results, recipient, form);
  ready("ops-notifications");
}

async function list(results, recipient, form) {
  const items = h("ul", { class: "notifications" });
  const count = h("p", { class: "muted", role: "status" });
  const said = h("div", { "aria-live": "polite" });
  let shown = 0;
  const fresh = () => {
    items.replaceChildren();
    said.replaceChildren();
    shown = 0;
    return page(null);
  };
  const again = h("button", { type: "button", class: "secondary" }, ow("reload"));
  again.addEventListener("click", () => whileBusy(again, fresh));
  results.append(h("h2", {}, w("for", { to: "" }), h("bdi", { dir: "ltr" }, recipient)), count, h("div", { class: "actions" }, again), said, items);
  async function page(cursor) {
    let answer;
    try {
      answer = await api("GET", `/v1/notifications?${new URLSearchParams({ recipient, limit: "20", ...(cursor ? { cursor } : {}) })}`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 422) showErrors(form, error);
      else results.append(errorNotice(error));
      return;
    }
    shown += answer.items.length;
    count.textContent = shown ? w("found", { n: shown }) : w("none");
    items.append(...answer.items.map((item) => notificationItem(item, async (message) => {
      await fresh();
      said.replaceChildren(notice("good", message));
    })));
    results.querySelector("button.more")?.remove();
    if (answer.next_cursor) {
      const more = h("button", { type: "button", class: "secondary more" }, ow("more"));
      more.addEventListener("click", () => whileBusy(more, () => page(answer.next_cursor)));
      results.append(more);
    }
  }
  await page(null);
}

function statusBadge(item) {
  const kind = item.status === "sent" ? "good" : item.status === "failed" ? "bad" : "warn";
  return h("span", { class: `badge ${kind}` }, w(item.status));
}

function notificationItem(item, resent) {
  const label = item.label || item.template;
  const about = h("p", { class: "muted about" }, w(item.channel), " · ", w("template"), " ", codeEl(item.template), " · ",
    ["ar", "fr"].includes(item.language) ? w(`lang_${item.language}`) : item.language, " · ", h("span", { class: "attempts" }, w("attempts", { n: item.attempts ?? 0 })));
  const facts = [
    [w("created_at"), timeEl(item.created_at)],
    item.sent_at ? [w("sent_at"), timeEl(item.sent_at)] : null,
    item.delivery_status ? [w("delivery"), [w(item.delivery_status), item.delivery_at ? [" · ", timeEl(item.delivery_at)] : null]] : null,
    item.failure_reason ? [w("failure"), ["recipient_budget", "secret_expired"].includes(item.failure_reason) ? w(item.failure_reason) : h("bdi", { dir: "auto" }, item.failure_reason)] : null,
  ].filter(Boolean);
  const colon = state.lang === "ar" ? ": " : " : ";
  const links = ["resend_of", "fallback_of", "fallback_id"].filter((key) => item[key]).map((key) =>
    h("p", { class: "muted related" }, w(key), colon, h("bdi", { dir: "ltr", class: "id" }, item[key])));
  const done = item.status === "sent" || item.status === "failed";
  const outcome = h("div", { "aria-live": "polite" });
  let action;
  if (SECRET.has(item.template)) action = h("p", { class: "hint" }, w("secret"));
  else if (!done) action = h("p", { class: "hint" }, w("on_its_way"));
  else {
    const button = h("button", { type: "button", class: "secondary resend", "aria-label": w("resend_label", { label }) }, w("resend"));
    button.addEventListener("click", () => whileBusy(button, async () => {
      outcome.replaceChildren();
      try {
        await api("POST", `/v1/notifications/${encodeURIComponent(item.id)}/resend`, { key: newKey() });
      } catch (error) {
        outcome.append(errorNotice(error));
        return;
      }
      await resent(w("resent", { label }));
    }));
    action = h("div", { class: "actions" }, button);
  }
  return h("li", { class: "notification", dataset: { id: item.id, status: item.status } },
    h("h3", {}, h("bdi", {}, label), " ", statusBadge(item)),
    item.summary ? h("p", {}, h("bdi", { dir: state.lang === "ar" ? "rtl" : "ltr" }, item.summary)) : null,
    about,
    h("dl", { class: "facts" }, facts.map(([term, value]) => [h("dt", {}, term), h("dd", {}, value)])),
    links,
    action, outcome);
}
