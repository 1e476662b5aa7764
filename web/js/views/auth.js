// Sign-in, activation with the letter's initial code, recovery by email or SMS through to
// the "password expired" change, and the signed-in password change (seeds 000 and 004).
import {
  api, choice, field, formValues, go, h, homeOf, notice, onSubmit, ready, session, showErrors, state, title, words,
} from "../core.js";

const w = words({
  ar: {
    username: "اسم المستخدم",
    username_hint: "رمز مسار للتلميذ (مثال ⁦J130012345⁩)، أو رقم البطاقة الوطنية للولي، أو المعرف المسلم من المؤسسة",
    password: "القن السري",
    signin_button: "دخول",
    forgot: "نسيت القن السري؟",
    first_time: "أول مرة؟ فعّل حسابك بالقن الأولي",
    activation_required: "هذا الحساب غير مفعل بعد: فعّله بالقن الأولي المسلم في الورقة.",
    expired_title: "انتهت صلاحية القن السري، يرجى تغييره",
    expired_intro: "دخلت بقن الاسترجاع. اختر قنا سريا جديدا.",
    recovery_password: "القن المتوصل به",
    new_password: "القن السري الجديد",
    confirm_password: "تأكيد القن السري الجديد",
    password_rules: "12 حرفا على الأقل، بحروف وأرقام ورموز، دون اسمك أو نسبك أو اسم المؤسسة.",
    mismatch: "القنان غير متطابقين.",
    initial_code: "القن الأولي (من الورقة المسلمة)",
    email: "البريد الإلكتروني",
    phone: "الهاتف المحمول",
    phone_hint: "مثال ⁦0612345678⁩",
    cin: "رقم البطاقة الوطنية",
    address: "العنوان",
    contacts_needed: "البريد الإلكتروني والهاتف ضروريان لاسترجاع القن السري عند نسيانه.",
    one_of_two: "أحدهما على الأقل، إلا لحساب التلميذ",
    contact_required: "أدخلوا البريد الإلكتروني أو الهاتف: به يُسترجع القن السري.",
    activate_button: "تفعيل الحساب",
    channel: "طريقة التوصل بقن جديد",
    by_email: "البريد الإلكتروني",
    by_sms: "رسالة قصيرة SMS",
    contact_email: "البريد الإلكتروني المسجل في ملفك",
    contact_phone: "الهاتف المسجل في ملفك",
    recover_intro: "أدخل اسم المستخدم واختر البريد الإلكتروني أو الهاتف المسجل في ملفك الشخصي.",
    recover_button: "توصل بقن جديد",
    recover_sent: "إذا كانت المعطيات مطابقة لملفك، فقد أُرسل قن جديد صالح لمدة 10 دقائق. ادخل به ثم غيّره.",
    go_signin: "الذهاب إلى تسجيل الدخول",
    change_title: "تغيير القن السري",
    current_password: "القن السري الحالي",
    changed: "تم تغيير القن السري. سجّل الدخول من جديد.",
    change_button: "تغيير",
  },
  fr: {
    username: "Identifiant",
    username_hint: "Code Massar de l'élève (ex. J130012345), CIN du parent, ou identifiant remis par l'école",
    password: "Mot de passe",
    signin_button: "Connexion",
    forgot: "Mot de passe oublié ?",
    first_time: "Première fois ? Activez votre compte avec le code initial",
    activation_required: "Ce compte n'est pas encore activé : activez-le avec le code initial de votre fiche.",
    expired_title: "Mot de passe expiré, veuillez le changer",
    expired_intro: "Vous vous êtes connecté avec le mot de passe de récupération. Choisissez un nouveau mot de passe.",
    recovery_password: "Mot de passe reçu",
    new_password: "Nouveau mot de passe",
    confirm_password: "Confirmer le nouveau mot de passe",
    password_rules: "Au moins 12 caractères, avec lettres, chiffres et symboles, sans vos nom, prénom ni le nom de l'école.",
    mismatch: "Les deux mots de passe diffèrent.",
    initial_code: "Code initial (de la fiche remise)",
    email: "Adresse e-mail",
    phone: "Téléphone mobile",
    phone_hint: "ex. 0612345678",
    cin: "Numéro de CIN",
    address: "Adresse",
    contacts_needed: "L'e-mail et le téléphone servent à récupérer le mot de passe en cas d'oubli.",
    one_of_two: "l'un des deux au moins, sauf compte d'élève",
    contact_required: "Indiquez l'e-mail ou le téléphone : il sert à récupérer le mot de passe.",
    activate_button: "Activer le compte",
    channel: "Recevoir un nouveau mot de passe par",
    by_email: "E-mail",
    by_sms: "SMS",
    contact_email: "L'e-mail de votre profil",
    contact_phone: "Le téléphone de votre profil",
    recover_intro: "Saisissez votre identifiant et choisissez l'e-mail ou le téléphone enregistré dans votre profil.",
    recover_button: "Recevoir un nouveau mot de passe",
    recover_sent: "Si ces informations correspondent à votre profil, un nouveau mot de passe valable 10 minutes a été envoyé. Connectez-vous avec, puis changez-le.",
    go_signin: "Aller à la connexion",
    change_title: "Changer le mot de passe",
    current_password: "Mot de passe actuel",
    changed: "Mot de passe changé. Reconnectez-vous.",
    change_button: "Changer",
  },
});

export async function render(main, { name }) {
  const views = { signin, activate, recover, password };
  views[name](main);
  ready(name);
}

function submitButton(text) {
  return h("button", { type: "submit", class: "primary" }, text);
}

function landed(answer) {
  session.set(answer);
  const after = sessionStorage.getItem("massar.after_signin");
  sessionStorage.removeItem("massar.after_signin");
  go(after && after !== "#/signin" ? after : homeOf(answer.account.role));
}

/** The username, as last typed in this tab (sign-in → activation → recovery). */
function usernameField() {
  const value = sessionStorage.getItem("massar.username") || "";
  return field("username", w("username"), { required: true, hint: w("username_hint"), value, attrs: { autocomplete: "username", autocapitalize: "none", spellcheck: "false" } });
}

function newPasswordFields() {
  return [
    field("new_password", w("new_password"), { type: "password", required: true, hint: w("password_rules"), attrs: { autocomplete: "new-password" } }),
    field("confirm_password", w("confirm_password"), { type: "password", required: true, attrs: { autocomplete: "new-password" } }),
  ];
}

/** The two new-password fields agree; else the error is shown on the confirmation. */
function passwordsAgree(form, values) {
  if (values.new_password === values.confirm_password) return true;
  showErrors(form, { message: w("mismatch"), fields: { confirm_password: w("mismatch") } });
  return false;
}

function signin(main) {
  const hint = sessionStorage.getItem("massar.notice"); // e.g. "password changed"
  sessionStorage.removeItem("massar.notice");
  const form = h("form", { novalidate: true },
    hint ? notice("good", hint) : null,
    usernameField(),
    field("password", w("password"), { type: "password", required: true, attrs: { autocomplete: "current-password" } }),
    h("div", { class: "actions" }, submitButton(w("signin_button"))));
  onSubmit(form, async (values) => {
    try {
      landed(await api("POST", "/v1/auth/login", { body: { username: values.username, password: values.password }, auth: false }));
    } catch (error) {
      if (error.code === "activation_required") {
        sessionStorage.setItem("massar.username", values.username);
        sessionStorage.setItem("massar.notice", w("activation_required"));
        go("#/activate");
      } else if (error.code === "password_expired") {
        expired(main, values.username, values.password);
      } else {
        showErrors(form, error);
      }
    }
  });
  main.append(title(w("signin")), form,
    h("p", {}, h("a", { href: "#/recover" }, w("forgot"))),
    h("p", {}, h("a", { href: "#/activate" }, w("first_time"))));
}

// Seed 004: signing in with the received password shows "password expired": the user
// types the received password again, a new one twice, and saves.
function expired(main, username, received) {
  const form = h("form", { novalidate: true },
    notice("warn", w("expired_intro")),
    field("recovery_password", w("recovery_password"), { type: "password", required: true, value: received, attrs: { autocomplete: "one-time-code" } }),
    ...newPasswordFields(),
    h("div", { class: "actions" }, submitButton(w("save"))));
  onSubmit(form, async (values) => {
    if (!passwordsAgree(form, values)) return;
    landed(await api("POST", "/v1/auth/password/reset", { body: { username, recovery_password: values.recovery_password, new_password: values.new_password }, auth: false }));
  });
  main.replaceChildren(title(w("expired_title")), form);
  document.documentElement.dataset.view = "password-expired";
  main.querySelector("h1").focus();
}

function activate(main) {
  const hint = sessionStorage.getItem("massar.notice");
  sessionStorage.removeItem("massar.notice");
  const form = h("form", { novalidate: true },
    hint ? notice("warn", hint) : null,
    usernameField(),
    field("initial_code", w("initial_code"), { required: true, attrs: { autocomplete: "one-time-code", autocapitalize: "none", spellcheck: "false" } }),
    ...newPasswordFields(),
    h("fieldset", {}, h("legend", {}, w("profile")),
      h("p", { class: "hint" }, w("contacts_needed")),
      field("email", w("email"), { type: "email", note: w("one_of_two"), attrs: { autocomplete: "email" } }),
      field("phone", w("phone"), { type: "tel", note: w("one_of_two"), hint: w("phone_hint"), attrs: { autocomplete: "tel", dir: "ltr" } }),
      field("cin", w("cin")),
      field("address", w("address"), { type: "textarea" })),
    h("div", { class: "actions" }, submitButton(w("activate_button"))));
  onSubmit(form, async (values) => {
    if (!passwordsAgree(form, values)) return;
    const body = { username: values.username, initial_code: values.initial_code, new_password: values.new_password, language: state.lang };
    for (const key of ["email", "phone", "cin", "address"]) if (values[key]) body[key] = values[key];
    // A parent or staff account needs a contact (a pupil's, a Massar code, does not): said
    // together with the password's problems, not one try later.
    const noContact = !values.email && !values.phone && !/^[A-Za-z]\d{9}$/.test(values.username);
    try {
      landed(await api("POST", "/v1/auth/activate", { body, auth: false }));
    } catch (error) {
      if (noContact && error.status === 422) Object.assign(error.fields, { email: w("contact_required"), phone: w("contact_required") });
      throw error;
    }
  });
  main.append(title(w("activate")), form);
}

function recover(main) {
  const contact = field("contact", w("contact_email"), { type: "email", required: true, attrs: { autocomplete: "email" } });
  const channels = choice("channel", w("channel"), [["email", w("by_email")], ["sms", w("by_sms")]], "email");
  const form = h("form", { novalidate: true },
    h("p", {}, w("recover_intro")),
    usernameField(),
    channels, contact,
    h("div", { class: "actions" }, submitButton(w("recover_button"))));
  channels.addEventListener("change", () => {
    const sms = formValues(form).channel === "sms";
    const input = contact.querySelector("input");
    contact.querySelector("label").firstChild.textContent = sms ? w("contact_phone") : w("contact_email");
    input.type = sms ? "tel" : "email";
    input.autocomplete = sms ? "tel" : "email";
    input.dir = sms ? "ltr" : "auto";
  });
  onSubmit(form, async (values) => {
    await api("POST", "/v1/auth/password/forgot", { body: { username: values.username, channel: values.channel, contact: values.contact }, auth: false });
    sessionStorage.setItem("massar.username", values.username);
    form.replaceWith(notice("good", w("recover_sent")), h("p", {}, h("a", { href: "#/signin", class: "button" }, w("go_signin"))));
  });
  main.append(title(w("recover")), form);
}

function password(main) {
  const form = h("form", { novalidate: true },
    field("current_password", w("current_password"), { type: "password", required: true, attrs: { autocomplete: "current-password" } }),
    ...newPasswordFields(),
    h("div", { class: "actions" }, submitButton(w("change_button"))));
  onSubmit(form, async (values) => {
    if (!passwordsAgree(form, values)) return;
    await api("POST", "/v1/auth/password/change", { body: { current_password: values.current_password, new_password: values.new_password } });
    session.clear(); // every session ends with a password change
    sessionStorage.setItem("massar.notice", w("changed"));
    go("#/signin");
  });
  main.append(title(w("change_title")), form);
}
