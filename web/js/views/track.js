// Where an application stands: from this device's list, or by the tracking code alone (the
// receipt's SMS carries only the code; the email has it too).
import { ApiError, api, bothCalendars, dateText, dateTimeText, field, go, h, notice, onSubmit, personName, ready, state, title, words } from "../core.js";

const APPLICATIONS_KEY = "massar.applications";

const w = words({
  ar: {
    mine: "طلباتي المرسلة من هذا الجهاز",
    reference: "مرجع الطلب",
    tracking_code: "رقم التتبع",
    tracking_hint: "12 حرفا ورقما وصلتكم في رسالة التوصل (SMS أو بريد إلكتروني)، مثال \u2066ABCD-EFGH-JKLM\u2069",
    track_intro: "اكتبوا رقم التتبع الوارد في الرسالة القصيرة أو في البريد الإلكتروني الذي توصلتم به بعد إرسال الطلب. لا حاجة إلى مرجع الطلب.",
    show: "عرض الحالة",
    keep: "احتفظ برقم التتبع: يُظهر حالة الطلب. أُرسل لك أيضا في رسالة.",
    status: "الحالة",
    submitted: "في انتظار قرار المدير",
    approved: "مقبول",
    rejected: "مرفوض",
    child: "الطفل(ة)",
    school: "المؤسسة",
    submitted_at: "تاريخ الإرسال",
    massar_code: "رمز مسار للتلميذ(ة)",
    reason: "سبب الرفض",
    under_age: "لم يبلغ السن القانوني",
    out_of_catchment: "المؤسسة لا تغطي مكان السكن",
    other: "سبب آخر",
    checks: "مراقبة أولية",
    age_ok: "السن مطابق", age_bad: "السن غير مطابق",
    area_ok: "المؤسسة تغطي السكن", area_bad: "المؤسسة لا تغطي السكن",
    messages: "الرسائل المرسلة",
    decided_at: "تاريخ القرار",
    new_application: "طلب جديد",
    no_match: "لا يوجد طلب بهذا الرقم.",
    check_code: "تحققوا من الأحرف والأرقام الاثني عشر كما وردت في الرسالة.",
    print: "طباعة وصل التسجيل",
    receipt: "وصل التسجيل الأولي",
    receipt_note: "احتفظوا بهذا الوصل: يثبت إرسال الطلب. رقم التتبع يُظهر حالته في أي وقت.",
    printed_at: "طُبع في",
    sent: "المعطيات المرسلة",
    child_names: "اسم الطفل(ة)",
    gender: "الجنس", F: "أنثى", M: "ذكر",
    birth: "تاريخ ومكان الازدياد",
    certificate: "رقم عقد الازدياد",
    responsible: "ولي الأمر المسؤول",
    father: "الأب", mother: "الأم", guardian: "الولي",
    residence: "مكان السكن",
    siblings: "الإخوة دون سن التمدرس",
    consent: "الموافقة على معالجة المعطيات (القانون 09-08)",
    consent_given: "نعم، الإشعار",
  },
  fr: {
    mine: "Mes demandes envoyées depuis cet appareil",
    reference: "Référence de la demande",
    tracking_code: "Numéro de suivi",
    tracking_hint: "12 lettres et chiffres reçus par SMS ou e-mail après l'envoi, ex. ABCD-EFGH-JKLM",
    track_intro: "Tapez le numéro de suivi reçu par SMS ou par e-mail après l'envoi de la demande. La référence de la demande n'est pas nécessaire.",
    show: "Voir l'état",
    keep: "Gardez le numéro de suivi : il montre l'état de la demande. Il vous a aussi été envoyé par message.",
    status: "État",
    submitted: "En attente de la décision du directeur",
    approved: "Acceptée",
    rejected: "Refusée",
    child: "Enfant",
    school: "École",
    submitted_at: "Envoyée le",
    massar_code: "Code Massar de l'élève",
    reason: "Motif du refus",
    under_age: "Âge légal non atteint",
    out_of_catchment: "L'école ne dessert pas la résidence",
    other: "Autre motif",
    checks: "Contrôles préalables",
    age_ok: "Âge conforme", age_bad: "Âge non conforme",
    area_ok: "École de la résidence", area_bad: "École hors résidence",
    messages: "Messages envoyés",
    decided_at: "Décision le",
    new_application: "Nouvelle demande",
    no_match: "Aucune demande ne correspond à ce numéro.",
    check_code: "Vérifiez les 12 lettres et chiffres tels qu'ils figurent dans le message.",
    print: "Imprimer le récépissé",
    receipt: "Récépissé de préinscription",
    receipt_note: "Gardez ce récépissé : il atteste l'envoi de la demande. Le numéro de suivi en montre l'état à tout moment.",
    printed_at: "Imprimé le",
    sent: "Données envoyées",
    child_names: "Nom de l'enfant",
    gender: "Sexe", F: "Fille", M: "Garçon",
    birth: "Date et lieu de naissance",
    certificate: "N° de l'acte de naissance",
    responsible: "Responsable de la demande",
    father: "Le père", mother: "La mère", guardian: "Le tuteur",
    residence: "Résidence",
    siblings: "Frères et sœurs non scolarisés",
    consent: "Consentement au traitement des données (loi 09-08)",
    consent_given: "Oui, notice",
  },
});

function mine() {
  try {
    return JSON.parse(localStorage.getItem(APPLICATIONS_KEY) || "[]");
  } catch {
    return [];
  }
}

export async function render(main, { params }) {
  const known = mine();
  const [id] = params;
  main.append(title(w("track")));
  if (id) {
    const saved = known.find((a) => a.id === id);
    const code = saved?.tracking_code || sessionStorage.getItem(`massar.track.${id}`);
    if (code) {
      try {
        await showApplication(main, id, code, saved);
        ready("track-status");
        return;
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 404)) throw error;
        sessionStorage.removeItem(`massar.track.${id}`); // a link gone stale: type the code
        main.append(notice("bad", w("no_match")));
      }
    }
  }
  if (known.length) {
    main.append(h("h2", {}, w("mine")), h("ul", {}, known.map((a) =>
      h("li", {}, h("a", { href: `#/track/${a.id}` }, a.child || a.id), " · ", h("bdi", { class: "code" }, a.tracking_code)))));
  }
  const form = h("form", { novalidate: true },
    h("p", {}, w("track_intro")),
    field("tracking_code", w("tracking_code"), { required: true, hint: w("tracking_hint"), attrs: { dir: "ltr", autocapitalize: "characters", autocomplete: "off", spellcheck: "false" } }),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, w("show"))));
  onSubmit(form, async (values) => {
    let app;
    try {
      app = await api("POST", "/v1/registrations/track", { body: { tracking_code: values.tracking_code }, auth: false });
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        error.message = w("no_match");
        error.fields = { tracking_code: w("check_code") };
      }
      throw error;
    }
    sessionStorage.setItem(`massar.track.${app.id}`, values.tracking_code);
    go(`#/track/${encodeURIComponent(app.id)}`);
  });
  main.append(h("h2", {}, w("show")), form);
  ready("track");
}

function fetchApplication(id, code) {
  return api("GET", `/v1/registrations/${encodeURIComponent(id)}?tracking_code=${encodeURIComponent(code)}`, { auth: false });
}

async function showApplication(main, id, code, saved) {
  const fromThisDevice = Boolean(saved);
  const app = await fetchApplication(id, code);
  const badge = { submitted: "warn", approved: "good", rejected: "bad" }[app.status];
  const school = state.lang === "ar" ? app.school_name_ar : app.school_name_fr;
  const facts = [
    [w("status"), h("span", { class: `badge ${badge}`, "data-status": app.status }, w(app.status))],
    [w("child"), personName(app.child)],
    [w("school"), `${school || ""} (${app.school_code})`],
    [w("submitted_at"), dateTimeText(app.submitted_at)],
    [w("tracking_code"), h("bdi", { class: "code" }, code)],
    [w("reference"), h("bdi", { class: "code" }, app.id)],
    [w("checks"), `${app.checks.age_eligible ? w("age_ok") : w("age_bad")} · ${app.checks.in_catchment ? w("area_ok") : w("area_bad")}`],
  ];
  if (app.massar_code) facts.push([w("massar_code"), h("bdi", { class: "code" }, app.massar_code)]);
  if (app.rejection_reason) facts.push([w("reason"), [w(app.rejection_reason), app.rejection_note ? [" — ", h("bdi", {}, app.rejection_note)] : ""]]);
  if (app.decided_at) facts.push([w("decided_at"), bothCalendars(app.decided_at.slice(0, 10))]);
  // Through h(), not Element.append: h() drops null and flattens lists (append would
  // print "null" and "[object HTMLHeadingElement],…").
  // The same page is the receipt: printed, only the title, the facts and what was sent show.
  main.append(h("div", { class: "status receipt" },
    h("p", { class: "print-only" }, h("strong", {}, w("receipt")), " · ", w("printed_at"), " ", dateText(deviceToday())),
    fromThisDevice && app.status === "submitted" ? notice("good", w("keep")) : null,
    h("dl", { class: "facts" }, facts.map(([term, value]) => [h("dt", {}, term), h("dd", {}, value)])),
    saved?.sent ? sentFacts(saved.sent) : null,
    h("p", { class: "print-only" }, w("receipt_note")),
    h("div", { class: "actions no-print" }, h("button", { type: "button", class: "secondary print", onclick: () => window.print() }, w("print"))),
    app.notifications?.length ? [h("h2", {}, w("messages")), h("ul", { class: "messages" }, app.notifications.map((n) => h("li", {}, n.summary || `${n.channel} · ${n.status}`)))] : null,
    h("p", { class: "no-print" }, h("a", { href: "#/register", class: "button" }, w("new_application")))));
}

// The day on the device's own clock (the printer's), as YYYY-MM-DD.
function deviceToday() {
  const now = new Date();
  return [now.getFullYear(), now.getMonth() + 1, now.getDate()].map((n, i) => String(n).padStart(i ? 2 : 4, "0")).join("-");
}

// What this device sent (kept with its list of applications; another device has the facts).
function sentFacts(sent) {
  const both = (ar, lat) => [h("bdi", { lang: "ar", dir: "rtl" }, ar || ""), lat ? [" · ", h("bdi", { dir: "ltr" }, lat)] : ""];
  const rows = [
    [w("child_names"), both(sent.child_ar, sent.child_lat)],
    [w("gender"), sent.gender ? w(sent.gender) : ""],
    [w("birth"), [sent.birth_date ? bothCalendars(sent.birth_date) : "", " ", h("bdi", {}, sent.birth_place || "")]],
    [w("certificate"), h("bdi", { dir: "ltr" }, sent.certificate || "")],
    [w("responsible"), [w(sent.guardian_role || "father"), " — ", both(sent.guardian_ar, sent.guardian_lat)]],
    [w("residence"), [h("bdi", {}, sent.commune || ""), " — ", h("bdi", { dir: "auto" }, sent.address || "")]],
    [w("school"), h("bdi", {}, sent.school || "")],
    [w("siblings"), String(sent.siblings ?? 0)],
    [w("consent"), [w("consent_given"), " ", h("bdi", { dir: "ltr" }, sent.consent || "")]],
  ];
  return [h("h2", {}, w("sent")), h("dl", { class: "sent" }, rows.map(([term, value]) => [h("dt", {}, term), h("dd", {}, value)]))];
}
