// Desk · appointments: the requests of parents and pupils; approve one at a date and time
// typed on Morocco's clock (the server finds that date's offset) or decline it with a
// reason. The requester is emailed.
import { api, dateTimeText, field, formValues, h, notice, ready, showErrors, title, wallTimeText, whileBusy, words } from "../core.js";
import { codeEl, pupilNames, tryLoad, w as dw } from "./desk.js";

const w = words({
  ar: {
    title: "طلبات المواعيد",
    status: "الحالة",
    pending: "في الانتظار", approved: "مقبول", declined: "مرفوض",
    show: "عرض",
    empty: "لا يوجد أي طلب موعد.",
    purpose: "الغرض",
    school_certificate: "شهادة مدرسية", meeting: "لقاء",
    requester: "صاحب الطلب",
    pupil: "التلميذ(ة)",
    note: "ملاحظة",
    asked_at: "تاريخ الطلب",
    scheduled_at: "تاريخ ووقت الموعد",
    scheduled_hint: "بتوقيت المغرب",
    approve: "تأكيد الموعد",
    decline: "رفض الطلب",
    reason: "سبب الرفض",
    approved_notice: "تم تأكيد الموعد يوم {when}. أُخبر صاحب الطلب.",
    declined_notice: "تم رفض الطلب. أُخبر صاحب الطلب.",
  },
  fr: {
    title: "Demandes de rendez-vous",
    status: "Statut",
    pending: "En attente", approved: "Confirmé", declined: "Refusé",
    show: "Afficher",
    empty: "Aucune demande de rendez-vous.",
    purpose: "Objet",
    school_certificate: "Certificat de scolarité", meeting: "Entretien",
    requester: "Demandeur",
    pupil: "Élève",
    note: "Note",
    asked_at: "Demandé le",
    scheduled_at: "Date et heure du rendez-vous",
    scheduled_hint: "Heure du Maroc",
    approve: "Confirmer le rendez-vous",
    decline: "Refuser la demande",
    reason: "Motif du refus",
    approved_notice: "Rendez-vous confirmé le {when}. Le demandeur est prévenu.",
    declined_notice: "Demande refusée. Le demandeur est prévenu.",
  },
});

const STATUSES = ["pending", "approved", "declined"];
let shown = "pending";

export async function render(section, { code }) {
  const filter = h("form", { novalidate: true, class: "filter" },
    field("status", w("status"), { options: STATUSES.map((s) => [s, w(s)]), value: shown }),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "secondary" }, w("show"))));
  const box = h("div", {});
  section.append(title(w("title")), filter, box);
  filter.addEventListener("submit", (event) => {
    event.preventDefault();
    whileBusy(filter.querySelector("button"), async () => {
      shown = formValues(filter).status || "pending";
      await list(box, code);
    });
  });
  await list(box, code);
}

async function list(box, code) {
  box.replaceChildren();
  const page = await tryLoad(`/v1/schools/${code}/appointments?status=${encodeURIComponent(shown)}`, box);
  if (page) {
    if (!page.items.length) box.append(h("p", {}, w("empty")));
    else box.append(h("ul", { class: "appointments" }, page.items.map(item)));
  }
  ready("desk-appointments");
}

function badge(status) {
  return h("span", { class: `badge ${{ pending: "warn", approved: "good", declined: "bad" }[status] || ""}` }, w(status));
}

function item(appointment) {
  const li = h("li", { class: "appointment" },
    h("h2", {}, w(appointment.purpose), " ", badge(appointment.status)),
    h("dl", { class: "facts" },
      appointment.pupil ? [h("dt", {}, w("pupil")), h("dd", { class: "pupil" }, pupilNames(appointment.pupil))] : null,
      h("dt", {}, dw("massar_code")), h("dd", {}, codeEl(appointment.massar_code)),
      appointment.requester ? [h("dt", {}, w("requester")), h("dd", {}, h("bdi", {}, appointment.requester))] : null,
      appointment.note ? [h("dt", {}, w("note")), h("dd", { dir: "auto" }, appointment.note)] : null,
      h("dt", {}, w("asked_at")), h("dd", {}, dateTimeText(appointment.created_at)),
      appointment.scheduled_at ? [h("dt", {}, w("scheduled_at")), h("dd", { class: "scheduled" }, wallTimeText(appointment.scheduled_local) || dateTimeText(appointment.scheduled_at))] : null,
      appointment.reason ? [h("dt", {}, w("reason")), h("dd", { dir: "auto" }, appointment.reason)] : null));
  if (appointment.status === "pending") li.append(decisionForms(appointment, li));
  return li;
}

function decisionForms(appointment, li) {
  const path = `/v1/appointments/${encodeURIComponent(appointment.id)}`;
  const approve = h("form", { novalidate: true, class: "approve" },
    field("scheduled_local", w("scheduled_at"), { type: "datetime-local", required: true, hint: w("scheduled_hint") }),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, w("approve"))));
  const decline = h("form", { novalidate: true, class: "decline" },
    field("reason", w("reason"), { type: "textarea", required: true, attrs: { maxlength: 500 } }),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "danger" }, w("decline"))));
  const forms = h("div", { class: "decision" }, approve, h("details", {}, h("summary", {}, w("decline")), decline));

  function done(message) {
    const status = notice("good", message);
    forms.replaceWith(status);
  }

  approve.addEventListener("submit", (event) => {
    event.preventDefault();
    whileBusy(approve.querySelector("button"), async () => {
      const local = formValues(approve).scheduled_local; // "2026-11-25T10:30", Morocco's clock
      if (!local) {
        showErrors(approve, { message: dw("required"), fields: { scheduled_local: dw("required") } });
        return;
      }
      try {
        const answer = await api("POST", `${path}/approve`, { body: { scheduled_local: local } });
        li.querySelector("h2 .badge")?.replaceWith(badge("approved"));
        done(w("approved_notice", { when: wallTimeText(answer?.scheduled_local || local) }));
      } catch (error) {
        showErrors(approve, error);
      }
    });
  });
  decline.addEventListener("submit", (event) => {
    event.preventDefault();
    whileBusy(decline.querySelector("button"), async () => {
      const { reason } = formValues(decline);
      if (!reason) {
        showErrors(decline, { message: dw("required"), fields: { reason: dw("required") } });
        return;
      }
      try {
        await api("POST", `${path}/decline`, { body: { reason } });
        li.querySelector("h2 .badge")?.replaceWith(badge("declined"));
        done(w("declined_notice"));
      } catch (error) {
        showErrors(decline, error);
      }
    });
  });
  return forms;
}
