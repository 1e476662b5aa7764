// Desk · absences: one sheet per class session (a box per pupil), sent once with an
// Idempotency-Key; then, on demand, the class's justifications waiting for a decision.
import { NetworkError, api, clearErrors, dateText, field, formValues, h, newKey, notice, showErrors, title, whileBusy, words } from "../core.js";
import { add, codeEl, errorNotice, perClassPage, pupilNames, subjectName, subjectOptions, todayIso, tryLoad, w as dw } from "./desk.js";

const w = words({
  ar: {
    title: "الغياب",
    sheet: "ورقة الغياب",
    date: "التاريخ",
    session: "الحصة",
    session_hint: "الساعة بصيغة 08:00-09:00",
    subject: "المادة",
    absent: "غائب(ة)",
    justified: "غياب مبرر",
    record: "تسجيل الغياب",
    recorded: "تم تسجيل ورقة الغياب: {n#absences}.",
    absences: { zero: "0 غياب", one: "غياب واحد", two: "غيابان", few: "# غيابات", many: "# غيابا", other: "# غياب" },
    nobody: "تم تسجيل الحصة بدون أي غياب.",
    new_absence: "جديد",
    already: "مسجل من قبل",
    alerted: "أُرسلت رسالة قصيرة إلى الولي",
    pending_title: "تبريرات في انتظار القرار",
    pending_show: "عرض تبريرات هذا القسم",
    pending_none: "لا توجد تبريرات في انتظار القرار.",
    justification: "التبرير",
    sent_at: "أُرسل في",
    photo: "صورة التبرير",
    accept: "قبول التبرير",
    refuse: "رفض التبرير",
    refuse_reason: "سبب الرفض (يظهر للولي)",
    accepted: "تم قبول التبرير.",
    refused: "تم رفض التبرير.",
  },
  fr: {
    title: "Absences",
    sheet: "Feuille d'absences",
    date: "Date",
    session: "Séance",
    session_hint: "Horaire au format 08:00-09:00",
    subject: "Matière",
    absent: "Absent(e)",
    justified: "Absence justifiée",
    record: "Enregistrer les absences",
    recorded: "Feuille enregistrée : {n#absences}.",
    absences: { one: "# absence", other: "# absences" },
    nobody: "Séance enregistrée sans aucune absence.",
    new_absence: "nouvelle",
    already: "déjà enregistrée",
    alerted: "SMS envoyé au tuteur",
    pending_title: "Justificatifs en attente",
    pending_show: "Voir les justificatifs de cette classe",
    pending_none: "Aucun justificatif en attente.",
    justification: "Justificatif",
    sent_at: "Envoyé le",
    photo: "Photo du justificatif",
    accept: "Accepter le justificatif",
    refuse: "Refuser le justificatif",
    refuse_reason: "Motif du refus (montré au parent)",
    accepted: "Justificatif accepté.",
    refused: "Justificatif refusé.",
  },
});

export async function render(section, { code }) {
  await perClassPage(section, code, w("title"), "desk-absences", renderSheet);
}

async function renderSheet(box, code, classId, subjects, level) {
  const pupils = await tryLoad(`/v1/schools/${code}/classes/${encodeURIComponent(classId)}/pupils`, box);
  if (!pupils) return;
  if (!pupils.items.length) {
    box.append(notice("warn", dw("no_pupils")));
    return;
  }
  const names = new Map(pupils.items.map((p) => [p.massar_code, p]));
  const rows = pupils.items.map((pupil, index) => {
    const absentId = `absent-${index}`;
    const justifiedId = `justified-${index}`;
    const absent = h("input", { type: "checkbox", id: absentId, name: `absent.${index}`, value: pupil.massar_code });
    const justified = h("input", { type: "checkbox", id: justifiedId, name: `justified.${index}`, value: pupil.massar_code, disabled: true });
    absent.addEventListener("change", () => {
      justified.disabled = !absent.checked;
      if (!absent.checked) justified.checked = false;
    });
    return h("tr", {},
      h("th", { scope: "row" }, pupilNames(pupil), h("br"), h("bdi", { class: "muted", dir: "ltr" }, pupil.massar_code)),
      h("td", {}, h("label", { for: absentId }, absent, w("absent"))),
      h("td", {}, h("label", { for: justifiedId }, justified, w("justified"))));
  });
  let key = newKey(); // one per sheet: a lost answer's retry does not record twice
  const form = h("form", { novalidate: true, class: "absence-sheet" },
    h("h2", {}, w("sheet")),
    h("div", { class: "row" },
      field("date", w("date"), { type: "date", required: true, value: todayIso() }),
      field("session", w("session"), { required: true, value: "08:00-09:00", hint: w("session_hint"), attrs: { dir: "ltr", autocomplete: "off", maxlength: 11 } }),
      field("subject", w("subject"), { options: subjectOptions(subjects, level) })),
    h("div", { class: "table-wrap" }, h("table", {},
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, dw("pupil")), h("th", { scope: "col" }, w("absent")), h("th", { scope: "col" }, w("justified")))),
      h("tbody", {}, rows))),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, w("record"))));
  const result = h("div", { class: "result" });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    whileBusy(form.querySelector("button[type=submit]"), async () => {
      clearErrors(form);
      result.replaceChildren();
      const values = formValues(form);
      const absent = Array.from(form.querySelectorAll("input[name^='absent.']:checked"), (box) => ({
        massar_code: box.value,
        justified: Boolean(form.querySelector(`input[name='justified.${box.name.split(".")[1]}']`)?.checked),
      }));
      const missing = {};
      if (!values.date) missing.date = dw("required");
      if (!values.session) missing.session = dw("required");
      if (Object.keys(missing).length) {
        showErrors(form, { message: dw("required"), fields: missing });
        return;
      }
      try {
        const answer = await api("POST", `/v1/schools/${code}/classes/${encodeURIComponent(classId)}/absences`, {
          body: { date: values.date, session: values.session, subject: values.subject || null, absent },
          key,
        });
        key = newKey(); // the next sheet is another request
        const items = answer.absences || [];
        add(result, notice("good", items.length ? w("recorded", { n: items.length }) : w("nobody"), " ",
          `${dateText(values.date)} · `, h("bdi", { dir: "ltr" }, values.session), values.subject ? ` · ${subjectName(subjects, values.subject)}` : ""),
        items.length ? h("ul", { class: "recorded" }, items.map((item) => h("li", {},
          names.has(item.massar_code) ? [pupilNames(names.get(item.massar_code)), " · "] : null, codeEl(item.massar_code), " — ",
          h("span", { class: `badge ${item.created ? "warn" : ""}` }, w(item.created ? "new_absence" : "already")),
          item.justified ? [" ", h("span", { class: "badge good" }, w("justified"))] : null,
          item.alerted ? [" ", h("span", { class: "badge" }, w("alerted"))] : null))) : null);
      } catch (error) {
        if (!(error instanceof NetworkError)) key = newKey();
        showErrors(form, error);
      }
    });
  });
  box.append(form, result, pendingSection(pupils.items));
}

// --- Justifications waiting for a decision (no school-wide list: one call per pupil) ---------

function pendingSection(pupils) {
  const list = h("div", { class: "pending", "aria-live": "polite" });
  const button = h("button", { type: "button", class: "secondary" }, w("pending_show"));
  button.addEventListener("click", () => whileBusy(button, async () => {
    list.replaceChildren();
    const found = [];
    const queue = [...pupils];
    const failures = [];
    async function worker() {
      while (queue.length) {
        const pupil = queue.shift();
        try {
          const answer = await api("GET", `/v1/students/${encodeURIComponent(pupil.massar_code)}/absences`);
          for (const absence of answer.items || []) if (absence.justification?.status === "pending") found.push({ pupil, absence });
        } catch (error) {
          failures.push(error);
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(4, pupils.length) }, worker));
    if (failures.length) list.append(errorNotice(failures[0]));
    if (!found.length) {
      list.append(h("p", {}, w("pending_none")));
      return;
    }
    list.append(h("ul", { class: "justifications" }, found.map(justificationItem)));
  }));
  return h("section", {}, h("h2", {}, w("pending_title")), button, list);
}

function justificationItem({ pupil, absence }) {
  const j = absence.justification;
  const item = h("li", {});
  const form = h("form", { novalidate: true },
    field("reason", w("refuse_reason"), { attrs: { maxlength: 300 } }),
    h("div", { class: "actions" },
      h("button", { type: "submit", class: "primary", value: "accept" }, w("accept")),
      h("button", { type: "submit", class: "danger", value: "refuse" }, w("refuse"))));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const accept = event.submitter?.value !== "refuse";
    whileBusy(event.submitter || form.querySelector("button"), async () => {
      const reason = formValues(form).reason || null;
      try {
        await api("POST", `/v1/absences/${encodeURIComponent(absence.id)}/justification/${accept ? "accept" : "refuse"}`, { body: { reason } });
        form.replaceWith(notice("good", w(accept ? "accepted" : "refused")));
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  item.append(
    h("p", {}, pupilNames(pupil), " · ", codeEl(pupil.massar_code), " — ", dateText(absence.date), " · ", h("bdi", { dir: "ltr" }, absence.session)),
    h("dl", { class: "facts" },
      h("dt", {}, w("justification")), h("dd", {}, j.text),
      j.sent_at ? [h("dt", {}, w("sent_at")), h("dd", {}, dateText(j.sent_at))] : null,
      j.photo_url ? [h("dt", {}, w("photo")), h("dd", {}, h("a", { href: j.photo_url, target: "_blank", rel: "noopener" }, w("photo")))] : null),
    form);
  return item;
}
