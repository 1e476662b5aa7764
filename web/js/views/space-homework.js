// Space · homework: what the pupil's class has to do, the soonest due first (then, on
// demand, the homework already due), each with its instructions and documents (links that
// last a quarter of an hour). Loaded by space.js for "#/space/<massar>/homework"; the list
// seen last stays readable offline (the service worker keeps it like the marks).
import { NetworkError, api, clear, dateText, h, hijriText, load, notice, state, t, whileBusy, words } from "../core.js";
import { subjectName } from "./space.js";

const w = words({
  ar: {
    upcoming: "{n#homeworks} في الانتظار",
    homeworks: { zero: "لا واجب", one: "واجب واحد", two: "واجبان", few: "# واجبات", many: "# واجبا", other: "# واجب" },
    none: "لا توجد واجبات منتظرة لهذا القسم.",
    due: "آخر أجل",
    due_today: "يُسلَّم اليوم",
    due_tomorrow: "يُسلَّم غدا",
    due_in: "يُسلَّم بعد {n#days}",
    days: { zero: "0 يوم", one: "يوم واحد", two: "يومين", few: "# أيام", many: "# يوما", other: "# يوم" },
    was_due: "كان آخر أجل له",
    documents: "الوثائق",
    offline_documents: "الوثائق لا تُفتح إلا مع الاتصال بالشبكة.",
    past: "الواجبات السابقة",
    show_past: "عرض الواجبات السابقة",
    no_past: "لا توجد واجبات سابقة.",
    more: "عرض المزيد",
    kind_pdf: "PDF",
    kind_jpeg: "صورة",
    kind_png: "صورة",
    comma: "، ",
    kb: "{n} كيلوبايت",
    mb: "{n} ميغابايت",
  },
  fr: {
    upcoming: "{n#homeworks} à faire",
    homeworks: { one: "# devoir", other: "# devoirs" },
    none: "Aucun devoir à faire pour cette classe.",
    due: "À rendre le",
    due_today: "À rendre aujourd'hui",
    due_tomorrow: "À rendre demain",
    due_in: "À rendre dans {n#days}",
    days: { one: "# jour", other: "# jours" },
    was_due: "Était à rendre le",
    documents: "Documents",
    offline_documents: "Les documents ne s'ouvrent qu'avec une connexion.",
    past: "Devoirs passés",
    show_past: "Voir les devoirs passés",
    no_past: "Aucun devoir passé.",
    more: "Afficher plus",
    kind_pdf: "PDF",
    kind_jpeg: "image",
    kind_png: "image",
    comma: ", ",
    kb: "{n} Ko",
    mb: "{n} Mo",
  },
});

function todayIso() {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Africa/Casablanca" }).format(new Date());
}

function daysUntil(iso) {
  const day = (text) => {
    const [y, m, d] = text.split("-").map(Number);
    return Date.UTC(y, m - 1, d);
  };
  return Math.round((day(iso) - day(todayIso())) / 86_400_000);
}

function dueText(iso) {
  const days = daysUntil(iso);
  if (days < 0) return null;
  if (days === 0) return w("due_today");
  if (days === 1) return w("due_tomorrow");
  return w("due_in", { n: days });
}

function bytesText(size) {
  const mb = size / (1024 * 1024);
  const [value, unit] = mb >= 1 ? [mb.toFixed(1), "mb"] : [String(Math.max(1, Math.round(size / 1024))), "kb"];
  return w(unit, { n: state.lang === "fr" ? value.replace(".", ",") : value });
}

export function homeworkItem(item, { offline = false } = {}) {
  const soon = dueText(item.due_date);
  const days = daysUntil(item.due_date);
  return h("li", { class: "homework", dataset: { id: item.id } },
    h("div", { class: "homework-head" },
      h("h2", {}, h("bdi", {}, item.title)),
      soon ? h("span", { class: `badge ${days <= 1 ? "warn" : ""}` }, soon) : null),
    h("p", { class: "muted" }, subjectName(item.subject), " · ", w(days < 0 ? "was_due" : "due"), " ",
      h("time", { datetime: item.due_date }, dateText(item.due_date)), h("span", { class: "hijri" }, ` (${hijriText(item.due_date)})`)),
    item.instructions ? h("p", { class: "instructions", dir: "auto" }, item.instructions) : null,
    (item.documents || []).length
      ? h("div", { class: "documents" }, h("h3", {}, w("documents")),
          offline ? h("p", { class: "muted" }, w("offline_documents")) : null,
          h("ul", {}, item.documents.map((doc) =>
            h("li", {}, h("a", { href: doc.url, target: "_blank", rel: "noopener", download: doc.name }, h("bdi", {}, doc.name)),
              " ", h("bdi", { class: "muted", dir: state.lang === "ar" ? "rtl" : "ltr" }, `(${w(`kind_${doc.kind}`)}${w("comma")}${bytesText(doc.size)})`)))))
      : null);
}

export async function render(ctx) {
  const { data, offlineSince } = await load(`${ctx.base}/homework`);
  const items = data.items || [];
  const offline = Boolean(offlineSince);
  const list = h("ul", { class: "homework-list" }, items.map((item) => homeworkItem(item, { offline })));
  const pastBox = h("section", { class: "homework-past", "aria-live": "polite" });
  const pastButton = h("button", { type: "button", class: "secondary" }, w("show_past"));
  pastButton.addEventListener("click", () => whileBusy(pastButton, () => showPast(ctx, pastBox, pastButton)));
  ctx.show(
    offlineSince,
    items.length ? h("p", { class: "homework-count" }, w("upcoming", { n: items.length })) : notice("info", w("none")),
    items.length ? list : null,
    h("div", { class: "actions" }, pastButton),
    pastBox,
  );
  // On a phone the tabs are one row scrolling sideways: show this one.
  document.querySelector(".tabs [aria-current]")?.scrollIntoView({ block: "nearest", inline: "center" });
}

async function showPast(ctx, box, button, cursor = null) {
  try {
    const page = await api("GET", `${ctx.base}/homework?when=past${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    if (!cursor) clear(box, h("h2", {}, w("past")));
    const items = page.items || [];
    if (!cursor && !items.length) box.append(h("p", {}, w("no_past")));
    if (items.length) box.append(h("ul", { class: "homework-list" }, items.map((item) => homeworkItem(item))));
    button.remove();
    if (page.next_cursor) {
      const more = h("button", { type: "button", class: "secondary" }, w("more"));
      more.addEventListener("click", () => whileBusy(more, () => showPast(ctx, box, more, page.next_cursor)));
      box.append(h("div", { class: "actions" }, more));
    }
  } catch (error) {
    box.append(notice("bad", error instanceof NetworkError ? t("network_error") : error.message));
  }
}
