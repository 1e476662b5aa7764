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
    saved: "تم الحفظ.",
    change_password: "تغيير القن السري",
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
    saved: "Enregistré.",
    change_password: "Changer le mot de passe",
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
      field("language", w("language"), { options: [["ar", "العربية"], ["fr", "Français"]], value: account.language || state.lang })),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, w("save"))));
  onSubmit(form, async (values) => {
    const body = {};
    for (const key of ["email", "phone", "address", "language"]) if (values[key] !== (key === "language" ? account.language : profile[key] || "")) body[key] = values[key] || null;
    await api("PATCH", "/v1/me", { body });
    form.querySelector(".notice")?.remove();
    form.prepend(notice("good", w("saved")));
    if (values.language && values.language !== state.lang) setLanguage(values.language);
  });
  const name = [profile.first_name, profile.last_name].filter(Boolean).join(" ");
  main.append(title(w("profile")),
    h("dl", { class: "facts" },
      h("dt", {}, w("username")), h("dd", {}, h("bdi", {}, account.username)),
      name ? [h("dt", {}, w("signed_in_as")), h("dd", {}, name)] : null,
      h("dt", {}, w("role")), h("dd", {}, w(account.role))),
    form,
    h("p", {}, h("a", { href: "#/password" }, w("change_password"))));
  ready("profile");
}
