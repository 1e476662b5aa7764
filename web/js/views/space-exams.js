// Space · national and regional exams (the baccalaureate, the regional exams of 1BAC and 3AC):
// per session the calendar of the pupil's track, the exam centre and candidate number, the
// convocation (a PDF in Arabic and French behind a short-lived link) and, from the
// publication time the ministry set, the result. Loaded by space.js for "#/space/<massar>/national".
import { api, clear, dateText, dateTimeText, h, load, notice, state, whileBusy, words } from "../core.js";

export const w = words({
  ar: {
    none: "لا يوجد أي امتحان وطني أو جهوي مسجل لهذا التلميذ.",
    track: "المسلك",
    candidate_number: "رقم الامتحان",
    centre: "مركز الامتحان",
    calendar: "جدولة الامتحان",
    date: "التاريخ",
    time: "التوقيت",
    subject: "المادة",
    convocation: "الاستدعاء (PDF)",
    convocation_ready: "الاستدعاء جاهز: ",
    download: "تحميل",
    result: "النتيجة",
    not_yet: "تعلن النتائج يوم {when}.",
    pending: "النتيجة غير متوفرة بعد.",
    average: "المعدل",
    mention: "الميزة",
    admitted: "ناجح(ة)",
    resit: "مدعو(ة) للدورة الاستدراكية",
    not_admitted: "غير ناجح(ة)",
    absent: "غائب(ة)",
    passable: "مقبول",
    assez_bien: "مستحسن",
    bien: "حسن",
    tres_bien: "حسن جدا",
  },
  fr: {
    none: "Aucun examen national ou régional pour cet élève.",
    track: "Filière",
    candidate_number: "N° d'examen",
    centre: "Centre d'examen",
    calendar: "Calendrier de l'examen",
    date: "Date",
    time: "Horaire",
    subject: "Épreuve",
    convocation: "Convocation (PDF)",
    convocation_ready: "Convocation prête : ",
    download: "Télécharger",
    result: "Résultat",
    not_yet: "Les résultats seront publiés le {when}.",
    pending: "Résultat pas encore disponible.",
    average: "Moyenne",
    mention: "Mention",
    admitted: "Admis(e)",
    resit: "Admis(e) à la session de rattrapage",
    not_admitted: "Non admis(e)",
    absent: "Absent(e)",
    passable: "Passable",
    assez_bien: "Assez bien",
    bien: "Bien",
    tres_bien: "Très bien",
  },
});

const ltr = (text) => h("span", { dir: "ltr" }, text);
const local = (exam, field) => (state.lang === "ar" ? exam[`${field}_ar`] : exam[`${field}_fr`]) || exam[`${field}_fr`] || "";

function resultEl(exam) {
  if (exam.result_status === "not_yet") {
    return notice("info", w("not_yet", { when: exam.results_at ? dateTimeText(exam.results_at) : "—" }));
  }
  if (exam.result_status !== "published" || !exam.result) return notice("info", w("pending"));
  const { decision, average, mention } = exam.result;
  return h("div", { class: `result result-${decision}` },
    h("p", {}, h("strong", {}, w(decision))),
    average ? h("p", {}, w("average"), " : ", ltr(`${average.replace(".", ",")}/20`)) : null,
    mention ? h("p", {}, w("mention"), " : ", w(mention)) : null);
}

function calendarEl(exam) {
  return h("div", { class: "table-wrap" }, h("table", { class: "exams" },
    h("caption", {}, w("calendar")),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, w("date")), h("th", { scope: "col" }, w("time")), h("th", { scope: "col" }, w("subject")))),
    h("tbody", {}, (exam.calendar || []).map((slot) =>
      h("tr", {}, h("td", {}, h("time", { datetime: slot.date }, dateText(slot.date))),
        h("td", {}, ltr(`${slot.starts_at}–${slot.ends_at}`)), h("td", {}, local(slot, "name")))))));
}

function convocationEl(ctx, exam) {
  const out = h("p", { "aria-live": "polite" });
  const button = h("button", { type: "button", class: "secondary" }, w("convocation"));
  button.addEventListener("click", () => whileBusy(button, async () => {
    const answer = await api("GET", `${ctx.base}/exams/national/${encodeURIComponent(exam.session)}/convocation`);
    clear(out);
    out.append(w("convocation_ready"), h("a", { href: answer.url, target: "_blank", rel: "noopener" }, w("download")));
  }));
  return h("div", { class: "actions" }, button, out);
}

function examEl(ctx, exam) {
  const centre = exam.centre || {};
  return h("section", { class: "card national-exam" },
    h("h2", {}, local(exam, "name"), " ", ltr(exam.school_year)),
    h("dl", {},
      h("dt", {}, w("track")), h("dd", {}, ltr(exam.track)),
      h("dt", {}, w("candidate_number")), h("dd", {}, ltr(exam.candidate_number)),
      h("dt", {}, w("centre")), h("dd", {}, local(centre, "name"), " ", ltr(`(${centre.code || ""})`))),
    calendarEl(exam),
    convocationEl(ctx, exam),
    h("h3", {}, w("result")),
    resultEl(exam));
}

export async function render(ctx) {
  const { data, offlineSince } = await load(`${ctx.base}/exams/national`);
  const items = data.items || [];
  ctx.show(offlineSince, items.length ? items.map((exam) => examEl(ctx, exam)) : notice("info", w("none")));
}
