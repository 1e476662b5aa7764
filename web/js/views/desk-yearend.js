// Desk · year end: for a class, one decision per pupil (promoted, repeats, leaves), sent
// together; and the pupils whose parents have re-registered them online for the coming
// year. "#/desk/yearend" picks the class; "#/desk/yearend/<class_id>" decides.
import { api, choice, clear, clearErrors, dateTimeText, field, go, h, load, notice, personName, ready, showErrors, state, t, title, whileBusy, words } from "../core.js";
import { codeEl, pupilNames, schoolYearOf, todayIso, tryLoad, w as dw } from "./desk.js";

const w = words({
  ar: {
    title: "نهاية السنة الدراسية",
    pick: "اختيار القسم",
    show: "عرض تلاميذ القسم",
    decisions: "قرارات آخر السنة",
    decisions_hint: "قرار لكل تلميذ(ة). يُخبَر ولي الأمر بالقرار. التلاميذ الذين لم يُختر لهم قرار لا يُرسلون.",
    next_hint: "إذا تُرك فارغا: المستوى الموالي المعتاد. بعد آخر مستوى في السلك (\u20666AP\u2069 و\u20663AC\u2069 و\u20662BAC\u2069) يغادر التلميذ(ة) المؤسسة نحو السلك الموالي.",
    next_for: "المستوى المقبل لـ {name}",
    school_year: "السنة الدراسية",
    promoted: "ينتقل",
    repeats: "يكرر",
    leaves: "يغادر المؤسسة",
    decision_for: "قرار {name}",
    send: "إرسال القرارات",
    nothing: "اختر قرارا لتلميذ(ة) واحد(ة) على الأقل.",
    sent: "تم تسجيل {n} قرار(ات).",
    next_level: "المستوى المقبل",
    rereg: "إعادة التسجيل عبر الإنترنت للسنة {year}",
    rereg_count: "عدد إعادات التسجيل المؤكدة: {n}",
    no_rereg: "لم يؤكد أي ولي أمر إعادة التسجيل بعد.",
    confirmed_on: "أكدها ولي الأمر يوم {date}",
    not_confirmed: "لم تؤكد إعادة التسجيل بعد",
    back: "اختيار قسم آخر",
    unknown_class: "هذا القسم غير موجود.",
    from_class: "القسم",
    confirm_leaves: "سيغادر {n} تلميذ(ة) المؤسسة، ويمكن لمؤسسة أخرى تسجيلهم مباشرة. هل تؤكدون؟",
    yes_send: "نعم، أرسل القرارات",
  },
  fr: {
    title: "Fin d'année scolaire",
    pick: "Choisir la classe",
    show: "Afficher les élèves de la classe",
    decisions: "Décisions de fin d'année",
    decisions_hint: "Une décision par élève ; le tuteur en est informé. Les élèves sans décision choisie ne sont pas envoyés.",
    next_hint: "Laissé vide : le niveau suivant habituel. Après le dernier niveau du cycle (6AP, 3AC, 2BAC), l'élève quitte l'école pour le cycle suivant.",
    next_for: "Niveau suivant pour {name}",
    school_year: "Année scolaire",
    promoted: "Admis(e)",
    repeats: "Redouble",
    leaves: "Quitte l'école",
    decision_for: "Décision pour {name}",
    send: "Envoyer les décisions",
    nothing: "Choisissez la décision d'au moins un élève.",
    sent: "{n} décision(s) enregistrée(s).",
    next_level: "Niveau suivant",
    rereg: "Réinscriptions en ligne pour {year}",
    rereg_count: "Réinscriptions confirmées\u00a0: {n}",
    no_rereg: "Aucun tuteur n'a encore confirmé de réinscription.",
    confirmed_on: "confirmée par le tuteur le {date}",
    not_confirmed: "réinscription pas encore confirmée",
    back: "Choisir une autre classe",
    unknown_class: "Cette classe n'existe pas.",
    from_class: "Classe",
    confirm_leaves: "{n} élève(s) quitteront l'école et pourront être inscrits directement par une autre. Confirmer ?",
    yes_send: "Oui, envoyer les décisions",
  },
});

const DECISIONS = ["promoted", "repeats", "leaves"];
const BADGE = { promoted: "good", repeats: "warn", leaves: "bad" };

function following(year) {
  const start = Number(year.slice(0, 4));
  return `${start + 1}-${start + 2}`;
}

function colon(text) {
  return state.lang === "fr" ? `${text}\u00a0: ` : `${text}: `;
}

function decisionBadge(decision) {
  return h("span", { class: `badge ${BADGE[decision] || ""}`.trim() }, w(decision));
}

export async function render(section, { code, params }) {
  const box = h("div", {});
  section.append(title(w("title")), box);
  const classes = await tryLoad(`/v1/schools/${code}/classes`, box);
  if (!classes) return ready("desk-yearend");
  if (!classes.items.length) {
    box.append(notice("warn", dw("no_classes")));
    return ready("desk-yearend");
  }
  const current = schoolYearOf(todayIso());
  const coming = following(current);
  const rereg = await tryLoad(`/v1/schools/${code}/reregistrations?school_year=${coming}`, box);
  const confirmed = new Map((rereg?.items || []).map((r) => [r.massar_code, r]));
  const classId = params[0];
  if (classId) {
    const klass = classes.items.find((c) => c.class_id === classId);
    box.append(h("p", {}, h("a", { href: "#/desk/yearend" }, w("back"))));
    if (!klass) {
      box.append(notice("bad", w("unknown_class")));
      return ready("desk-yearend-class");
    }
    await decisionsForm(box, code, klass, current, confirmed);
    return ready("desk-yearend-class");
  }
  box.append(pickForm(classes.items));
  if (rereg) box.append(await reregList(code, coming, rereg.items, classes.items));
  ready("desk-yearend");
}

function pickForm(classes) {
  const only = classes.length === 1 ? classes[0].class_id : "";
  const form = h("form", { novalidate: true, class: "pick-class" },
    h("h2", {}, w("pick")),
    field("class_id", dw("class"), { required: true, options: classes.map((c) => [c.class_id, c.label || c.class_id]), value: only }),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, w("show"))));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const id = form.querySelector("select").value;
    if (!id) return showErrors(form, { message: dw("required"), fields: { class_id: dw("required") } });
    go(`#/desk/yearend/${encodeURIComponent(id)}`);
  });
  return form;
}

async function decisionsForm(box, code, klass, current, confirmed) {
  const classPath = `/v1/schools/${code}/classes/${encodeURIComponent(klass.class_id)}`;
  const pupils = await tryLoad(`${classPath}/pupils`, box);
  box.append(h("h2", {}, `${dw("class")} `, h("bdi", {}, klass.label || klass.class_id)));
  if (!pupils) return;
  if (!pupils.items.length) {
    box.append(notice("info", dw("no_pupils")));
    return;
  }
  const year = klass.school_year || current;
  // What was decided already (one small request a pupil; a failure only leaves it blank).
  const before = await Promise.all(pupils.items.map((p) =>
    load(`/v1/students/${encodeURIComponent(p.massar_code)}/decisions`)
      .then(({ data }) => (data.items || []).find((d) => d.school_year === year) || null)
      .catch(() => null)));
  const result = h("div", { "aria-live": "polite" });
  const items = pupils.items.map((p, n) => {
    const name = personName(p) || p.massar_code;
    const rereg = confirmed.get(p.massar_code);
    const group = choice(`decision.${n}`, w("decision_for", { name }), DECISIONS.map((d) => [d, w(d)]), before[n]?.decision);
    group.classList.add("decision-choice");
    return h("li", { dataset: { massar: p.massar_code } },
      h("p", {}, h("strong", {}, pupilNames(p)), h("br"), codeEl(p.massar_code)),
      group,
      field(`next.${n}`, w("next_for", { name }), { value: before[n]?.decision === "promoted" ? before[n].next_level : "", attrs: { dir: "ltr", maxlength: 20, autocomplete: "off" } }),
      h("p", { class: "outcome" }, before[n]?.next_level ? [colon(w("next_level")), h("bdi", { dir: "ltr" }, before[n].next_level)] : null),
      h("p", { class: "muted rereg" }, rereg ? w("confirmed_on", { date: dateTimeText(rereg.confirmed_at) }) : w("not_confirmed")));
  });
  const form = h("form", { novalidate: true, class: "decisions-form" },
    h("h3", {}, w("decisions")),
    h("p", { class: "hint" }, w("decisions_hint")),
    h("p", { class: "hint" }, w("next_hint")),
    field("school_year", w("school_year"), { required: true, value: year, attrs: { dir: "ltr", inputmode: "numeric", pattern: "\\d{4}-\\d{4}" } }),
    h("ul", { class: "decisions" }, items),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, w("send"))),
    result);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    whileBusy(form.querySelector("button[type=submit]"), async () => {
      result.replaceChildren();
      clearErrors(form);
      const schoolYear = form.querySelector("[name=school_year]").value.trim();
      const sent = [];
      pupils.items.forEach((p, n) => {
        const picked = form.querySelector(`input[name="decision.${n}"]:checked`);
        const next = form.querySelector(`[name="next.${n}"]`).value.trim().toUpperCase();
        if (picked) sent.push({ n, entry: { massar_code: p.massar_code, decision: picked.value, ...(next && picked.value === "promoted" ? { next_level: next } : {}) } });
      });
      if (!schoolYear) return showErrors(form, { message: dw("required"), fields: { school_year: dw("required") } });
      if (!sent.length) return showErrors(form, { message: w("nothing"), fields: {} });
      // A pupil who leaves is free for another school to enrol: asked first, in the form.
      const leaving = sent.filter((s) => s.entry.decision === "leaves").length;
      if (leaving && !(await askFirst(form, w("confirm_leaves", { n: leaving })))) return;
      try {
        const answer = await api("PUT", `${classPath}/decisions`, { body: { school_year: schoolYear, decisions: sent.map((s) => s.entry) } });
        form.querySelector(".form-error")?.remove();
        for (const done of answer.items || []) {
          const li = form.querySelector(`li[data-massar="${CSS.escape(done.massar_code)}"] .outcome`);
          if (li) clear(li, decisionBadge(done.decision), done.next_level ? [" ", colon(w("next_level")), h("bdi", { dir: "ltr" }, done.next_level)] : null);
        }
        result.append(notice("good", w("sent", { n: (answer.items || []).length })));
      } catch (error) {
        if (!Object.keys(error.fields || {}).length) return showErrors(form, error);
        // "decisions.<k>.x" is the k-th pupil sent: said under that pupil's choice.
        const fields = {};
        for (const [path, message] of Object.entries(error.fields || {})) {
          const [, k] = path.match(/^decisions\.(\d+)\./) || [];
          fields[k !== undefined && sent[k] ? `decision.${sent[k].n}` : path] = message;
        }
        showErrors(form, { message: error.message, fields });
      }
    });
  });
  box.append(form);
}

/** The form's actions give way to a question with "yes" and "cancel"; answers the choice. */
function askFirst(form, question) {
  const actions = form.querySelector(".actions");
  return new Promise((resolve) => {
    const yes = h("button", { type: "button", class: "danger confirm" }, w("yes_send"));
    const no = h("button", { type: "button", class: "secondary" }, t("cancel"));
    const box = h("div", { class: "confirm-box notice warn", role: "group", "aria-label": question }, h("p", {}, question), h("div", { class: "actions" }, yes, no));
    const answer = (value) => {
      box.remove();
      actions.hidden = false;
      if (!value) actions.querySelector("button").focus();
      resolve(value);
    };
    yes.addEventListener("click", () => answer(true));
    no.addEventListener("click", () => answer(false));
    actions.hidden = true;
    actions.after(box);
    yes.focus();
  });
}

async function reregList(code, coming, items, classes) {
  const section = h("section", { class: "rereg-list", "aria-labelledby": "rereg-title" },
    h("h2", { id: "rereg-title" }, w("rereg", { year: "\u2066" + coming.replace("-", "\u2011") + "\u2069" })));
  if (!items.length) {
    section.append(notice("info", w("no_rereg")));
    return section;
  }
  // The names come from the pupils' classes.
  const names = new Map();
  const wanted = [...new Set(items.map((r) => r.from_class).filter((id) => id && classes.some((c) => c.class_id === id)))];
  await Promise.all(wanted.map((id) => load(`/v1/schools/${code}/classes/${encodeURIComponent(id)}/pupils`)
    .then(({ data }) => data.items.forEach((p) => names.set(p.massar_code, p)))
    .catch(() => null)));
  section.append(h("p", {}, w("rereg_count", { n: items.length })),
    h("ul", { class: "decisions rereg" }, items.map((r) => h("li", { dataset: { massar: r.massar_code } },
      h("p", {}, names.has(r.massar_code) ? [h("strong", {}, pupilNames(names.get(r.massar_code))), h("br")] : null, codeEl(r.massar_code)),
      h("p", {},
        r.from_class ? [colon(w("from_class")), h("bdi", { dir: "ltr" }, r.from_class)] : null,
        r.decision ? [" · ", decisionBadge(r.decision)] : null,
        r.next_level ? [" · ", colon(w("next_level")), h("bdi", { dir: "ltr" }, r.next_level)] : null),
      h("p", { class: "muted" }, w("confirmed_on", { date: dateTimeText(r.confirmed_at) }))))));
  return section;
}
