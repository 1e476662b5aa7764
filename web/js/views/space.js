// The parents' and pupils' space: a parent's children, then for one pupil the marks,
// results, absences (and their justification), timetable, upcoming tests, the thread with
// the school, appointments and the guardian data. "#/space" lists the children (a pupil
// goes straight to their own space); "#/space/<massar>/<tab>[/<semester>]" shows one tab.
import {
  NetworkError,
  me as fetchMe,
  postToStorage,
  api,
  bothCalendars,
  choice,
  clear,
  clearErrors,
  dateText,
  dateTimeText,
  wallTimeText,
  field,
  formValues,
  h,
  homeOf,
  load,
  markEl,
  newKey,
  nextId,
  notice,
  offlineNote,
  personName,
  ready,
  session,
  showErrors,
  state,
  t,
  title,
  whileBusy,
  words,
} from "../core.js";

const w = words({
  ar: {
    children: "أبنائي",
    no_children: "لا يوجد أي تلميذ مرتبط بحسابك بعد. اتصل بمؤسسة ابنك.",
    not_family: "هذا الفضاء خاص بالآباء والتلاميذ.",
    not_linked: "هذا التلميذ غير مرتبط بحسابك.",
    all_children: "كل أبنائي",
    school: "المؤسسة",
    class: "القسم",
    massar_code: "رمز مسار",
    tabs: "أقسام فضاء التلميذ",
    marks: "النقط",
    results: "النتائج",
    absences: "الغياب",
    behaviour: "السلوك",
    timetable: "استعمال الزمن",
    exams: "الفروض والامتحانات",
    national: "الامتحانات الوطنية والجهوية",
    homework: "الواجبات",
    messages: "المراسلات",
    appointments: "المواعيد",
    guardians: "أولياء الأمر",
    reregistration: "إعادة التسجيل",
    unavailable: "تعذر الاتصال ولا توجد معطيات محفوظة لهذه الصفحة على الجهاز. تحقق من الشبكة ثم أعد المحاولة.",
    // marks and results
    semesters: "الأسدس",
    semester_n: "الأسدس {n}",
    semester_average: "معدل الأسدس {n}",
    school_year: "السنة الدراسية",
    coefficient: "المعامل",
    subject_average: "معدل المادة",
    absent_zero: "الغياب عن فرض يُحتسب 0/20 في المعدل",
    kind: "نوع التقويم",
    date: "التاريخ",
    mark: "النقطة",
    no_marks: "لا توجد نقط لهذا الأسدس بعد.",
    not_counted: "لم تُحتسب في معدل الأسدس",
    year_average: "المعدل السنوي",
    report_card: "بيان نقط الأسدس {n} (PDF)",
    report_card_ready: "بيان النقط جاهز: ",
    download: "تحميل",
    kind_continuous: "فرض المراقبة المستمرة",
    kind_local_exam: "الامتحان الموحد المحلي",
    kind_regional_exam: "الامتحان الجهوي الموحد",
    kind_national_exam: "الامتحان الوطني الموحد",
    // absences
    session: "الحصة",
    subject: "المادة",
    justified: "مبرر",
    unjustified: "غير مبرر",
    pending: "التبرير قيد الدراسة",
    refused: "رُفض التبرير",
    reason: "السبب",
    your_justification: "التبرير المرسل",
    with_photo: "مع صورة",
    decision_reason: "سبب القرار",
    no_absences: "لا يوجد أي غياب مسجل.",
    justify: "تبرير هذا الغياب",
    justification_text: "سبب الغياب",
    photo: "صورة الوثيقة المبررة (شهادة طبية مثلا)",
    photo_hint: "JPEG أو PNG",
    photo_type: "يجب أن تكون الصورة بصيغة JPEG أو PNG.",
    photo_big: "الصورة كبيرة جدا.",
    photo_failed: "تعذر إرسال الصورة. أعد المحاولة.",
    send_justification: "إرسال التبرير",
    justification_sent: "تم إرسال التبرير. ستبت فيه المؤسسة.",
    required_field: "هذا الحقل إجباري",
    check_fields: "يرجى تصحيح الحقول المشار إليها.",
    more: "عرض المزيد",
    // timetable and exams
    time: "التوقيت",
    room: "القاعة",
    no_class: "لا توجد حصص",
    no_timetable: "لم يُنشر استعمال الزمن بعد.",
    day_1: "الاثنين",
    day_2: "الثلاثاء",
    day_3: "الأربعاء",
    day_4: "الخميس",
    day_5: "الجمعة",
    day_6: "السبت",
    day_7: "الأحد",
    no_exams: "لا توجد فروض أو امتحانات مبرمجة.",
    // messages
    unread: "رسائل جديدة: {n}",
    no_messages: "لا توجد رسائل بعد.",
    from_school: "المؤسسة",
    you: "أنت",
    new_message: "رسالة إلى المؤسسة",
    message_body: "نص الرسالة",
    message_sent: "تم إرسال الرسالة.",
    // appointments
    no_appointments: "لا توجد مواعيد.",
    request_appointment: "طلب موعد",
    purpose: "الغرض",
    purpose_school_certificate: "شهادة مدرسية",
    purpose_meeting: "لقاء مع الإدارة",
    note: "ملاحظة",
    status: "الحالة",
    status_pending: "في الانتظار",
    status_approved: "مقبول",
    status_declined: "مرفوض",
    requested_on: "تاريخ الطلب",
    scheduled_at: "الموعد",
    send_request: "إرسال الطلب",
    appointment_sent: "تم إرسال طلبك. ستخبرك المؤسسة بالموعد.",
    // guardians
    role_father: "الأب",
    role_mother: "الأم",
    role_guardian: "ولي الأمر",
    name_ar: "الاسم بالعربية",
    name_lat: "الاسم بالحروف اللاتينية",
    first_name_ar: "الاسم الشخصي بالعربية",
    last_name_ar: "الاسم العائلي بالعربية",
    first_name_lat: "الاسم الشخصي بالحروف اللاتينية",
    last_name_lat: "الاسم العائلي بالحروف اللاتينية",
    cin: "رقم البطاقة الوطنية",
    phone: "الهاتف المحمول",
    email: "البريد الإلكتروني",
    profession: "المهنة",
    address: "العنوان",
    confirmed_on: "تم التأكيد بتاريخ {date}",
    not_confirmed: "لم يتم تأكيد هذه المعطيات بعد.",
    confirm: "تأكيد صحة المعطيات",
    correct: "تصحيح المعطيات",
    save_changes: "حفظ التصحيحات",
    confirmed: "شكرا، تم تأكيد المعطيات.",
    corrected: "تم حفظ التصحيحات. ستطلع عليها المؤسسة.",
    nothing_changed: "لم تغير أي معطى.",
    no_guardians: "لا توجد معطيات أولياء الأمر.",
  },
  fr: {
    children: "Mes enfants",
    no_children: "Aucun élève n'est encore lié à votre compte. Contactez l'établissement de votre enfant.",
    not_family: "Cet espace est réservé aux parents et aux élèves.",
    not_linked: "Cet élève n'est pas lié à votre compte.",
    all_children: "Tous mes enfants",
    school: "Établissement",
    class: "Classe",
    massar_code: "Code Massar",
    tabs: "Rubriques de l'espace de l'élève",
    marks: "Notes",
    results: "Résultats",
    absences: "Absences",
    behaviour: "Comportement",
    timetable: "Emploi du temps",
    exams: "Contrôles et examens",
    national: "Examens nationaux et régionaux",
    homework: "Devoirs",
    messages: "Messages",
    appointments: "Rendez-vous",
    guardians: "Parents et tuteurs",
    reregistration: "Réinscription",
    unavailable: "Connexion impossible et aucune donnée enregistrée sur l'appareil pour cette page. Vérifiez le réseau puis réessayez.",
    semesters: "Semestre",
    semester_n: "Semestre {n}",
    semester_average: "Moyenne du semestre {n}",
    school_year: "Année scolaire",
    coefficient: "Coefficient",
    subject_average: "Moyenne de la matière",
    absent_zero: "une absence à un contrôle compte 0/20 dans la moyenne",
    kind: "Évaluation",
    date: "Date",
    mark: "Note",
    no_marks: "Pas encore de notes pour ce semestre.",
    not_counted: "non comptée dans la moyenne du semestre",
    year_average: "Moyenne annuelle",
    report_card: "Bulletin du semestre {n} (PDF)",
    report_card_ready: "Bulletin prêt : ",
    download: "Télécharger",
    kind_continuous: "Contrôle continu",
    kind_local_exam: "Examen local",
    kind_regional_exam: "Examen régional",
    kind_national_exam: "Examen national",
    session: "Séance",
    subject: "Matière",
    justified: "Justifiée",
    unjustified: "Non justifiée",
    pending: "Justification en cours d'examen",
    refused: "Justification refusée",
    reason: "Motif",
    your_justification: "Justification envoyée",
    with_photo: "avec photo",
    decision_reason: "Motif de la décision",
    no_absences: "Aucune absence enregistrée.",
    justify: "Justifier cette absence",
    justification_text: "Motif de l'absence",
    photo: "Photo du justificatif (certificat médical par exemple)",
    photo_hint: "JPEG ou PNG",
    photo_type: "La photo doit être au format JPEG ou PNG.",
    photo_big: "La photo est trop volumineuse.",
    photo_failed: "L'envoi de la photo a échoué. Réessayez.",
    send_justification: "Envoyer la justification",
    justification_sent: "Justification envoyée. L'établissement va l'examiner.",
    required_field: "champ obligatoire",
    check_fields: "Veuillez corriger les champs signalés.",
    more: "Afficher plus",
    time: "Horaire",
    room: "Salle",
    no_class: "Pas de cours",
    no_timetable: "L'emploi du temps n'est pas encore publié.",
    day_1: "Lundi",
    day_2: "Mardi",
    day_3: "Mercredi",
    day_4: "Jeudi",
    day_5: "Vendredi",
    day_6: "Samedi",
    day_7: "Dimanche",
    no_exams: "Aucun contrôle ni examen prévu.",
    unread: "Nouveaux messages : {n}",
    no_messages: "Aucun message pour l'instant.",
    from_school: "L'établissement",
    you: "Vous",
    new_message: "Message à l'établissement",
    message_body: "Votre message",
    message_sent: "Message envoyé.",
    no_appointments: "Aucun rendez-vous.",
    request_appointment: "Demander un rendez-vous",
    purpose: "Objet",
    purpose_school_certificate: "Certificat de scolarité",
    purpose_meeting: "Rencontre avec l'administration",
    note: "Remarque",
    status: "État",
    status_pending: "En attente",
    status_approved: "Accepté",
    status_declined: "Refusé",
    requested_on: "Demandé le",
    scheduled_at: "Rendez-vous le",
    send_request: "Envoyer la demande",
    appointment_sent: "Demande envoyée. L'établissement vous indiquera la date du rendez-vous.",
    role_father: "Père",
    role_mother: "Mère",
    role_guardian: "Tuteur",
    name_ar: "Nom en arabe",
    name_lat: "Nom en lettres latines",
    first_name_ar: "Prénom en arabe",
    last_name_ar: "Nom en arabe",
    first_name_lat: "Prénom en lettres latines",
    last_name_lat: "Nom en lettres latines",
    cin: "N° de CIN",
    phone: "Téléphone mobile",
    email: "E-mail",
    profession: "Profession",
    address: "Adresse",
    confirmed_on: "Confirmées le {date}",
    not_confirmed: "Ces données n'ont pas encore été confirmées.",
    confirm: "Confirmer ces données",
    correct: "Corriger ces données",
    save_changes: "Enregistrer les corrections",
    confirmed: "Merci, les données sont confirmées.",
    corrected: "Corrections enregistrées. L'établissement en sera informé.",
    nothing_changed: "Vous n'avez modifié aucune donnée.",
    no_guardians: "Aucune donnée sur les parents ou tuteurs.",
  },
});

// Subject codes as schools key them; the school's own list is for staff only, so the
// usual ones are named here (an unknown code is shown as it is).
const SUBJECTS = {
  arabic: ["اللغة العربية", "Arabe"],
  french: ["اللغة الفرنسية", "Français"],
  english: ["اللغة الإنجليزية", "Anglais"],
  spanish: ["اللغة الإسبانية", "Espagnol"],
  amazigh: ["اللغة الأمازيغية", "Amazigh"],
  maths: ["الرياضيات", "Mathématiques"],
  math: ["الرياضيات", "Mathématiques"],
  physics: ["الفيزياء والكيمياء", "Physique-chimie"],
  physique_chimie: ["الفيزياء والكيمياء", "Physique-chimie"],
  svt: ["علوم الحياة والأرض", "Sciences de la vie et de la Terre"],
  science: ["النشاط العلمي", "Éveil scientifique"],
  islamic: ["التربية الإسلامية", "Éducation islamique"],
  islamic_education: ["التربية الإسلامية", "Éducation islamique"],
  history_geography: ["الاجتماعيات", "Histoire-géographie"],
  social_studies: ["الاجتماعيات", "Histoire-géographie"],
  philosophy: ["الفلسفة", "Philosophie"],
  computing: ["المعلوميات", "Informatique"],
  informatics: ["المعلوميات", "Informatique"],
  technology: ["التكنولوجيا", "Technologie"],
  pe: ["التربية البدنية", "Éducation physique"],
  sport: ["التربية البدنية", "Éducation physique"],
  art: ["التربية التشكيلية", "Arts plastiques"],
  music: ["التربية الموسيقية", "Éducation musicale"],
  economics: ["الاقتصاد", "Économie"],
  accounting: ["المحاسبة", "Comptabilité"],
};

export function subjectName(code) {
  if (!code) return "—";
  const names = SUBJECTS[String(code).toLowerCase()];
  if (!names) return code;
  return state.lang === "ar" ? names[0] : names[1];
}

const TABS = ["marks", "results", "absences", "behaviour", "timetable", "exams", "national", "homework", "messages", "appointments", "guardians", "reregistration"];

// --- Dates of the school year ------------------------------------------------------------
function today() {
  // The school day in Morocco, whatever the phone's time zone.
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Africa/Casablanca" }).format(new Date());
}

/** "2026-2027" from 1 September to 31 August. */
function schoolYear(iso = today()) {
  const [year, month] = iso.split("-").map(Number);
  const start = month >= 9 ? year : year - 1;
  return `${start}-${start + 1}`;
}

/** Semester 1 runs from September to January, semester 2 from February. */
function currentSemester(iso = today()) {
  const month = Number(iso.split("-")[1]);
  return month >= 9 || month === 1 ? 1 : 2;
}

function decimal(value) {
  return String(value ?? "").replace(".", ",");
}

/** "Classe : " in French, "القسم: " in Arabic. */
function label(key) {
  return state.lang === "fr" ? `${w(key)} : ` : `${w(key)}: `;
}

function ltr(text) {
  return h("bdi", { dir: "ltr" }, text);
}

// --- Rendering state ---------------------------------------------------------------------
let generation = 0; // the newest render wins: a slow answer of a previous tab is dropped

/** The pupil's names in the shape of a Child, from the parent's children or the pupil's own profile. */
function pupilOf(me, massar) {
  if (me.role === "parent") return (me.children || []).find((child) => child.massar_code === massar) || null;
  if (me.role === "student" && me.username === massar) {
    const p = me.profile || {};
    return {
      massar_code: massar,
      first_name_ar: p.first_name_ar,
      last_name_ar: p.last_name_ar,
      first_name_lat: p.first_name,
      last_name_lat: p.last_name,
      school_code: p.school_code,
      class_id: null,
    };
  }
  return null;
}

function failure(error, retry) {
  if (error?.status === 401) {
    sessionStorage.setItem("massar.after_signin", location.hash);
    location.hash = "#/signin";
    return [];
  }
  const offline = error instanceof NetworkError;
  const text = offline ? w("unavailable") : error?.message || t("network_error");
  const canRetry = offline || !error?.status || error.status >= 500 || error.status === 429;
  return [
    notice("bad", text),
    canRetry ? h("div", { class: "actions" }, h("button", { type: "button", class: "secondary", onclick: retry }, t("retry"))) : null,
  ];
}

/** An error shaped like ApiError for checks made before calling the API. */
function fieldError(name, message) {
  return { message: w("check_fields"), fields: { [name]: message } };
}

export async function render(main, { params }) {
  const run = ++generation;
  const stale = () => run !== generation;
  const retry = () => {
    clear(main, h("p", { class: "loading", role: "status" }, t("loading")));
    render(main, { params });
  };
  try {
    if (params.length === 0) await renderChildren(main, stale);
    else await renderPupil(main, params, stale, retry);
  } catch (error) {
    if (stale()) return;
    console.error(error);
    clear(main, title(t("space")), failure(error, retry));
    ready("space-unavailable");
  }
}

// --- #/space -------------------------------------------------------------------------------
async function renderChildren(main, stale) {
  const account = session.get()?.account;
  if (account?.role === "student") {
    location.replace(`#/space/${encodeURIComponent(account.username)}/marks`);
    return;
  }
  const { data: me, offlineSince } = await fetchMe();
  if (stale()) return;
  if (me.role === "student") {
    location.replace(`#/space/${encodeURIComponent(me.username)}/marks`);
    return;
  }
  if (me.role !== "parent") {
    clear(main, title(t("space")), notice("info", w("not_family")), h("p", {}, h("a", { href: homeOf(me.role) }, t("home"))));
    ready("space");
    return;
  }
  const children = me.children || [];
  clear(
    main,
    title(w("children")),
    offlineNote(offlineSince),
    children.length
      ? h("ul", { class: "cards children" }, children.map((child) =>
          h("li", {}, h("a", { href: `#/space/${encodeURIComponent(child.massar_code)}/marks` },
            h("strong", {}, personName(child) || child.massar_code),
            h("span", { class: "muted" }, label("school"), ltr(child.school_code || "—")),
            h("br"),
            h("span", { class: "muted" }, label("class"), ltr(child.class_id || "—"))))))
      : notice("info", w("no_children")),
  );
  ready("space");
}

// --- #/space/<massar>/<tab> ---------------------------------------------------------------------
async function renderPupil(main, params, stale, retry) {
  const [massar, tab, extra] = params;
  if (!TABS.includes(tab)) {
    location.replace(`#/space/${encodeURIComponent(massar)}/marks`);
    return;
  }
  const { data: me } = await fetchMe();
  if (stale()) return;
  const pupil = pupilOf(me, massar);
  if (!pupil) {
    clear(main, title(t("space")), notice("bad", w("not_linked")), h("p", {}, h("a", { href: "#/space" }, t("space"))));
    ready("space-unavailable");
    return;
  }
  const path = `#/space/${encodeURIComponent(massar)}`;
  const box = h("section", { class: "space-tab" }, h("p", { class: "loading", role: "status" }, t("loading")));
  clear(
    main,
    me.role === "parent" && (me.children || []).length > 1 ? h("p", { class: "space-back" }, h("a", { href: "#/space" }, w("all_children"))) : null,
    title(personName(pupil) || massar),
    h("p", { class: "muted space-pupil" },
      label("massar_code"), ltr(massar),
      pupil.school_code ? [" · ", label("school"), ltr(pupil.school_code)] : null,
      pupil.class_id ? [" · ", label("class"), ltr(pupil.class_id)] : null),
    h("nav", { "aria-label": w("tabs") },
      h("ul", { class: "tabs" }, TABS.map((name) =>
        h("li", {}, h("a", { href: `${path}/${name}`, "aria-current": name === tab ? "page" : null }, w(name)))))),
    box,
  );
  const ctx = {
    massar,
    base: `/v1/students/${encodeURIComponent(massar)}`,
    role: me.role,
    username: me.username,
    extra,
    box,
    stale,
    // Show the tab's content and tell the tests it is there.
    show(offlineSince, ...children) {
      if (stale()) return;
      clear(box, offlineNote(offlineSince), children);
      ready(`space-${tab}`);
    },
    reload(...notes) {
      return VIEWS[tab](ctx, notes).catch((error) => ctx.fail(error));
    },
    fail(error) {
      if (stale()) return;
      console.error(error);
      clear(box, failure(error, retry));
      ready("space-unavailable");
    },
  };
  try {
    await VIEWS[tab](ctx, []);
  } catch (error) {
    ctx.fail(error);
  }
}

const VIEWS = {
  marks: marksTab,
  results: resultsTab,
  absences: absencesTab,
  timetable: timetableTab,
  exams: examsTab,
  messages: messagesTab,
  appointments: appointmentsTab,
  guardians: guardiansTab,
  // The turn of the school year: its own module, fetched when the tab is opened.
  reregistration: (ctx) => import("./space-reregistration.js").then((module) => module.render(ctx)),
  homework: (ctx) => import("./space-homework.js").then((module) => module.render(ctx)),
  behaviour: (ctx) => import("./space-behaviour.js").then((module) => module.render(ctx)),
  national: (ctx) => import("./space-exams.js").then((module) => module.render(ctx)),
};

// --- Marks ------------------------------------------------------------------------------------
function kindName(kind) {
  const key = `kind_${kind}`;
  const text = w(key);
  return text === key ? kind : text;
}

async function marksTab(ctx) {
  const semester = ctx.extra === "1" || ctx.extra === "2" ? Number(ctx.extra) : currentSemester();
  const year = schoolYear();
  const { data, offlineSince } = await load(`${ctx.base}/grades?school_year=${year}&semester=${semester}`);
  const counted = new Set(data.counted || []);
  const switcher = h("nav", { "aria-label": w("semesters") },
    h("ul", { class: "switch" }, [1, 2].map((n) =>
      h("li", {}, h("a", { href: `#/space/${encodeURIComponent(ctx.massar)}/marks/${n}`, "aria-current": n === semester ? "true" : null }, w("semester_n", { n }))))));
  const subjects = data.subjects || [];
  ctx.show(
    offlineSince,
    switcher,
    h("p", { class: "muted" }, label("school_year"), ltr(data.school_year || year)),
    h("p", { class: "average" }, h("span", {}, w("semester_average", { n: semester })), " ", markEl(data.average)),
    subjects.length === 0 ? notice("info", w("no_marks")) : null,
    subjects.map((subject) => {
      const headingId = nextId("subject");
      return h("section", { class: "subject", "aria-labelledby": headingId },
        h("h2", { id: headingId }, subjectName(subject.subject)),
        h("p", { class: "subject-facts" },
          h("span", {}, label("coefficient"), ltr(decimal(subject.coefficient))),
          h("span", {}, label("subject_average"), markEl(subject.average)),
          counted.has(subject.subject) ? null : h("span", { class: "muted" }, `(${w("not_counted")})`),
          (subject.assessments || []).some((a) => a.mark === "absent") ? h("span", { class: "absent-note" }, `(${w("absent_zero")})`) : null),
        h("div", { class: "table-wrap" }, h("table", {},
          h("thead", {}, h("tr", {}, h("th", { scope: "col" }, w("kind")), h("th", { scope: "col" }, w("date")), h("th", { scope: "col" }, w("mark")))),
          h("tbody", {}, (subject.assessments || []).map((a) =>
            h("tr", {}, h("td", {}, kindName(a.kind)), h("td", {}, h("time", { datetime: a.date }, dateText(a.date))), h("td", {}, markEl(a.mark))))))));
    }),
  );
}

// --- Results ----------------------------------------------------------------------------------
async function resultsTab(ctx) {
  const year = schoolYear();
  const { data, offlineSince } = await load(`${ctx.base}/results?school_year=${year}`);
  ctx.show(
    offlineSince,
    h("p", { class: "muted" }, label("school_year"), ltr(data.school_year || year)),
    h("dl", { class: "facts results" },
      h("dt", {}, w("semester_n", { n: 1 })), h("dd", {}, markEl(data.semester_1)),
      h("dt", {}, w("semester_n", { n: 2 })), h("dd", {}, markEl(data.semester_2)),
      h("dt", {}, w("year_average")), h("dd", { class: "average" }, markEl(data.average))),
    reportCards(ctx, data.school_year || year, [data.semester_1, data.semester_2]),
  );
}

/** A button per semester with marks: the bulletin (PDF, both languages) behind a
 * short-lived link, fetched when asked for and offered as a download. */
function reportCards(ctx, year, averages) {
  const status = h("div", { role: "status" });
  const buttons = [1, 2].filter((n) => averages[n - 1] != null).map((n) => {
    const button = h("button", { type: "button", class: "secondary" }, w("report_card", { n }));
    button.addEventListener("click", () => whileBusy(button, async () => {
      clear(status);
      try {
        const card = await api("GET", `${ctx.base}/report-cards/${encodeURIComponent(year)}/${n}`);
        const link = h("a", { href: card.url, download: card.filename, target: "_blank", rel: "noopener" }, w("download"));
        status.append(notice("good", w("report_card_ready"), link));
        link.click();
      } catch (error) {
        status.append(notice("bad", error instanceof NetworkError ? t("network_error") : error.message));
      }
    }));
    return button;
  });
  return buttons.length ? h("div", { class: "actions" }, ...buttons, status) : null;
}

// --- Absences ---------------------------------------------------------------------------------
function newestFirst(a, b) {
  return `${b.date} ${b.session}`.localeCompare(`${a.date} ${a.session}`);
}

function absenceState(absence) {
  if (absence.justified) return h("span", { class: "badge good" }, w("justified"));
  const status = absence.justification?.status;
  if (status === "pending") return h("span", { class: "badge warn" }, w("pending"));
  if (status === "refused") return h("span", { class: "badge bad" }, w("refused"));
  return h("span", { class: "badge bad" }, w("unjustified"));
}

function absenceItem(ctx, absence, note) {
  const j = absence.justification;
  const canJustify = ctx.role === "parent" && !absence.justified && j?.status !== "pending";
  const form = canJustify ? justifyForm(ctx, absence, (updated) => li.replaceWith(absenceItem(ctx, updated, notice("good", w("justification_sent"))))) : null;
  const li = h("li", { class: "absence", dataset: { id: absence.id } },
    note,
    h("div", { class: "absence-head" }, bothCalendars(absence.date), absenceState(absence)),
    h("dl", { class: "facts" },
      h("dt", {}, w("session")), h("dd", {}, ltr(absence.session)),
      h("dt", {}, w("subject")), h("dd", {}, subjectName(absence.subject)),
      absence.reason ? [h("dt", {}, w("reason")), h("dd", {}, absence.reason)] : null,
      j ? [h("dt", {}, w("your_justification")), h("dd", {}, j.text, j.has_photo ? h("span", { class: "muted" }, ` (${w("with_photo")})`) : null)] : null,
      j?.decision_reason ? [h("dt", {}, w("decision_reason")), h("dd", {}, j.decision_reason)] : null),
    form);
  return li;
}

function justifyForm(ctx, absence, done) {
  const button = h("button", { type: "submit", class: "primary" }, w("send_justification"));
  const form = h("form", { class: "justify", novalidate: true },
    field("text", w("justification_text"), { type: "textarea", required: true, attrs: { maxlength: 1000 } }),
    field("photo_key", w("photo"), { type: "file", hint: w("photo_hint"), attrs: { accept: "image/jpeg,image/png" } }),
    h("div", { class: "actions" }, button));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    whileBusy(button, async () => {
      clearErrors(form);
      const { text } = formValues(form);
      const file = form.querySelector("input[type=file]").files[0];
      try {
        if (!text) throw fieldError("text", w("required_field"));
        const body = { text };
        if (file) body.photo_key = await uploadPhoto(ctx, file);
        const updated = await api("POST", `${ctx.base}/absences/${encodeURIComponent(absence.id)}/justification`, { body });
        done(updated);
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  return h("details", { class: "justify-box" }, h("summary", {}, w("justify")), form);
}

/** The photo goes straight to storage through a presigned form; its key goes with the text. */
async function uploadPhoto(ctx, file) {
  if (!/^image\/(jpeg|png)$/.test(file.type)) throw fieldError("photo_key", w("photo_type"));
  const upload = await api("POST", `${ctx.base}/justification-photos`);
  if (file.size > upload.max_bytes) throw fieldError("photo_key", w("photo_big"));
  if (!(await postToStorage(upload, file))) throw fieldError("photo_key", w("photo_failed"));
  return upload.photo_key;
}

async function absencesTab(ctx) {
  const { data, offlineSince } = await load(`${ctx.base}/absences`);
  const items = [...(data.items || [])].sort(newestFirst);
  const list = h("ul", { class: "absences" }, items.map((absence) => absenceItem(ctx, absence)));
  const more = h("div", { class: "actions" });
  const addMore = (cursor) => {
    clear(more);
    if (!cursor) return;
    const button = h("button", { type: "button", class: "secondary" }, w("more"));
    button.addEventListener("click", () => whileBusy(button, async () => {
      try {
        const page = await api("GET", `${ctx.base}/absences?cursor=${encodeURIComponent(cursor)}`);
        list.append(...(page.items || []).sort(newestFirst).map((absence) => absenceItem(ctx, absence)));
        addMore(page.next_cursor);
      } catch (error) {
        more.prepend(...failure(error, () => addMore(cursor)).slice(0, 1));
      }
    }));
    more.append(button);
  };
  addMore(data.next_cursor);
  ctx.show(offlineSince, items.length ? list : notice("info", w("no_absences")), more);
}

// --- Timetable and exams ------------------------------------------------------------------------
async function timetableTab(ctx) {
  const { data, offlineSince } = await load(`${ctx.base}/timetable`);
  const slots = data.slots || [];
  const days = [1, 2, 3, 4, 5, 6];
  if (slots.some((slot) => slot.day === 7)) days.push(7);
  ctx.show(
    offlineSince,
    slots.length === 0 ? notice("info", w("no_timetable")) : null,
    slots.length === 0 ? null : days.map((day) => {
      const today = slots.filter((slot) => slot.day === day).sort((a, b) => a.start.localeCompare(b.start));
      const headingId = nextId("day");
      return h("section", { class: "day", "aria-labelledby": headingId },
        h("h2", { id: headingId }, w(`day_${day}`)),
        today.length === 0
          ? h("p", { class: "muted" }, w("no_class"))
          : h("div", { class: "table-wrap" }, h("table", {},
              h("thead", {}, h("tr", {}, h("th", { scope: "col" }, w("time")), h("th", { scope: "col" }, w("subject")), h("th", { scope: "col" }, w("room")))),
              h("tbody", {}, today.map((slot) =>
                h("tr", {}, h("td", {}, ltr(`${slot.start}–${slot.end}`)), h("td", {}, subjectName(slot.subject)), h("td", {}, ltr(slot.room))))))));
    }),
  );
}

async function examsTab(ctx) {
  const { data, offlineSince } = await load(`${ctx.base}/exams`);
  const items = [...(data.items || [])].sort((a, b) => a.date.localeCompare(b.date));
  ctx.show(
    offlineSince,
    items.length === 0
      ? notice("info", w("no_exams"))
      : h("div", { class: "table-wrap" }, h("table", { class: "exams" },
          h("thead", {}, h("tr", {}, h("th", { scope: "col" }, w("date")), h("th", { scope: "col" }, w("subject")), h("th", { scope: "col" }, w("kind")))),
          h("tbody", {}, items.map((exam) =>
            h("tr", {}, h("td", {}, bothCalendars(exam.date)), h("td", {}, subjectName(exam.subject)),
              h("td", {}, kindName(exam.kind), h("br"), h("span", { class: "muted" }, w("semester_n", { n: exam.semester })))))))),
  );
}

// --- Messages --------------------------------------------------------------------------------------
function messageItem(ctx, message) {
  const who = message.from_school ? w("from_school") : message.author === ctx.username ? w("you") : message.author;
  return h("li", { class: message.from_school ? "school" : "family" },
    h("p", { class: "muted" }, h("strong", {}, who), " · ", h("time", { datetime: message.sent_at }, dateTimeText(message.sent_at))),
    h("p", { class: "body", dir: "auto" }, message.body));
}

async function messagesTab(ctx, notes) {
  const { data, offlineSince } = await load(`${ctx.base}/messages`);
  const thread = h("ul", { class: "thread" }, (data.items || []).map((message) => messageItem(ctx, message)));
  const empty = (data.items || []).length === 0 ? h("p", { class: "muted" }, w("no_messages")) : null;
  const button = h("button", { type: "submit", class: "primary" }, t("send"));
  const status = h("div", { class: "form-status" });
  const form = h("form", { class: "message-form", novalidate: true },
    field("body", w("message_body"), { type: "textarea", required: true, attrs: { maxlength: 2000 } }),
    h("div", { class: "actions" }, button));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    whileBusy(button, async () => {
      clearErrors(form);
      clear(status);
      const { body } = formValues(form);
      try {
        if (!body) throw fieldError("body", w("required_field"));
        const sent = await api("POST", `${ctx.base}/messages`, { body: { body } });
        empty?.remove();
        thread.append(messageItem(ctx, sent));
        form.reset();
        status.append(notice("good", w("message_sent")));
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  const heading = nextId("compose");
  ctx.show(
    offlineSince,
    notes,
    data.unread > 0 ? h("p", { class: "badge warn unread" }, w("unread", { n: data.unread })) : null,
    empty,
    thread,
    h("section", { "aria-labelledby": heading }, h("h2", { id: heading }, w("new_message")), status, form),
  );
}

// --- Appointments ----------------------------------------------------------------------------------
const STATUS_BADGE = { pending: "warn", approved: "good", declined: "bad" };

function purposeName(purpose) {
  const key = `purpose_${purpose}`;
  const text = w(key);
  return text === key ? purpose : text;
}

async function appointmentsTab(ctx, notes) {
  const { data, offlineSince } = await load(`${ctx.base}/appointments`);
  const items = data.items || [];
  const list = items.length === 0
    ? h("p", { class: "muted" }, w("no_appointments"))
    : h("ul", { class: "appointments" }, items.map((item) =>
        h("li", { class: "appointment" },
          h("div", { class: "absence-head" }, h("strong", {}, purposeName(item.purpose)), h("span", { class: `badge ${STATUS_BADGE[item.status] || ""}` }, w(`status_${item.status}`))),
          h("dl", { class: "facts" },
            h("dt", {}, w("requested_on")), h("dd", {}, h("time", { datetime: item.created_at }, dateTimeText(item.created_at))),
            item.scheduled_at ? [h("dt", {}, w("scheduled_at")), h("dd", {}, h("time", { datetime: item.scheduled_at }, wallTimeText(item.scheduled_local) || dateTimeText(item.scheduled_at)))] : null,
            item.note ? [h("dt", {}, w("note")), h("dd", { dir: "auto" }, item.note)] : null,
            item.reason ? [h("dt", {}, w("reason")), h("dd", { dir: "auto" }, item.reason)] : null))));
  let key = newKey(); // one request per form: a retried or double-sent form creates one appointment
  const button = h("button", { type: "submit", class: "primary" }, w("send_request"));
  const form = h("form", { class: "appointment-form", novalidate: true },
    choice("purpose", w("purpose"), [["school_certificate", w("purpose_school_certificate")], ["meeting", w("purpose_meeting")]], "school_certificate"),
    field("note", w("note"), { type: "textarea", attrs: { maxlength: 500 } }),
    h("div", { class: "actions" }, button));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    whileBusy(button, async () => {
      clearErrors(form);
      const values = formValues(form);
      const body = { purpose: values.purpose };
      if (values.note) body.note = values.note;
      try {
        if (!body.purpose) throw fieldError("purpose", w("required_field"));
        await api("POST", `${ctx.base}/appointments`, { body, key });
        await ctx.reload(notice("good", w("appointment_sent")));
      } catch (error) {
        // A refusal is final for this key; a lost connection may be retried with it.
        if (!(error instanceof NetworkError) && error.status && error.status < 500) key = newKey();
        showErrors(form, error);
      }
    });
  });
  const heading = nextId("request");
  ctx.show(offlineSince, notes, list, h("section", { "aria-labelledby": heading }, h("h2", { id: heading }, w("request_appointment")), form));
}

// --- Guardians --------------------------------------------------------------------------------------
const GUARDIAN_FIELDS = [
  ["first_name_ar", {}],
  ["last_name_ar", {}],
  ["first_name_lat", { dir: "ltr" }],
  ["last_name_lat", { dir: "ltr" }],
  ["cin", { dir: "ltr", autocapitalize: "characters" }],
  ["phone", { dir: "ltr", type: "tel", inputmode: "tel", autocomplete: "tel" }],
  ["email", { dir: "ltr", type: "email", autocomplete: "email" }],
  ["profession", {}],
  ["address", {}],
];

function roleName(role) {
  const key = `role_${role}`;
  const text = w(key);
  return text === key ? role : text;
}

function guardianCard(ctx, guardian, note) {
  const names = (suffix) => [guardian[`first_name_${suffix}`], guardian[`last_name_${suffix}`]].filter(Boolean).join(" ");
  const headingId = nextId("guardian");
  const fact = (label, value, dir) => (value ? [h("dt", {}, label), h("dd", {}, dir ? ltr(value) : value)] : null);
  const section = h("section", { class: "guardian", "aria-labelledby": headingId },
    h("h2", { id: headingId }, roleName(guardian.role)),
    note,
    h("dl", { class: "facts" },
      fact(w("name_ar"), names("ar")),
      fact(w("name_lat"), names("lat"), true),
      fact(w("cin"), guardian.cin, true),
      fact(w("phone"), guardian.phone, true),
      fact(w("email"), guardian.email, true),
      fact(w("profession"), guardian.profession),
      fact(w("address"), guardian.address)),
    h("p", { class: guardian.confirmed_at ? "muted" : "" },
      guardian.confirmed_at ? w("confirmed_on", { date: dateTimeText(guardian.confirmed_at) }) : w("not_confirmed")),
  );
  if (ctx.role !== "parent") return section;
  const replace = (updated, message) => section.replaceWith(guardianCard(ctx, updated, notice("good", message)));
  const url = `${ctx.base}/guardians/${encodeURIComponent(guardian.role)}`;

  const confirmButton = h("button", { type: "button", class: "secondary" }, w("confirm"));
  const confirmStatus = h("div");
  confirmButton.addEventListener("click", () => whileBusy(confirmButton, async () => {
    clear(confirmStatus);
    try {
      replace(await api("PATCH", url, { body: {} }), w("confirmed"));
    } catch (error) {
      confirmStatus.append(notice("bad", error instanceof NetworkError ? t("network_error") : error.message));
    }
  }));

  const saveButton = h("button", { type: "submit", class: "primary" }, w("save_changes"));
  const form = h("form", { class: "guardian-form", novalidate: true },
    GUARDIAN_FIELDS.map(([name, { type, ...attrs }]) => field(name, w(name), { type, value: guardian[name] || "", attrs })),
    h("div", { class: "actions" }, saveButton));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    whileBusy(saveButton, async () => {
      clearErrors(form);
      const values = formValues(form);
      const changes = {};
      for (const [name] of GUARDIAN_FIELDS) {
        if (values[name] && values[name] !== (guardian[name] || "")) changes[name] = values[name];
      }
      try {
        if (Object.keys(changes).length === 0) throw { message: w("nothing_changed"), fields: {} }; // eslint-disable-line no-throw-literal
        replace(await api("PATCH", url, { body: changes }), w("corrected"));
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  section.append(
    confirmStatus,
    h("div", { class: "actions" }, confirmButton),
    h("details", { class: "correct-box" }, h("summary", {}, w("correct")), form),
  );
  return section;
}

async function guardiansTab(ctx) {
  const { data, offlineSince } = await load(`${ctx.base}/guardians`);
  const items = data.items || [];
  ctx.show(offlineSince, items.length === 0 ? notice("info", w("no_guardians")) : items.map((guardian) => guardianCard(ctx, guardian)));
}
