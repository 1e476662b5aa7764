// Desk · preliminary registrations: the school's applications with filters and a name
// search (Arabic or Latin), one application in full, approve or reject it.
import { NetworkError, api, bothCalendars, busy, choice, clearErrors, dateTimeText, field, formValues, h, newKey, notice, ready, showErrors, state, t, title, whileBusy, words } from "../core.js";
import { add, bothNames, codeEl, errorNotice, tryLoad, w as dw } from "./desk.js";

const w = words({
  ar: {
    title: "طلبات التسجيل الأولي",
    name: "الاسم",
    filters: "تصفية الطلبات",
    status: "الحالة",
    submitted: "في انتظار القرار", approved: "مقبول", rejected: "مرفوض",
    age_eligible: "السن القانوني",
    in_catchment: "داخل مجال الاستقطاب",
    q: "اسم الطفل (بالعربية أو بالحروف اللاتينية)",
    filter: "بحث",
    child: "الطفل(ة)",
    birth_date: "تاريخ الازدياد",
    commune: "الجماعة",
    checks: "المراقبة",
    age_ok: "السن مطابق", age_ko: "السن غير مطابق",
    area_ok: "داخل المجال", area_ko: "خارج المجال",
    count: "{n} طلب",
    empty: "لا يوجد أي طلب.",
    back_list: "الرجوع إلى لائحة الطلبات",
    application: "الطلب",
    consent: "موافقة الولي (القانون 09-08)",
    consent_at: "{date}، الإشعار",
    school_year: "السنة الدراسية",
    submitted_at: "تاريخ الإيداع",
    gender: "الجنس", M: "ذكر", F: "أنثى",
    birth_date_hijri: "تاريخ الازدياد بالهجري",
    birth_place: "مكان الازدياد",
    birth_certificate: "رسم الولادة",
    birth_certificate_number: "رقم رسم الولادة",
    birth_certificate_date: "تاريخ رسم الولادة",
    photo: "الصورة",
    photo_given: "صورة مرفقة (لا يمكن عرضها هنا)",
    no_photo: "بدون صورة",
    residence: "السكن",
    district: "المقاطعة",
    address: "العنوان",
    father: "الأب", mother: "الأم", guardian: "الولي",
    responsible: "الولي المسؤول",
    filiation: "النسب",
    cin: "رقم البطاقة الوطنية",
    profession: "المهنة",
    phone: "الهاتف",
    email: "البريد الإلكتروني",
    siblings: "الإخوة",
    notifications: "الرسائل المرسلة",
    decision: "القرار",
    decided_at: "تاريخ القرار",
    decided_by: "بواسطة",
    reason: "سبب الرفض",
    note: "ملاحظة",
    under_age: "السن غير مطابق",
    out_of_catchment: "السكن خارج مجال المؤسسة",
    other: "سبب آخر",
    approve: "قبول الطلب",
    approve_hint: "يُنشأ ملف التلميذ برمز مسار جديد ويُخبَر الولي.",
    reject: "رفض الطلب",
    note_required: "الملاحظة إجبارية عند اختيار سبب آخر.",
    note_hint: "إجبارية عند اختيار «سبب آخر»؛ تُرسل إلى الولي.",
    reason_required: "اختر سبب الرفض.",
    approved_notice: "تم قبول الطلب. رمز مسار التلميذ(ة):",
    rejected_notice: "تم رفض الطلب، وسيُخبَر الولي.",
    confirm_approve: "قبول الطلب قرار نهائي: يُنشأ ملف التلميذ(ة) ويُخبَر الولي. هل تؤكدون؟",
    confirm_reject: "رفض الطلب قرار نهائي ويُخبَر الولي بسببه. هل تؤكدون؟",
    yes_approve: "نعم، أؤكد القبول",
    yes_reject: "نعم، أؤكد الرفض",
  },
  fr: {
    title: "Demandes de préinscription",
    name: "Nom",
    filters: "Filtrer les demandes",
    status: "Statut",
    submitted: "En attente de décision", approved: "Approuvée", rejected: "Rejetée",
    age_eligible: "Âge légal",
    in_catchment: "Dans le secteur de l'école",
    q: "Nom de l'enfant (en arabe ou en lettres latines)",
    filter: "Rechercher",
    child: "Enfant",
    birth_date: "Date de naissance",
    commune: "Commune",
    checks: "Contrôles",
    age_ok: "Âge conforme", age_ko: "Âge non conforme",
    area_ok: "Dans le secteur", area_ko: "Hors secteur",
    count: "{n} demande(s)",
    empty: "Aucune demande.",
    back_list: "Retour à la liste des demandes",
    application: "Demande",
    consent: "Consentement du responsable (loi 09-08)",
    consent_at: "{date}, notice",
    school_year: "Année scolaire",
    submitted_at: "Déposée le",
    gender: "Sexe", M: "Garçon", F: "Fille",
    birth_date_hijri: "Date de naissance (hégirien)",
    birth_place: "Lieu de naissance",
    birth_certificate: "Acte de naissance",
    birth_certificate_number: "N° d'acte de naissance",
    birth_certificate_date: "Date de l'acte",
    photo: "Photo",
    photo_given: "Photo jointe (aperçu indisponible ici)",
    no_photo: "Sans photo",
    residence: "Résidence",
    district: "Arrondissement",
    address: "Adresse",
    father: "Père", mother: "Mère", guardian: "Tuteur",
    responsible: "Responsable légal",
    filiation: "Filiation",
    cin: "CIN",
    profession: "Profession",
    phone: "Téléphone",
    email: "E-mail",
    siblings: "Frères et sœurs",
    notifications: "Messages envoyés",
    decision: "Décision",
    decided_at: "Décidée le",
    decided_by: "Par",
    reason: "Motif du rejet",
    note: "Note",
    under_age: "Âge non conforme",
    out_of_catchment: "Résidence hors secteur",
    other: "Autre motif",
    approve: "Approuver la demande",
    approve_hint: "Le dossier de l'élève est créé avec un nouveau code Massar ; le tuteur est prévenu.",
    reject: "Rejeter la demande",
    note_required: "La note est obligatoire pour un autre motif.",
    note_hint: "Obligatoire pour « Autre motif » ; elle est envoyée au tuteur.",
    reason_required: "Choisissez le motif du rejet.",
    approved_notice: "Demande approuvée. Code Massar de l'élève :",
    rejected_notice: "Demande rejetée ; le tuteur sera prévenu.",
    confirm_approve: "L'approbation est définitive : le dossier de l'élève est créé et le tuteur prévenu. Confirmer ?",
    confirm_reject: "Le rejet est définitif et le tuteur en reçoit le motif. Confirmer ?",
    yes_approve: "Oui, approuver",
    yes_reject: "Oui, rejeter",
  },
});

// The list's filters survive a visit to one application and back.
let filters = { status: "submitted" };

export async function render(section, { code, params }) {
  if (params[0]) return renderOne(section, code, params[0]);
  return renderList(section, code);
}

function statusBadge(status) {
  const kind = { approved: "good", rejected: "bad", submitted: "warn" }[status] || "";
  return h("span", { class: `badge ${kind}` }, w(status));
}

function checkBadges(checks) {
  return h("span", { class: "checks" },
    h("span", { class: `badge ${checks.age_eligible ? "good" : "bad"}` }, w(checks.age_eligible ? "age_ok" : "age_ko")),
    " ",
    h("span", { class: `badge ${checks.in_catchment ? "good" : "bad"}` }, w(checks.in_catchment ? "area_ok" : "area_ko")));
}

function yesNo(name, label, value) {
  return field(name, label, { options: [["true", w("yes")], ["false", w("no")]], value });
}

async function renderList(section, code) {
  const form = h("form", { role: "search", novalidate: true, "aria-label": w("filters") },
    h("div", { class: "row" },
      field("status", w("status"), { options: ["submitted", "approved", "rejected"].map((s) => [s, w(s)]), value: filters.status || "" }),
      yesNo("age_eligible", w("age_eligible"), filters.age_eligible || ""),
      yesNo("in_catchment", w("in_catchment"), filters.in_catchment || "")),
    field("q", w("q"), { type: "search", value: filters.q || "", attrs: { autocomplete: "off", maxlength: 100 } }),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, w("filter"))));
  const results = h("div", { class: "results", "aria-live": "polite" });
  section.append(title(w("title")), form, results);

  async function show(button) {
    busy();
    clearErrors(form);
    const values = formValues(form);
    filters = values;
    const query = new URLSearchParams();
    for (const key of ["status", "age_eligible", "in_catchment", "q"]) if (values[key]) query.set(key, values[key]);
    try {
      const first = await api("GET", `/v1/schools/${code}/registrations?${query}`);
      results.replaceChildren();
      showPage(results, code, query, first);
    } catch (error) {
      results.replaceChildren();
      if (error.fields && Object.keys(error.fields).length) showErrors(form, error);
      else results.append(errorNotice(error));
    }
    ready("desk-applications");
    return button;
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    whileBusy(form.querySelector("button[type=submit]"), () => show());
  });
  await show();
}

function showPage(results, code, query, answer) {
  // On a phone each row is a card (table.stack), each cell under its column's name.
  const rows = answer.items.map((item) => h("tr", {},
    h("td", {}, h("a", { href: `#/desk/applications/${encodeURIComponent(item.id)}` }, bothNames(item.child?.name_ar, item.child?.name_lat))),
    h("td", { "data-label": w("birth_date") }, bothCalendars(item.birth_date)),
    h("td", { "data-label": w("commune") }, h("bdi", {}, item[`commune_name_${state.lang}`] || item.commune)),
    h("td", { "data-label": w("checks") }, checkBadges(item.checks)),
    h("td", { "data-label": w("status") }, statusBadge(item.status))));
  let tbody = results.querySelector("tbody");
  if (!tbody) {
    if (!rows.length) {
      results.append(h("p", { class: "empty" }, w("empty")));
      return;
    }
    tbody = h("tbody", {});
    results.append(h("div", { class: "table-wrap" }, h("table", { class: "stack" },
      h("thead", {}, h("tr", {}, [w("child"), w("birth_date"), w("commune"), w("checks"), w("status")].map((text) => h("th", { scope: "col" }, text)))),
      tbody)));
  }
  tbody.append(...rows);
  results.querySelector("button.more")?.remove();
  if (answer.next_cursor) {
    const more = h("button", { type: "button", class: "secondary more" }, dw("more"));
    more.addEventListener("click", () => whileBusy(more, async () => {
      const next = new URLSearchParams(query);
      next.set("cursor", answer.next_cursor);
      try {
        showPage(results, code, query, await api("GET", `/v1/schools/${code}/registrations?${next}`));
      } catch (error) {
        results.append(errorNotice(error));
      }
    }));
    results.append(more);
  }
}

// --- One application ----------------------------------------------------------------------

function facts(pairs) {
  const items = pairs.filter(([, value]) => value !== undefined && value !== null && value !== "");
  // Text the family typed (an address, a note) takes its own direction.
  return h("dl", { class: "facts" }, items.map(([label, value]) => [h("dt", {}, label), h("dd", typeof value === "string" ? { dir: "auto" } : {}, value)]));
}

function personBlock(key, person, responsibleRole) {
  if (!person) return null;
  return h("section", { class: "person" },
    h("h3", {}, w(key), responsibleRole === key ? [" ", h("span", { class: "badge good" }, w("responsible"))] : null),
    facts([
      [w("name"), bothNames([person.first_name_ar, person.last_name_ar].filter(Boolean).join(" "), [person.first_name_lat, person.last_name_lat].filter(Boolean).join(" "))],
      [w("filiation"), person.filiation_ar || person.filiation_lat ? bothNames(person.filiation_ar, person.filiation_lat) : null],
      [w("cin"), person.cin ? h("bdi", { dir: "ltr" }, person.cin) : null],
      [w("profession"), person.profession],
      [w("address"), person.address],
      [w("phone"), person.phone ? h("bdi", { dir: "ltr" }, person.phone) : null],
      [w("email"), person.email ? h("bdi", { dir: "ltr" }, person.email) : null],
    ]));
}

async function renderOne(section, code, id, flash) {
  const box = h("div", {});
  const data = await tryLoad(`/v1/registrations/${encodeURIComponent(id)}`, box);
  const back = h("p", {}, h("a", { href: "#/desk/applications" }, w("back_list")));
  if (!data) {
    section.append(title(w("application")), box, back);
    ready("desk-application");
    return;
  }
  const app = data.application || {};
  const child = app.child || data.child || {};
  const childAr = [child.first_name_ar, child.last_name_ar].filter(Boolean).join(" ");
  const childLat = [child.first_name_lat, child.last_name_lat].filter(Boolean).join(" ");
  const residence = app.residence || {};
  const photoUrl = data.photo_url || app.photo_url;
  const photo = photoUrl
    ? h("img", { class: "photo-preview", src: photoUrl, alt: `${w("photo")} · ${childLat || childAr}` })
    : app.photo_key ? w("photo_given") : w("no_photo");

  const heading = title(state_name(childAr, childLat));
  add(section, back, heading, flash,
    h("p", {}, statusBadge(data.status), " ", checkBadges(data.checks)),
    facts([
      [w("school_year"), data.school_year],
      [w("submitted_at"), dateTimeText(data.submitted_at)],
      [w("consent"), app.consent?.data_protection ? [w("consent_at", { date: dateTimeText(data.submitted_at) }), " ", h("bdi", { dir: "ltr" }, app.consent.version)] : null],
    ]),
    h("h2", {}, w("child")),
    facts([
      [w("child"), bothNames(childAr, childLat)],
      [w("gender"), child.gender ? w(child.gender) : null],
      [w("birth_date"), child.birth_date ? bothCalendars(child.birth_date) : null],
      [w("birth_date_hijri"), child.birth_date_hijri ? h("bdi", { dir: "ltr" }, child.birth_date_hijri) : null],
      [w("birth_place"), child.birth_place],
      [w("birth_certificate_number"), child.birth_certificate_number ? h("bdi", { dir: "ltr" }, child.birth_certificate_number) : null],
      [w("birth_certificate_date"), child.birth_certificate_date ? bothCalendars(child.birth_certificate_date) : null],
      [w("photo"), photo],
    ]),
    h("h2", {}, w("residence")),
    facts([
      [w("commune"), h("bdi", {}, placeName(data.residence?.commune) || residence.commune || "")],
      [w("district"), residence.district ? h("bdi", {}, placeName(data.residence?.district) || residence.district) : null],
      [w("address"), residence.address],
    ]),
    personBlock("father", app.father, app.guardian_role),
    personBlock("mother", app.mother, app.guardian_role),
    personBlock("guardian", app.guardian, app.guardian_role),
    app.siblings?.length
      ? [h("h2", {}, w("siblings")), h("ul", {}, app.siblings.map((s) => h("li", {}, bothNames([s.first_name_ar, s.last_name_ar].join(" "), [s.first_name_lat, s.last_name_lat].join(" ")), " — ", bothCalendars(s.birth_date))))]
      : null,
    data.notifications?.length
      ? [h("h2", {}, w("notifications")), h("ul", {}, data.notifications.map((n) => h("li", {}, n.summary || `${n.template} · ${n.channel} · ${n.status}`)))]
      : null);

  if (data.status === "submitted") section.append(decisionForms(section, code, data));
  else {
    section.append(h("h2", {}, w("decision")), facts([
      [w("status"), statusBadge(data.status)],
      [dw("massar_code"), data.massar_code ? codeEl(data.massar_code) : null],
      [w("reason"), data.rejection_reason ? w(data.rejection_reason) : null],
      [w("note"), data.rejection_note],
      [w("decided_at"), data.decided_at ? dateTimeText(data.decided_at) : null],
      [w("decided_by"), data.decided_by ? h("bdi", {}, data.decided_by) : null],
    ]));
  }
  ready("desk-application");
}

// An official place's name in the reader's language (the API names them beside the codes).
function placeName(place) {
  return place ? place[`name_${state.lang}`] : null;
}

function state_name(ar, lat) {
  return [lat, ar].filter(Boolean).join(" · ") || w("application");
}

function decisionForms(section, code, data) {
  const id = data.id;
  // One key per decision attempt; a definite answer (not a lost one) frees it.
  let approveKey = newKey();
  let rejectKey = newKey();

  async function redraw(flash) {
    busy();
    section.replaceChildren();
    await renderOne(section, code, id, flash);
    section.querySelector("h1")?.focus();
  }

  function failed(form, error) {
    if (error.code === "already_decided") {
      clearErrors(form);
      const reload = h("button", { type: "button", class: "secondary" }, dw("reload"));
      reload.addEventListener("click", () => redraw());
      const alert = h("div", { class: "form-error notice bad", role: "alert", tabindex: "-1" }, error.message, " ", reload);
      form.prepend(alert);
      alert.focus();
    } else showErrors(form, error);
  }

  // A decision is final: the form's button asks first, in the form, with the way back.
  function confirmFirst(form, question, yes, kind, work) {
    const actions = form.querySelector(".actions");
    const cancel = h("button", { type: "button", class: "secondary" }, t("cancel"));
    const confirm = h("button", { type: "button", class: `${kind} confirm` }, yes);
    const box = h("div", { class: "confirm-box notice warn", role: "group", "aria-label": question }, h("p", {}, question), h("div", { class: "actions" }, confirm, cancel));
    const close = () => {
      box.remove();
      actions.hidden = false;
      actions.querySelector("button").focus();
    };
    cancel.addEventListener("click", close);
    confirm.addEventListener("click", () => whileBusy(confirm, async () => {
      await work();
      if (box.isConnected) { // refused: the form's message keeps the focus
        box.remove();
        actions.hidden = false;
      }
    }));
    actions.hidden = true;
    actions.after(box);
    confirm.focus();
  }

  const approveForm = h("form", { class: "approve", novalidate: true },
    h("h2", {}, w("approve")),
    h("p", { class: "hint" }, w("approve_hint")),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, w("approve"))));
  approveForm.addEventListener("submit", (event) => {
    event.preventDefault();
    clearErrors(approveForm);
    confirmFirst(approveForm, w("confirm_approve"), w("yes_approve"), "primary", async () => {
      try {
        const answer = await api("POST", `/v1/registrations/${encodeURIComponent(id)}/approve`, { key: approveKey });
        await redraw(notice("good", w("approved_notice"), " ", codeEl(answer.massar_code || "")));
      } catch (error) {
        if (!(error instanceof NetworkError)) approveKey = newKey();
        failed(approveForm, error);
      }
    });
  });

  const reasons = ["under_age", "out_of_catchment", "other"].map((r) => [r, w(r)]);
  const rejectForm = h("form", { class: "reject", novalidate: true },
    h("h2", {}, w("reject")),
    choice("reason", w("reason"), reasons, null),
    field("note", w("note"), { type: "textarea", hint: w("note_hint"), attrs: { maxlength: 500 } }),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "danger" }, w("reject"))));
  rejectForm.addEventListener("submit", (event) => {
    event.preventDefault();
    whileBusy(rejectForm.querySelector("button"), async () => {
      const values = formValues(rejectForm);
      const missing = {};
      if (!values.reason) missing.reason = w("reason_required");
      else if (values.reason === "other" && !values.note) missing.note = w("note_required");
      if (Object.keys(missing).length) {
        showErrors(rejectForm, { message: Object.values(missing)[0], fields: missing });
        return;
      }
      clearErrors(rejectForm);
      confirmFirst(rejectForm, w("confirm_reject"), w("yes_reject"), "danger", async () => {
        try {
          await api("POST", `/v1/registrations/${encodeURIComponent(id)}/reject`, {
            body: { reason: formValues(rejectForm).reason, note: formValues(rejectForm).note || null },
            key: rejectKey,
          });
          await redraw(notice("good", w("rejected_notice")));
        } catch (error) {
          if (!(error instanceof NetworkError)) rejectKey = newKey();
          failed(rejectForm, error);
        }
      });
    });
  });
  return h("div", { class: "decision" }, approveForm, rejectForm);
}
