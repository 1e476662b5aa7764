// Desk · transfers: ask for a pupil enrolled at another school (the receiving school),
// follow the requests made (incoming: cancel one still open) and decide those made for
// the school's own pupils (outgoing: release, or refuse with a reason; both confirmed).
// "#/desk/transfers/ask/<massar>[/<class_id>]" opens the request already filled in.
import { api, clearErrors, dateTimeText, field, formValues, h, load, newKey, notice, ready, showErrors, state, t, title, whileBusy, words } from "../core.js";
import { codeEl, pupilNames, tryLoad, w as dw } from "./desk.js";

const w = words({
  ar: {
    title: "الانتقالات",
    ask: "طلب انتقال تلميذ(ة) إلى مؤسستنا",
    ask_hint: "التلميذ(ة) مسجل(ة) بمؤسسة أخرى: تقرر مؤسسته(ا) الحالية قبول الانتقال أو رفضه، ويُخبَر ولي الأمر.",
    massar_hint: "مثال: \u2066J130012345\u2069",
    class_id: "القسم المستقبِل",
    note: "ملاحظة للمؤسسة الحالية",
    send: "إرسال الطلب",
    asked: "أُرسل طلب انتقال التلميذ(ة) {code} إلى مؤسسته(ا) الحالية.",
    incoming: "طلباتنا (تلاميذ قادمون)",
    outgoing: "طلبات تخص تلاميذنا (تلاميذ مغادرون)",
    none_in: "لا توجد طلبات انتقال من مؤسستنا.",
    none_out: "لا توجد طلبات انتقال لتلاميذ مؤسستنا.",
    from: "من",
    to: "إلى",
    asked_on: "تاريخ الطلب",
    decided_on: "تاريخ القرار",
    reason: "سبب الرفض",
    requested: "في انتظار القرار",
    released: "مقبول",
    refused: "مرفوض",
    cancelled: "ملغى",
    release: "قبول الانتقال",
    refuse: "رفض الانتقال",
    cancel_request: "إلغاء الطلب",
    confirm_release: "سينتقل ملف التلميذ(ة) {code} إلى {school} ولن تطّلعوا عليه بعد ذلك. هل تؤكدون؟",
    yes_release: "نعم، أؤكد القبول",
    confirm_refuse: "سيُخبَر ولي الأمر والمؤسسة الطالبة بسبب الرفض. هل تؤكدون؟",
    yes_refuse: "نعم، أؤكد الرفض",
    confirm_cancel: "هل تريدون إلغاء طلب انتقال التلميذ(ة) {code}؟",
    yes_cancel: "نعم، ألغِ الطلب",
    reason_needed: "اكتبوا سبب الرفض.",
    done_released: "تم قبول الانتقال: انتقل الملف إلى المؤسسة الجديدة.",
    done_refused: "تم رفض الانتقال.",
    done_cancelled: "تم إلغاء الطلب.",
    not_found: "لا يوجد تلميذ(ة) بهذا الرمز.",
    already_open: "يوجد طلب انتقال مفتوح لهذا التلميذ(ة).",
    decided_meanwhile: "اتُّخذ قرار في هذا الطلب في الأثناء: هذه حالته الآن.",
  },
  fr: {
    title: "Transferts",
    ask: "Demander le transfert d'un élève vers notre école",
    ask_hint: "L'élève est inscrit dans une autre école : celle-ci accepte ou refuse le transfert, et le tuteur en est informé.",
    massar_hint: "Par exemple : J130012345",
    class_id: "Classe d'accueil",
    note: "Note pour l'école actuelle",
    send: "Envoyer la demande",
    asked: "Demande de transfert de l'élève {code} envoyée à son école actuelle.",
    incoming: "Nos demandes (élèves arrivants)",
    outgoing: "Demandes concernant nos élèves (élèves partants)",
    none_in: "Aucune demande de transfert de notre école.",
    none_out: "Aucune demande de transfert pour nos élèves.",
    from: "De",
    to: "Vers",
    asked_on: "Demandé le",
    decided_on: "Décidé le",
    reason: "Motif du refus",
    requested: "en attente de décision",
    released: "accepté",
    refused: "refusé",
    cancelled: "annulé",
    release: "Accepter le transfert",
    refuse: "Refuser le transfert",
    cancel_request: "Annuler la demande",
    confirm_release: "Le dossier de l'élève {code} passe à {school} et ne vous sera plus accessible. Confirmer ?",
    yes_release: "Oui, j'accepte le transfert",
    confirm_refuse: "Le tuteur et l'école demandeuse recevront le motif du refus. Confirmer ?",
    yes_refuse: "Oui, je refuse le transfert",
    confirm_cancel: "Annuler la demande de transfert de l'élève {code} ?",
    yes_cancel: "Oui, annuler la demande",
    reason_needed: "Indiquez le motif du refus.",
    done_released: "Transfert accepté : le dossier est passé à la nouvelle école.",
    done_refused: "Transfert refusé.",
    done_cancelled: "Demande annulée.",
    not_found: "Aucun élève n'a ce code Massar.",
    already_open: "Une demande de transfert de cet élève est déjà ouverte.",
    decided_meanwhile: "Cette demande a été décidée entre-temps : voici son état actuel.",
  },
});

const BADGE = { requested: "warn", released: "good", refused: "bad", cancelled: "" };
const names = new Map(); // school code → promise of its name in the reader's language

function schoolName(code) {
  if (!code) return Promise.resolve("");
  const key = `${state.lang}:${code}`;
  if (!names.has(key)) {
    names.set(key, api("GET", `/v1/schools/${encodeURIComponent(code)}`, { auth: false })
      .then((s) => (state.lang === "ar" ? s.name_ar || s.name_fr : s.name_fr || s.name_ar) || code)
      .catch(() => code));
  }
  return names.get(key);
}

function colon(text) {
  return state.lang === "fr" ? `${text}\u00a0: ` : `${text}: `;
}

export async function render(section, { code, params }) {
  const [massar, classId] = params[0] === "ask" ? params.slice(1) : [];
  section.append(title(w("title")));
  const box = h("div", {});
  section.append(box);
  const classes = await tryLoad(`/v1/schools/${code}/classes`, box);
  const lists = h("div", {});
  const mine = classes?.items || [];
  box.append(askForm(code, mine, massar, classId, () => drawLists(code, lists, mine)), lists);
  await drawLists(code, lists, mine);
  ready("desk-transfers");
}

/** Open requests first, then the newest. */
function order(items) {
  return [...items].sort((a, b) => (a.status === "requested" ? 0 : 1) - (b.status === "requested" ? 0 : 1) || String(b.requested_at).localeCompare(String(a.requested_at)));
}

/** The names of the school's own pupils asked for (transfers carry only the code). */
async function ownPupils(code, classes, outgoing) {
  const found = new Map();
  if (!outgoing.length) return found;
  await Promise.all(classes.map((c) => load(`/v1/schools/${code}/classes/${encodeURIComponent(c.class_id)}/pupils`)
    .then(({ data }) => data.items.forEach((p) => found.set(p.massar_code, p)))
    .catch(() => null)));
  return found;
}

async function drawLists(code, lists, classes, note = null) {
  const box = h("div", {}, note);
  const [incoming, outgoing] = await Promise.all([
    tryLoad(`/v1/schools/${code}/transfers?direction=incoming`, box),
    tryLoad(`/v1/schools/${code}/transfers?direction=outgoing`, box),
  ]);
  const all = [...(incoming?.items || []), ...(outgoing?.items || [])];
  await Promise.all(all.flatMap((tr) => [schoolName(tr.from_school), schoolName(tr.to_school)]));
  const redraw = (again) => drawLists(code, lists, classes, again);
  // Names of the school's pupils: those leaving, and those arrived (now in a class here).
  const pupils = await ownPupils(code, classes, all);
  lists.replaceChildren(box,
    h("section", { class: "transfers incoming", "aria-labelledby": "tr-in" }, h("h2", { id: "tr-in" }, w("incoming")),
      incoming ? (incoming.items.length ? h("ul", { class: "cards transfer-list" }, await Promise.all(order(incoming.items).map((tr) => card(tr, "incoming", redraw, pupils.get(tr.massar_code))))) : notice("info", w("none_in"))) : null),
    h("section", { class: "transfers outgoing", "aria-labelledby": "tr-out" }, h("h2", { id: "tr-out" }, w("outgoing")),
      outgoing ? (outgoing.items.length ? h("ul", { class: "cards transfer-list" }, await Promise.all(order(outgoing.items).map((tr) => card(tr, "outgoing", redraw, pupils.get(tr.massar_code))))) : notice("info", w("none_out"))) : null));
}

function askForm(code, classes, massar, classId, after) {
  const done = h("div", { "aria-live": "polite" });
  const form = h("form", { novalidate: true, class: "ask-transfer" },
    h("h2", {}, w("ask")),
    h("p", { class: "hint" }, w("ask_hint")),
    field("massar_code", dw("massar_code"), { required: true, hint: w("massar_hint"), value: massar || "", attrs: { dir: "ltr", autocomplete: "off", spellcheck: "false", maxlength: 10, autocapitalize: "characters" } }),
    field("class_id", w("class_id"), { options: classes.map((c) => [c.class_id, c.label || c.class_id]), value: classId || "" }),
    field("note", w("note"), { type: "textarea", attrs: { maxlength: 500 } }),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, w("send"))),
    done);
  let key = newKey();
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    whileBusy(form.querySelector("button[type=submit]"), async () => {
      done.replaceChildren();
      const values = formValues(form);
      const body = { massar_code: (values.massar_code || "").toUpperCase() };
      if (!body.massar_code) return showErrors(form, { message: dw("required"), fields: { massar_code: dw("required") } });
      if (values.class_id) body.class_id = values.class_id;
      if (values.note) body.note = values.note;
      try {
        await api("POST", `/v1/schools/${code}/transfers`, { body, key });
        key = newKey();
        form.querySelector(".form-error")?.remove();
        form.reset();
        form.querySelector("[name=massar_code]").value = "";
        done.append(notice("good", w("asked", { code: body.massar_code })));
        await after();
      } catch (error) {
        key = newKey();
        if (error.status === 404) showErrors(form, { message: w("not_found"), fields: { massar_code: w("not_found") } });
        else if (error.status === 409) showErrors(form, { message: w("already_open"), fields: { massar_code: w("already_open") } });
        else showErrors(form, error);
      }
    });
  });
  return form;
}

async function card(tr, direction, redraw, pupil) {
  const [from, to] = await Promise.all([schoolName(tr.from_school), schoolName(tr.to_school)]);
  const item = h("li", { class: "transfer", dataset: { id: tr.id, massar: tr.massar_code, status: tr.status } },
    h("p", { class: "transfer-head" }, codeEl(tr.massar_code), " ", h("span", { class: `badge ${BADGE[tr.status] || ""}`.trim() }, w(tr.status) || tr.status)),
    pupil ? h("p", { class: "transfer-pupil" }, pupilNames(pupil)) : null,
    h("dl", { class: "facts" },
      h("dt", {}, w("from")), h("dd", {}, h("bdi", {}, from)),
      h("dt", {}, w("to")), h("dd", {}, h("bdi", {}, to), tr.class_id ? [" · ", h("bdi", { dir: "ltr" }, tr.class_id)] : null),
      h("dt", {}, w("asked_on")), h("dd", {}, dateTimeText(tr.requested_at)),
      tr.decided_at ? [h("dt", {}, w("decided_on")), h("dd", {}, dateTimeText(tr.decided_at))] : null,
      tr.note ? [h("dt", {}, w("note")), h("dd", {}, h("bdi", {}, tr.note))] : null,
      tr.reason ? [h("dt", {}, w("reason")), h("dd", {}, h("bdi", {}, tr.reason))] : null));
  if (tr.status !== "requested") return item;
  const result = h("div", { "aria-live": "polite" });
  const act = (path, body, doneKey) => async (form) => {
    try {
      await api("POST", `/v1/transfers/${encodeURIComponent(tr.id)}/${path}`, body ? { body: body() } : {});
      result.append(notice("good", w(doneKey)));
      setTimeout(() => redraw(), 0);
      return true;
    } catch (error) {
      if (error.status === 409) { // decided or withdrawn meanwhile: the list as it is now
        await redraw(notice("warn", w("decided_meanwhile")));
        return false;
      }
      showErrors(form, error);
      return false;
    }
  };
  if (direction === "incoming") {
    const form = h("form", { novalidate: true, class: "cancel" }, h("div", { class: "actions" }, h("button", { type: "submit", class: "secondary" }, w("cancel_request"))));
    confirmOnSubmit(form, () => w("confirm_cancel", { code: tr.massar_code }), w("yes_cancel"), "danger", act("cancel", null, "done_cancelled"));
    item.append(form, result);
    return item;
  }
  const release = h("form", { novalidate: true, class: "release" }, h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, w("release"))));
  confirmOnSubmit(release, () => w("confirm_release", { code: tr.massar_code, school: to }), w("yes_release"), "primary", act("release", null, "done_released"));
  const refuse = h("form", { novalidate: true, class: "refuse" },
    field("reason", w("reason"), { type: "textarea", required: true, attrs: { maxlength: 500 } }),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "danger" }, w("refuse"))));
  confirmOnSubmit(refuse, () => w("confirm_refuse"), w("yes_refuse"), "danger", act("refuse", () => ({ reason: formValues(refuse).reason }), "done_refused"), () => {
    if (formValues(refuse).reason) return true;
    showErrors(refuse, { message: w("reason_needed"), fields: { reason: w("reason_needed") } });
    return false;
  });
  item.append(release, refuse, result);
  return item;
}

/** A decision is final: the form's button asks first, in the form, with the way back. */
function confirmOnSubmit(form, question, yes, kind, work, check = () => true) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (form.querySelector(".confirm-box")) return;
    clearErrors(form);
    if (!check()) return;
    const actions = form.querySelector(".actions");
    const text = question();
    const cancel = h("button", { type: "button", class: "secondary" }, t("cancel"));
    const confirm = h("button", { type: "button", class: `${kind} confirm` }, yes);
    const box = h("div", { class: "confirm-box notice warn", role: "group", "aria-label": text }, h("p", {}, text), h("div", { class: "actions" }, confirm, cancel));
    const close = () => {
      box.remove();
      actions.hidden = false;
    };
    cancel.addEventListener("click", () => {
      close();
      actions.querySelector("button").focus();
    });
    confirm.addEventListener("click", () => whileBusy(confirm, async () => {
      const ok = await work(form);
      close();
      if (ok) form.querySelectorAll("button, textarea").forEach((el) => { el.disabled = true; });
    }));
    actions.hidden = true;
    actions.after(box);
    confirm.focus();
  });
}
