// The signed-in account: who, its contacts (needed for recovery), language, password.
import { api, field, h, me, notice, onSubmit, ready, setLanguage, state, title, words } from "../core.js";

const w = words({
  ar: {
    username: "اسم المستخدم",
    role: "الصفة",
    parent: "ولي", student: "تلميذ(ة)", staff: "إطار بالمؤسسة", ops: "مشغل",
    contacts: "معلومات الاتصال (لاسترجاع القن السري)",
    email: "البريد الإلكتروني",
    phone: "الهاتف المحمول",
    address: "العنوان",
    language: "لغة الرسائل",
    language_unset: "لم تُختر بعد",
    language_hint: "ما لم تُختر لغة، تصل الرسائل بلغة الصفحة التي أدت إليها، وإلا بالفرنسية.",
    saved: "تم الحفظ.",
    change_password: "تغيير القن السري",
    current_password: "كلمة المرور الحالية",
    current_password_hint: "لازمة لتغيير البريد الإلكتروني أو الهاتف",
    pending: "في انتظار التأكيد: {value}. أدخلوا الرمز الذي وصلكم.",
    code: "رمز التأكيد",
    confirm: "تأكيد",
    confirmed: "تم التأكيد.",
    prefs: "الرسائل التي أتلقاها",
    prefs_hint: "الغياب والقرارات (التسجيل، الانتقال، آخر السنة) تصل دائما.",
    prefs_save: "حفظ الاختيارات",
    channel_email: "البريد الإلكتروني", channel_sms: "رسالة نصية",
    kind_behaviour: "السلوك", kind_marks_drop: "انخفاض النقط", kind_messages: "رسائل المؤسسة",
    kind_appointments: "المواعيد", kind_homework: "الواجبات المدرسية", kind_absences: "الغياب",
    kind_decisions: "القرارات",
  },
  fr: {
    username: "Identifiant",
    role: "Qualité",
    parent: "Parent", student: "Élève", staff: "Personnel de l'école", ops: "Opérateur",
    contacts: "Coordonnées (pour récupérer le mot de passe)",
    email: "E-mail",
    phone: "Téléphone mobile",
    address: "Adresse",
    language: "Langue des messages",
    language_unset: "Pas encore choisie",
    language_hint: "Tant qu'aucune langue n'est choisie, les messages suivent la langue de la page qui les a causés, sinon le français.",
    saved: "Enregistré.",
    change_password: "Changer le mot de passe",
    current_password: "Mot de passe actuel",
    current_password_hint: "nécessaire pour changer l'e-mail ou le téléphone",
    pending: "En attente de confirmation : {value}. Saisissez le code reçu.",
    code: "Code de confirmation",
    confirm: "Confirmer",
    confirmed: "Confirmé.",
    prefs: "Les messages que je reçois",
    prefs_hint: "Les absences et les décisions (inscription, transfert, fin d'année) arrivent toujours.",
    prefs_save: "Enregistrer mes choix",
    channel_email: "E-mail", channel_sms: "SMS",
    kind_behaviour: "Comportement", kind_marks_drop: "Baisse des notes", kind_messages: "Messages de l'école",
    kind_appointments: "Rendez-vous", kind_homework: "Devoirs", kind_absences: "Absences",
    kind_decisions: "Décisions",
  },
});

export async function render(main) {
  const { data: account } = await me(true);
  const profile = account.profile || {};
  const form = h("form", { novalidate: true },
    h("fieldset", {}, h("legend", {}, w("contacts")),
      field("email", w("email"), { type: "email", value: profile.email || "", attrs: { autocomplete: "email" } }),
      field("phone", w("phone"), { type: "tel", value: profile.phone || "", attrs: { autocomplete: "tel", dir: "ltr" } }),
      field("address", w("address"), { type: "textarea", value: profile.address || "" }),
      languageField(account.language),
      // A new email or phone needs the password (a borrowed session is not enough).
      field("current_password", w("current_password"), { type: "password", hint: w("current_password_hint"), attrs: { autocomplete: "current-password" } })),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, w("save"))));
  onSubmit(form, async (values) => {
    const body = {};
    for (const key of ["email", "phone", "address", "language"]) if (values[key] !== (key === "language" ? account.language : profile[key] || "")) body[key] = values[key] || null;
    if ((body.email || body.phone) && values.current_password) body.current_password = values.current_password;
    const saved = await api("PATCH", "/v1/me", { body });
    account.language = saved.language; // what is stored now is what the next save compares with
    const select = form.elements.language;
    if (saved.language) { // chosen and stored: no "not chosen" any more
      select.querySelector("option[value='']")?.remove();
      select.value = saved.language;
      select.closest(".field").querySelector(".hint")?.remove();
    }
    // A contact waiting for its code counts as asked: saving again does not send another.
    for (const key of ["email", "phone"]) profile[key] = saved.pending_contacts?.[key] || saved.profile?.[key];
    form.elements.current_password.value = "";
    form.querySelector(".notice")?.remove();
    form.prepend(notice("good", w("saved")));
    showPending(saved);
    if (values.language && values.language !== state.lang) setLanguage(values.language);
  });
  // A new contact waits for the code sent to it: one small form per waiting contact.
  const waiting = h("div", { class: "pending-contacts" });
  function showPending(current) {
    waiting.replaceChildren();
    for (const [name, channel] of [["email", "email"], ["phone", "sms"]]) {
      const value = current.pending_contacts?.[name];
      if (!value) continue;
      const confirm = h("form", { novalidate: true, dataset: { confirm: name } },
        h("p", {}, w("pending", { value })),
        field("code", w("code"), { required: true, attrs: { autocomplete: "one-time-code", inputmode: "numeric", dir: "ltr" } }),
        h("div", { class: "actions" }, h("button", { type: "submit" }, w("confirm"))));
      onSubmit(confirm, async (typed) => {
        const after = await api("POST", "/v1/me/contacts/confirm", { body: { channel, code: typed.code } });
        showPending(after);
        waiting.prepend(notice("good", w("confirmed")));
      });
      waiting.append(confirm);
    }
  }
  showPending(account);
  const name = [profile.first_name, profile.last_name].filter(Boolean).join(" ");
  main.append(title(w("profile")),
    h("dl", { class: "facts" },
      h("dt", {}, w("username")), h("dd", {}, h("bdi", {}, account.username)),
      name ? [h("dt", {}, w("signed_in_as")), h("dd", {}, name)] : null,
      h("dt", {}, w("role")), h("dd", {}, w(account.role))),
    form,
    waiting,
    h("p", {}, h("a", { href: "#/password" }, w("change_password"))));
  if (account.role === "parent") main.append(await preferences());
  ready("profile");
}

// A parent's choice of messages per kind and channel (absences and decisions stay on).
async function preferences() {
  const { preferences: table, locked } = await api("GET", "/v1/me/notification-preferences");
  const channels = ["email", "sms"];
  const rows = Object.entries(table).map(([kind, on]) => h("tr", {},
    h("th", { scope: "row" }, w(`kind_${kind}`)),
    channels.map((channel) => h("td", {}, h("input", {
      type: "checkbox", name: `${kind}.${channel}`, checked: on[channel], disabled: locked.includes(kind),
      "aria-label": `${w(`kind_${kind}`)} · ${w(`channel_${channel}`)}`,
    })))));
  const form = h("form", { novalidate: true, class: "preferences" },
    h("fieldset", {}, h("legend", {}, w("prefs")),
      h("p", { class: "hint" }, w("prefs_hint")),
      h("table", {}, h("thead", {}, h("tr", {}, h("td", {}), channels.map((c) => h("th", { scope: "col" }, w(`channel_${c}`))))),
        h("tbody", {}, rows))),
    h("div", { class: "actions" }, h("button", { type: "submit" }, w("prefs_save"))));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { preferences: {} };
    for (const kind of Object.keys(table)) {
      if (locked.includes(kind)) continue;
      body.preferences[kind] = Object.fromEntries(channels.map((c) => [c, form.elements[`${kind}.${c}`].checked]));
    }
    form.querySelector(".notice")?.remove();
    try {
      await api("PUT", "/v1/me/notification-preferences", { body });
      form.prepend(notice("good", w("saved")));
    } catch (error) {
      form.prepend(notice("bad", error.message || String(error)));
    }
  });
  return form;
}

// The message language as stored by PATCH /v1/me: "not chosen yet" until one is saved.
function languageField(stored) {
  const box = field("language", w("language"), { hint: stored ? null : w("language_hint"), options: [["ar", "العربية"], ["fr", "Français"]], value: stored || "" });
  const empty = box.querySelector("option[value='']");
  if (stored) empty.remove();
  else empty.textContent = w("language_unset");
  return box;
}
