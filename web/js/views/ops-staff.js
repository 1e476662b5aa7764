// Console · a school's staff account (a director or another member of the staff): the
// account waits for activation, its initial code goes to the person's email only.
import { ApiError, api, clearErrors, field, formValues, h, newKey, notice, ready, showErrors, title, whileBusy, words } from "../core.js";
import { codeEl, schoolName, w as ow } from "./ops.js";

const w = words({
  ar: {
    title: "إنشاء حساب إطار بالمؤسسة",
    intro: "حساب لمدير المؤسسة أو لأحد أطرها. يُرسل القن الأولي إلى بريده الإلكتروني فقط، ولا يظهر هنا أبدا.",
    school_hint: "مثال: EP0007",
    username: "اسم المستخدم",
    username_hint: "بحروف لاتينية صغيرة، من 3 إلى 40 حرفا (أرقام و . _ - مقبولة)، مثال: dir.ep0008",
    first_name: "الاسم الشخصي",
    last_name: "الاسم العائلي",
    email: "البريد الإلكتروني",
    email_hint: "يتوصل عليه بالقن الأولي.",
    phone: "الهاتف المحمول",
    create: "إنشاء الحساب",
    unknown_school: "لا توجد مؤسسة بهذا الرمز بعد.",
    created: "أُنشئ الحساب {username} لمؤسسة {school}، وهو في انتظار التفعيل.",
    code_sent: "أُرسل القن الأولي إلى {email}. لا يظهر في أي مكان آخر: يستعمله صاحب الحساب لتفعيله في صفحة «تفعيل الحساب».",
    follow_email: "تتبع الرسالة المرسلة",
    audit: "سجل أمان هذا الحساب",
    batches: "إصدار حسابات المؤسسة",
    another: "إنشاء حساب آخر",
  },
  fr: {
    title: "Créer un compte du personnel d'une école",
    intro: "Un compte pour le directeur ou un membre du personnel de l'école. Le code initial part à son adresse e-mail seulement, il n'est jamais affiché ici.",
    school_hint: "Par exemple : EP0007",
    username: "Identifiant",
    username_hint: "En lettres latines minuscules, 3 à 40 caractères (chiffres et . _ - permis), par exemple dir.ep0008",
    first_name: "Prénom",
    last_name: "Nom",
    email: "Adresse e-mail",
    email_hint: "Elle reçoit le code initial.",
    phone: "Téléphone mobile",
    create: "Créer le compte",
    unknown_school: "Aucune école n'a encore ce code.",
    created: "Compte {username} créé pour l'école {school} ; il attend son activation.",
    code_sent: "Le code initial a été envoyé à {email}. Il n'apparaît nulle part ailleurs : le titulaire s'en sert pour activer son compte (page « Activer le compte »).",
    follow_email: "Suivre l'e-mail envoyé",
    audit: "Journal de sécurité de ce compte",
    batches: "Émettre les comptes de l'école",
    another: "Créer un autre compte",
  },
});

export async function render(section, { params }) {
  const school = (params[0] || "").toUpperCase();
  const form = h("form", { novalidate: true },
    field("school_code", ow("school_code"), { required: true, value: school, hint: w("school_hint"), attrs: { dir: "ltr", autocomplete: "off", autocapitalize: "characters", spellcheck: "false", maxlength: 12 } }),
    h("p", { class: "school-name muted", "aria-live": "polite" }),
    field("username", w("username"), { required: true, value: school ? `dir.${school.toLowerCase()}` : "", hint: w("username_hint"), attrs: { dir: "ltr", autocomplete: "off", autocapitalize: "none", spellcheck: "false", maxlength: 40 } }),
    h("div", { class: "row" },
      field("first_name", w("first_name"), { required: true, attrs: { dir: "auto", maxlength: 80 } }),
      field("last_name", w("last_name"), { required: true, attrs: { dir: "auto", maxlength: 80 } })),
    field("email", w("email"), { type: "email", required: true, hint: w("email_hint"), attrs: { dir: "ltr", autocomplete: "off", spellcheck: "false" } }),
    field("phone", w("phone"), { type: "tel", attrs: { dir: "ltr", autocomplete: "off", inputmode: "tel" } }),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, w("create"))));
  const result = h("div", { "aria-live": "polite" });
  section.append(title(w("title")), h("p", {}, w("intro")), form, result);

  const nameLine = form.querySelector(".school-name");
  async function showSchool() {
    const code = form.elements.school_code.value.trim().toUpperCase();
    nameLine.replaceChildren();
    if (!/^[A-Z0-9]{4,12}$/.test(code)) return;
    try {
      const found = await api("GET", `/v1/schools/${encodeURIComponent(code)}`);
      if (form.elements.school_code.value.trim().toUpperCase() === code) nameLine.replaceChildren(schoolName(found));
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) nameLine.replaceChildren(w("unknown_school"));
    }
  }
  form.elements.school_code.addEventListener("change", showSchool);

  let sent = null; // one Idempotency-Key per body
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    whileBusy(form.querySelector("button[type=submit]"), async () => {
      const values = formValues(form);
      const body = {
        school_code: (values.school_code || "").toUpperCase(),
        username: (values.username || "").toLowerCase(),
        first_name: values.first_name,
        last_name: values.last_name,
        email: values.email,
        ...(values.phone ? { phone: values.phone } : {}),
      };
      const json = JSON.stringify(body);
      if (sent?.json !== json) sent = { json, key: newKey() };
      let answer;
      try {
        answer = await api("POST", "/v1/staff", { body, key: sent.key });
      } catch (error) {
        // A username already taken is the username's problem.
        if (error instanceof ApiError && error.status === 409 && !Object.keys(error.fields).length) error.fields = { username: error.message };
        showErrors(form, error);
        return;
      }
      clearErrors(form);
      const username = answer.username;
      const links = [
        [`#/ops/notifications/${encodeURIComponent(body.email)}`, w("follow_email")],
        [`#/ops/audit/${encodeURIComponent(username)}`, w("audit")],
        [`#/ops/batches/for/${encodeURIComponent(answer.school_code)}`, w("batches")],
      ];
      result.replaceChildren(
        notice("good", fill(w("created", { username: "\u0000", school: "\u0001" }), [codeEl(username), codeEl(answer.school_code)])),
        h("p", { class: "code-sent" }, fill(w("code_sent", { email: "\u0000" }), [h("bdi", { dir: "ltr" }, body.email)])),
        h("ul", { class: "links" }, links.map(([href, text]) => h("li", {}, h("a", { href }, text)))),
        h("p", {}, h("button", { type: "button", class: "secondary", onclick: () => again(form, result) }, w("another"))));
      result.querySelector(".notice").setAttribute("tabindex", "-1");
      result.querySelector(".notice").focus();
    });
  });
  if (school) showSchool();
  ready("ops-staff");
}

/** A sentence with elements where it has the markers \u0000, \u0001 (word order differs). */
function fill(text, parts) {
  return text.split(/([\u0000\u0001])/).map((piece) => (piece === "\u0000" ? parts[0] : piece === "\u0001" ? parts[1] : piece));
}

function again(form, result) {
  for (const name of ["username", "first_name", "last_name", "email", "phone"]) form.elements[name].value = "";
  result.replaceChildren();
  form.elements.username.focus();
}
