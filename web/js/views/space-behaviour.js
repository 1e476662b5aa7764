// Space · behaviour notes the school wrote about the pupil (kind, day, what happened, what
// the school did), newest first. Loaded by space.js for "#/space/<massar>/behaviour".
import { api, clear, dateText, h, load, notice, whileBusy, words } from "../core.js";

export const KINDS = ["praise", "lateness", "misconduct", "disruption", "missing_work", "other"];

export const w = words({
  ar: {
    none: "لا توجد أي ملاحظة حول السلوك.",
    praise: "تنويه", lateness: "تأخر", misconduct: "مخالفة للنظام الداخلي",
    disruption: "إخلال بسير الحصة", missing_work: "عدم إحضار الواجب أو الأدوات", other: "ملاحظة",
    happened: "ما حدث",
    action: "الإجراء المتخذ",
    more: "المزيد",
  },
  fr: {
    none: "Aucune note de comportement.",
    praise: "Encouragement", lateness: "Retard", misconduct: "Manquement au règlement",
    disruption: "Perturbation du cours", missing_work: "Travail ou matériel non apporté", other: "Observation",
    happened: "Ce qui s'est passé",
    action: "Suite donnée",
    more: "Afficher plus",
  },
});

export function noteEl(note) {
  return h("li", { class: `card behaviour-${note.kind}` },
    h("p", {}, h("strong", {}, w(note.kind)), " · ", h("time", { datetime: note.date }, dateText(note.date))),
    h("p", {}, h("span", { class: "muted" }, w("happened"), " : "), note.description),
    note.action ? h("p", {}, h("span", { class: "muted" }, w("action"), " : "), note.action) : null);
}

export async function render(ctx) {
  const { data, offlineSince } = await load(`${ctx.base}/behaviour`);
  const items = data.items || [];
  const list = h("ul", { class: "cards behaviour" }, items.map(noteEl));
  const more = h("div", { class: "actions" });
  const addMore = (cursor) => {
    clear(more);
    if (!cursor) return;
    const button = h("button", { type: "button", class: "secondary" }, w("more"));
    button.addEventListener("click", () => whileBusy(button, async () => {
      const page = await api("GET", `${ctx.base}/behaviour?cursor=${encodeURIComponent(cursor)}`);
      list.append(...(page.items || []).map(noteEl));
      addMore(page.next_cursor);
    }));
    more.append(button);
  };
  addMore(data.next_cursor);
  ctx.show(offlineSince, items.length ? list : notice("info", w("none")), more);
}
