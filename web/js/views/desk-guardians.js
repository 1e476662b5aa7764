// Desk · the guardians' corrections: what parents changed in their data from the family
// space (newest first), each field before and after, for the school to copy into Massar.
// The answer carries only the pupil's code: names come from the classes' lists.
// "#/desk/guardians".
import { dateTimeText, h, notice, ready, state, title, whileBusy, words } from "../core.js";
import { codeEl, pupilNames, pupilsByCode, tryLoad, w as dw } from "./desk.js";

const w = words({
  ar: {
    hint: "البيانات التي صححها أولياء الأمور من فضاء الأسرة، الأحدث أولا. انقلوها إلى مسار.",
    none: "لم يصحح أي ولي أمر بياناته بعد.",
    father: "الأب",
    mother: "الأم",
    guardian: "الولي",
    by: "بواسطة",
    when: "التاريخ",
    before: "قبل",
    after: "بعد",
    first_name_ar: "الاسم الشخصي بالعربية",
    last_name_ar: "الاسم العائلي بالعربية",
    first_name_lat: "الاسم الشخصي بالحروف اللاتينية",
    last_name_lat: "الاسم العائلي بالحروف اللاتينية",
    cin: "رقم البطاقة الوطنية",
    phone: "الهاتف",
    email: "البريد الإلكتروني",
    profession: "المهنة",
    address: "العنوان",
  },
  fr: {
    hint: "Les données que les parents ont corrigées depuis l'espace famille, les plus récentes d'abord, à reporter dans Massar.",
    none: "Aucun parent n'a encore corrigé ses données.",
    father: "Père",
    mother: "Mère",
    guardian: "Tuteur légal",
    by: "Par",
    when: "Le",
    before: "Avant",
    after: "Après",
    first_name_ar: "Prénom en arabe",
    last_name_ar: "Nom en arabe",
    first_name_lat: "Prénom en lettres latines",
    last_name_lat: "Nom en lettres latines",
    cin: "CIN",
    phone: "Téléphone",
    email: "Adresse e-mail",
    profession: "Profession",
    address: "Adresse",
  },
});

export async function render(section, { code }) {
  const box = h("div", {});
  section.append(title(dw("guardians")), h("p", { class: "hint" }, w("hint")), box);
  const [page, names] = await Promise.all([tryLoad(`/v1/schools/${code}/guardian-changes`, box), pupilsByCode(code)]);
  if (!page) {
    ready("desk-guardians");
    return;
  }
  if (!page.items.length) {
    box.append(notice("info", w("none")));
    ready("desk-guardians");
    return;
  }
  const list = h("ul", { class: "cards guardian-changes" });
  box.append(list);
  const more = (cursor) => {
    box.querySelector("button.more")?.remove();
    if (!cursor) return;
    const button = h("button", { type: "button", class: "secondary more" }, dw("more"));
    button.addEventListener("click", () => whileBusy(button, async () => {
      const next = await tryLoad(`/v1/schools/${code}/guardian-changes?cursor=${encodeURIComponent(cursor)}`, box);
      if (!next) return;
      list.append(...next.items.map((c) => changeEl(c, names)));
      more(next.next_cursor);
      list.lastElementChild?.querySelector("h2")?.focus();
    }));
    box.append(button);
  };
  list.append(...page.items.map((c) => changeEl(c, names)));
  more(page.next_cursor);
  ready("desk-guardians");
}

/** "Avant : " in French, "قبل: " in Arabic. */
function colon(text) {
  return state.lang === "fr" ? `${text}\u00a0: ` : `${text}: `;
}

function changeEl(change, names) {
  const pupil = names.get(change.massar_code);
  const keys = [...new Set([...Object.keys(change.before || {}), ...Object.keys(change.after || {})])]
    .filter((k) => (change.before?.[k] ?? "") !== (change.after?.[k] ?? ""));
  const role = ["father", "mother", "guardian"].includes(change.role) ? w(change.role) : change.role;
  const value = (text) => (text ? h("bdi", { dir: "auto" }, text) : "—");
  return h("li", { class: "card" },
    h("h2", { tabindex: "-1" }, pupil ? pupilNames(pupil) : null, pupil ? " · " : null, codeEl(change.massar_code)),
    h("p", {}, h("strong", {}, role), " · ", w("when"), " ", h("time", { datetime: change.changed_at }, dateTimeText(change.changed_at)),
      " · ", w("by"), " ", h("bdi", { dir: "ltr" }, change.changed_by)),
    h("dl", { class: "facts changes" }, keys.map((k) => [
      h("dt", {}, w(k)),
      h("dd", {}, h("span", { class: "muted" }, colon(w("before"))), value(change.before?.[k]), h("br"),
        h("strong", {}, colon(w("after"))), value(change.after?.[k]))])));
}
