// Space · the turn of the school year: the pupil's year-end decision, and the parent's
// online re-registration for the coming year (after checking the guardian data), shown
// as "confirmed on …" once done. Loaded by space.js for "#/space/<massar>/reregistration".
import { api, clearErrors, dateTimeText, field, h, load, newKey, notice, showErrors, state, whileBusy, words } from "../core.js";

const w = words({
  ar: {
    decision: "قرار آخر السنة",
    verdict: "القرار",
    no_decision: "لم يُعلَن بعد قرار آخر السنة.",
    promoted: "ينتقل إلى المستوى الموالي",
    repeats: "يكرر السنة",
    leaves: "يغادر المؤسسة",
    year: "السنة الدراسية",
    next_level: "المستوى المقبل",
    rereg: "إعادة التسجيل للسنة الدراسية {year}",
    confirmed: "تم تأكيد إعادة التسجيل يوم {date}.",
    check_first: "قبل التأكيد، تحققوا من معطيات أولياء الأمر (الهاتف، البريد الإلكتروني، العنوان) وصححوها إن لزم.",
    check_link: "التحقق من معطيات أولياء الأمر",
    checked: "تحققت من معطيات أولياء الأمر وهي صحيحة",
    must_check: "أكدوا أولا أنكم تحققتم من معطيات أولياء الأمر.",
    note: "ملاحظة للمؤسسة",
    confirm: "تأكيد إعادة التسجيل للسنة {year}",
    left: "يغادر التلميذ(ة) المؤسسة: تتولى المؤسسة الجديدة تسجيله(ا).",
    parent_only: "يؤكد ولي الأمر إعادة التسجيل من فضائه.",
  },
  fr: {
    decision: "Décision de fin d'année",
    verdict: "Décision",
    no_decision: "La décision de fin d'année n'est pas encore connue.",
    promoted: "Admis(e) au niveau suivant",
    repeats: "Redouble",
    leaves: "Quitte l'école",
    year: "Année scolaire",
    next_level: "Niveau suivant",
    rereg: "Réinscription pour l'année {year}",
    confirmed: "Réinscription confirmée le {date}.",
    check_first: "Avant de confirmer, vérifiez les données des parents et tuteurs (téléphone, e-mail, adresse) et corrigez-les si besoin.",
    check_link: "Vérifier les données des parents et tuteurs",
    checked: "J'ai vérifié les données des parents et tuteurs : elles sont justes",
    must_check: "Confirmez d'abord avoir vérifié les données des parents et tuteurs.",
    note: "Note pour l'école",
    confirm: "Confirmer la réinscription pour {year}",
    left: "L'élève quitte l'école : c'est la nouvelle école qui l'inscrit.",
    parent_only: "Le parent confirme la réinscription depuis son espace.",
  },
});

const BADGE = { promoted: "good", repeats: "warn", leaves: "bad" };

function following(year) {
  const start = Number(year.slice(0, 4));
  return `${start + 1}-${start + 2}`;
}

function currentYear() {
  const [year, month] = new Intl.DateTimeFormat("en-CA", { timeZone: "Africa/Casablanca" }).format(new Date()).split("-").map(Number);
  const start = month >= 9 ? year : year - 1;
  return `${start}-${start + 1}`;
}

function ltr(text) {
  return h("bdi", { dir: "ltr" }, text);
}

function colon(text) {
  return state.lang === "fr" ? `${text}\u00a0: ` : `${text}: `;
}

export async function render(ctx) {
  const { data, offlineSince } = await load(`${ctx.base}/decisions`);
  const decisions = [...(data.items || [])].sort((a, b) => String(b.school_year).localeCompare(String(a.school_year)));
  const latest = decisions[0] || null;
  const coming = following(latest?.school_year || currentYear());
  const { data: rereg } = await load(`${ctx.base}/reregistration?school_year=${coming}`);
  const box = h("section", { class: "rereg", "aria-labelledby": "rereg-title" });
  const decision = h("section", { class: "decision", "aria-labelledby": "decision-title" },
    h("h2", { id: "decision-title" }, w("decision")),
    latest
      ? h("dl", { class: "facts" },
          h("dt", {}, w("year")), h("dd", {}, ltr(latest.school_year)),
          h("dt", {}, w("verdict")), h("dd", {}, h("span", { class: `badge ${BADGE[latest.decision] || ""}`.trim() }, w(latest.decision))),
          latest.next_level ? [h("dt", {}, w("next_level")), h("dd", {}, ltr(latest.next_level))] : null)
      : notice("info", w("no_decision")));
  drawRereg(ctx, box, coming, rereg, latest);
  ctx.show(offlineSince, decision, box);
}

function drawRereg(ctx, box, coming, rereg, latest) {
  const year = "\u2066" + coming.replace("-", "\u2011") + "\u2069"; // kept on one line
  box.replaceChildren(h("h2", { id: "rereg-title" }, w("rereg", { year })));
  if (rereg?.confirmed) {
    box.append(notice("good", w("confirmed", { date: dateTimeText(rereg.confirmed_at) })));
    if (rereg.note) box.append(h("p", { class: "muted" }, colon(w("note")), h("bdi", {}, rereg.note)));
    return;
  }
  // Promoted past the last level of the cycle: the pupil leaves for the next school.
  if (latest?.decision === "leaves" || (latest?.decision === "promoted" && !latest.next_level)) {
    box.append(notice("info", w("left")));
    return;
  }
  if (ctx.role !== "parent") {
    box.append(notice("info", w("parent_only")));
    return;
  }
  const checkId = "rereg-checked";
  const form = h("form", { novalidate: true, class: "reregister" },
    h("p", {}, w("check_first")),
    h("p", {}, h("a", { class: "button", href: `#/space/${encodeURIComponent(ctx.massar)}/guardians` }, w("check_link"))),
    h("div", { class: "check-field", dataset: { field: "checked" } },
      h("p", { class: "check-line" }, h("input", { type: "checkbox", id: checkId, name: "checked", "aria-describedby": `${checkId}-error` }), " ", h("label", { for: checkId }, w("checked"))),
      h("p", { class: "error", id: `${checkId}-error`, role: "alert", hidden: true })),
    field("note", w("note"), { type: "textarea", attrs: { maxlength: 500 } }),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, w("confirm", { year }))));
  const key = newKey();
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    whileBusy(form.querySelector("button[type=submit]"), async () => {
      clearErrors(form);
      if (!form.querySelector(`#${checkId}`).checked) return showErrors(form, { message: w("must_check"), fields: { checked: w("must_check") } });
      const note = form.querySelector("[name=note]").value.trim();
      try {
        const done = await api("POST", `${ctx.base}/reregistration`, { body: note ? { school_year: coming, note } : { school_year: coming }, key });
        if (ctx.stale()) return;
        drawRereg(ctx, box, coming, { confirmed: true, ...done }, latest);
        box.querySelector(".notice")?.setAttribute("tabindex", "-1");
        box.querySelector(".notice")?.focus();
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  box.append(form);
}
