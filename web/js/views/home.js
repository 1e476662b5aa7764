// The front door: what a parent, a pupil or a staff member can do here, in their words.
import { go, h, helpLine, homeOf, ready, session, title, words } from "../core.js";

const w = words({
  ar: {
    welcome: "مرحبا بكم في الخدمات الإلكترونية لمسار",
    register_text: "سجّل طفلك البالغ سن التمدرس دون التنقل إلى المدرسة.",
    track_text: "اطّلع على حالة طلب التسجيل برمز التتبع.",
    signin_text: "الآباء والتلاميذ وأطر المؤسسات: النقط، الغياب، استعمال الزمن، المواعيد.",
    activate_text: "توصلت بورقة فيها قن أولي؟ فعّل حسابك هنا.",
  },
  fr: {
    welcome: "Bienvenue sur les services en ligne de Massar",
    register_text: "Préinscrivez votre enfant en âge d'être scolarisé sans vous déplacer.",
    track_text: "Consultez l'état d'une demande avec son code de suivi.",
    signin_text: "Parents, élèves et personnel : notes, absences, emploi du temps, rendez-vous.",
    activate_text: "Vous avez reçu une fiche avec un code initial ? Activez votre compte ici.",
  },
});

export async function render(main) {
  const role = session.role();
  if (role) {
    go(homeOf(role));
    return;
  }
  const card = (href, label, text) => h("li", {}, h("a", { href }, h("strong", {}, label), text));
  main.append(
    title(w("welcome")),
    h("ul", { class: "cards" },
      card("#/register", w("register"), w("register_text")),
      card("#/track", w("track"), w("track_text")),
      card("#/signin", w("signin"), w("signin_text")),
      card("#/activate", w("activate"), w("activate_text"))),
    helpLine());
  ready("home");
}
