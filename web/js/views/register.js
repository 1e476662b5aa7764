// The preliminary registration of a child (seed 001): every field of the ministry's form,
// the ID photo, the schools serving the family's residence, live checks of age and
// residence; the draft lives on the device; submission is idempotent and retried by itself.
import {
  ApiError, NetworkError, api, bothCalendars, choice, clear, dateText, field, formValues, go, h, helpLine, hijriIso,
  newKey, notice, postToStorage, ready, showErrors, state, title, whileBusy, words,
} from "../core.js";

const DRAFT_KEY = "massar.registration_draft";
const APPLICATIONS_KEY = "massar.applications";
const PHOTO_MAX_SIDE = 600;
// The data-protection notice's version (law 09-08): kept with the guardian's consent.
const NOTICE_VERSION = "09-08/2026-12";

const w = words({
  ar: {
    intro: "يملأ الولي هذا الطلب لتسجيل طفل بلغ سن التمدرس. تُحفظ المعطيات على هذا الجهاز إلى حين الإرسال.",
    campaign: "حملة التسجيل {year}: من {opens} إلى {closes}. السن القانوني: المزدادون بين {from} و{to}.",
    closed: "لا توجد حملة تسجيل مفتوحة حاليا.",
    residence: "مكان السكن والمؤسسة",
    region: "الجهة",
    province: "الإقليم أو العمالة",
    commune: "الجماعة أو المقاطعة",
    commune_hint: "اختر الجهة ثم الإقليم ثم الجماعة أو المقاطعة: تظهر المؤسسات التي تغطي هذا المكان",
    arrondissements: "{name}: المقاطعات",
    address: "العنوان",
    school: "المؤسسة المختارة",
    schools_none: "لا توجد مؤسسة ابتدائية تغطي هذا المكان. تحقق من المكان المختار أو اتصل بالمديرية الإقليمية.",
    schools_found: "المؤسسات التي تغطي مكان السكن: {count}",
    in_catchment: "✓ المؤسسة تغطي مكان السكن",
    child: "الطفل(ة)",
    first_name_ar: "الاسم الشخصي بالعربية",
    last_name_ar: "الاسم العائلي بالعربية",
    first_name_lat: "الاسم الشخصي بالحروف اللاتينية",
    last_name_lat: "الاسم العائلي بالحروف اللاتينية",
    filiation_ar: "ابن/بنت (اسم الأب) بالعربية",
    filiation_lat: "ابن/بنت (اسم الأب) بالحروف اللاتينية",
    arabic_only: "بالحروف العربية فقط",
    latin_only: "بالحروف اللاتينية فقط",
    gender: "الجنس",
    girl: "أنثى",
    boy: "ذكر",
    birth_date: "تاريخ الازدياد (ميلادي)",
    birth_date_hijri: "تاريخ الازدياد (هجري)",
    hijri_hint: "يُحسب تلقائيا من التاريخ الميلادي (سنة-شهر-يوم)، ويمكن تصحيحه حسب عقد الازدياد",
    birth_place: "مكان الازدياد",
    certificate_number: "رقم عقد الازدياد",
    certificate_date: "تاريخ عقد الازدياد",
    photo: "صورة شمسية للطفل(ة)",
    photo_hint: "صورة بصيغة JPEG أو PNG؛ تُصغّر قبل الإرسال",
    photo_sending: "جارٍ إرسال الصورة…",
    photo_ok: "✓ تم إرسال الصورة",
    photo_bad: "الصورة غير مقبولة: اختر صورة بصيغة JPEG أو PNG.",
    age_ok: "✓ السن مطابق للسن القانوني لهذه الحملة",
    age_bad: "تاريخ الازدياد خارج السن القانوني ({from} – {to}): يمكن للمدير رفض الطلب.",
    father: "الأب",
    mother: "الأم",
    guardian: "الولي (شخص آخر)",
    cin: "رقم البطاقة الوطنية",
    profession: "المهنة",
    phone: "الهاتف المحمول",
    phone_hint: "مثال \u20660612345678\u2069",
    email: "البريد الإلكتروني",
    guardian_role: "صفة ولي الأمر المسؤول عن الطلب",
    guardian_contact: "يتوصل ولي الأمر بقرار المدير عبر الهاتف أو البريد الإلكتروني: أدخل أحدهما على الأقل.",
    siblings: "الإخوة والأخوات دون سن التمدرس",
    sibling: "أخ/أخت {n}",
    add_sibling: "إضافة أخ أو أخت",
    remove: "حذف",
    submit: "إرسال الطلب",
    draft_saved: "المسودة محفوظة على هذا الجهاز",
    draft_restored: "استرجعنا المسودة المحفوظة على هذا الجهاز.",
    discard: "مسح المسودة",
    sending: "جارٍ الإرسال…",
    waiting: "انقطع الاتصال. سيُعاد الإرسال تلقائيا عند عودته؛ لن يُسجل الطلب مرتين.",
    done: "تم إرسال الطلب",
    privacy: "حماية معطياتكم الشخصية (القانون 09-08)",
    privacy_what: "ما نجمعه: هوية الطفل وازدياده وصورته، وهوية الأب والأم أو الولي وبطاقتهم الوطنية ومهنتهم وعنوانهم وهاتفهم وبريدهم، والإخوة دون سن التمدرس.",
    privacy_why: "لماذا: لدراسة طلب التسجيل الأولي، وإخباركم بالقرار، وتسجيل الطفل المقبول في منظومة مسار.",
    privacy_who: "من يطّلع عليها: إدارة المؤسسة المختارة، والمديرية الإقليمية والأكاديمية في حدود مهامهما. لا تُسلّم لأي جهة أخرى.",
    privacy_rights: "حقوقكم: يمكنكم طلب الاطلاع على معطياتكم أو تصحيحها أو التعرض على معالجتها لسبب مشروع، لدى إدارة المؤسسة أو عبر الرقم الأخضر 0800001122. ويمكنكم أيضا اللجوء إلى اللجنة الوطنية لحماية المعطيات الشخصية (CNDP).",
    consent: "أوافق، بصفتي ولي أمر الطفل، على معالجة هذه المعطيات للأغراض المذكورة أعلاه.",
  },
  fr: {
    intro: "Le parent remplit cette demande pour un enfant en âge d'être scolarisé. Les données restent sur cet appareil jusqu'à l'envoi.",
    campaign: "Campagne {year} : du {opens} au {closes}. Âge légal : enfants nés entre le {from} et le {to}.",
    closed: "Aucune campagne d'inscription n'est ouverte actuellement.",
    residence: "Résidence et école",
    region: "Région",
    province: "Province ou préfecture",
    commune: "Commune ou arrondissement",
    commune_hint: "Choisissez la région, puis la province, puis la commune ou l'arrondissement : les écoles qui desservent ce lieu s'affichent",
    arrondissements: "{name} : arrondissements",
    address: "Adresse",
    school: "École choisie",
    schools_none: "Aucune école primaire ne dessert ce lieu. Vérifiez le lieu choisi ou contactez la direction provinciale.",
    schools_found: "Écoles qui desservent la résidence : {count}",
    in_catchment: "✓ L'école dessert la résidence",
    child: "L'enfant",
    first_name_ar: "Prénom en arabe",
    last_name_ar: "Nom en arabe",
    first_name_lat: "Prénom en lettres latines",
    last_name_lat: "Nom en lettres latines",
    filiation_ar: "Fils/fille de (prénom du père) en arabe",
    filiation_lat: "Fils/fille de (prénom du père) en lettres latines",
    arabic_only: "en lettres arabes uniquement",
    latin_only: "en lettres latines uniquement",
    gender: "Sexe",
    girl: "Fille",
    boy: "Garçon",
    birth_date: "Date de naissance (grégorienne)",
    birth_date_hijri: "Date de naissance (hégirienne)",
    hijri_hint: "Calculée à partir de la date grégorienne (année-mois-jour), modifiable selon l'acte de naissance",
    birth_place: "Lieu de naissance",
    certificate_number: "Numéro de l'acte de naissance",
    certificate_date: "Date de l'acte de naissance",
    photo: "Photo d'identité de l'enfant",
    photo_hint: "JPEG ou PNG ; réduite avant l'envoi",
    photo_sending: "Envoi de la photo…",
    photo_ok: "✓ Photo envoyée",
    photo_bad: "Photo refusée : choisissez une image JPEG ou PNG.",
    age_ok: "✓ L'âge correspond à l'âge légal de cette campagne",
    age_bad: "Date de naissance hors de l'âge légal ({from} – {to}) : le directeur peut refuser la demande.",
    father: "Le père",
    mother: "La mère",
    guardian: "Le tuteur (autre personne)",
    cin: "Numéro de CIN",
    profession: "Profession",
    phone: "Téléphone mobile",
    phone_hint: "ex. 0612345678",
    email: "E-mail",
    guardian_role: "Qualité du responsable de la demande",
    guardian_contact: "Le responsable reçoit la décision par SMS ou e-mail : renseignez au moins l'un des deux.",
    siblings: "Frères et sœurs en dessous de l'âge scolaire",
    sibling: "Frère/sœur {n}",
    add_sibling: "Ajouter un frère ou une sœur",
    remove: "Retirer",
    submit: "Envoyer la demande",
    draft_saved: "Brouillon enregistré sur cet appareil",
    draft_restored: "Le brouillon enregistré sur cet appareil a été repris.",
    discard: "Effacer le brouillon",
    sending: "Envoi en cours…",
    waiting: "Connexion perdue. L'envoi reprendra tout seul au retour du réseau ; la demande ne sera pas enregistrée deux fois.",
    done: "Demande envoyée",
    privacy: "Protection de vos données personnelles (loi 09-08)",
    privacy_what: "Ce que nous recueillons : l'identité, la naissance et la photo de l'enfant ; l'identité, la CIN, la profession, l'adresse, le téléphone et l'e-mail du père, de la mère ou du tuteur ; les frères et sœurs non scolarisés.",
    privacy_why: "Pourquoi : examiner la préinscription, vous informer de la décision et inscrire l'enfant accepté dans Massar.",
    privacy_who: "Qui les voit : la direction de l'école choisie, la direction provinciale et l'académie, pour leurs missions. Elles ne sont transmises à personne d'autre.",
    privacy_rights: "Vos droits : pour consulter ou corriger vos données, ou vous opposer à leur traitement pour un motif légitime, adressez-vous à la direction de l'école ou au numéro vert 0800001122. Vous pouvez aussi saisir la CNDP (Commission nationale de contrôle de la protection des données à caractère personnel).",
    consent: "En tant que responsable de l'enfant, j'accepte le traitement de ces données pour les fins indiquées ci-dessus.",
  },
});

// --- The draft on the device -------------------------------------------------------------------
export function loadDraft() {
  try {
    return JSON.parse(localStorage.getItem(DRAFT_KEY) || "null");
  } catch {
    return null;
  }
}

function saveDraft(draft) {
  draft.saved_at = new Date().toISOString();
  localStorage.setItem(DRAFT_KEY, JSON.stringify(draft));
}

function newDraft() {
  // One Idempotency-Key per draft: every retry of this application carries it.
  return { key: newKey(), status: "editing", values: {}, siblings: 0, photo: null };
}

function remember(application) {
  const list = JSON.parse(localStorage.getItem(APPLICATIONS_KEY) || "[]").filter((a) => a.id !== application.id);
  list.unshift(application);
  localStorage.setItem(APPLICATIONS_KEY, JSON.stringify(list.slice(0, 20)));
}

// --- Sending, and sending again --------------------------------------------------------------
function waitForNetwork(ms) {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      window.removeEventListener("online", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    window.addEventListener("online", done);
  });
}

let inFlight = null;

/**
 * Send the frozen body with the draft's key until the server gives a definite answer.
 * A dropped connection, a 5xx, a throttle or "still processing" wait and send again:
 * the same key makes the server answer the first result instead of creating another.
 */
export function sendPending(onWaiting) {
  if (inFlight) return inFlight;
  inFlight = (async () => {
    let delay = 1500;
    for (;;) {
      const draft = loadDraft();
      if (!draft || draft.status !== "sending") return null;
      try {
        const answer = await api("POST", "/v1/registrations", { body: draft.body, key: draft.key, auth: false, timeout: 30000 });
        remember({ id: answer.id, tracking_code: answer.tracking_code, child: draft.child_name, submitted_at: new Date().toISOString(), sent: draft.sent });
        localStorage.removeItem(DRAFT_KEY);
        return answer;
      } catch (error) {
        const transient = error instanceof NetworkError || error.status >= 500 || error.status === 429 || error.code === "idempotency_in_progress";
        if (!transient) {
          // A definite refusal created nothing: back to editing, with a fresh key for the
          // corrected body (the old key stays bound to the refused one).
          draft.status = "editing";
          draft.key = newKey();
          delete draft.body;
          saveDraft(draft);
          throw error;
        }
        onWaiting?.();
        await waitForNetwork(error.retryAfter ? error.retryAfter * 1000 : delay);
        delay = Math.min(delay * 2, 30000);
      }
    }
  })().finally(() => {
    inFlight = null;
  });
  return inFlight;
}

// --- The form -----------------------------------------------------------------------------------
const scriptOf = { ar: /[A-Za-z]/, lat: /[\u0600-\u06FF]/ };

function nameFields(prefix, { filiation = false } = {}) {
  const names = [["first_name_ar", "ar"], ["last_name_ar", "ar"], ["first_name_lat", "lat"], ["last_name_lat", "lat"]];
  if (filiation) names.push(["filiation_ar", "ar", false], ["filiation_lat", "lat", false]);
  return h("div", { class: "row" }, names.map(([name, script, required = true]) =>
    field(`${prefix}.${name}`, w(name), {
      required,
      hint: script === "ar" ? w("arabic_only") : w("latin_only"),
      attrs: { dir: script === "ar" ? "rtl" : "ltr", lang: script === "ar" ? "ar" : "fr", autocomplete: "off", "data-script": script },
    })));
}

function personBlock(prefix, legend) {
  return h("fieldset", { "data-person": prefix }, h("legend", {}, legend),
    nameFields(prefix, { filiation: true }),
    h("div", { class: "row" },
      field(`${prefix}.cin`, w("cin"), { attrs: { autocapitalize: "characters", dir: "ltr" } }),
      field(`${prefix}.profession`, w("profession"))),
    field(`${prefix}.address`, w("address"), { type: "textarea" }),
    h("div", { class: "row" },
      field(`${prefix}.phone`, w("phone"), { type: "tel", hint: w("phone_hint"), attrs: { dir: "ltr", autocomplete: "tel" } }),
      field(`${prefix}.email`, w("email"), { type: "email", attrs: { autocomplete: "email" } })));
}

function siblingBlock(index, onRemove) {
  const prefix = `siblings.${index}`;
  return h("fieldset", { class: "sibling", "data-sibling": String(index) },
    h("legend", {}, w("sibling", { n: index + 1 })),
    nameFields(prefix),
    field(`${prefix}.birth_date`, w("birth_date"), { type: "date", required: true }),
    h("div", { class: "actions" }, h("button", { type: "button", class: "danger", onclick: onRemove }, w("remove"))));
}

function setValues(form, values, path = "") {
  for (const [key, value] of Object.entries(values || {})) {
    const name = path ? `${path}.${key}` : key;
    if (value && typeof value === "object") {
      setValues(form, value, name);
      continue;
    }
    for (const el of form.querySelectorAll(`[name="${CSS.escape(name)}"]`)) {
      if (el.type === "radio") el.checked = el.value === value;
      else if (el.type === "checkbox") el.checked = value === true;
      else el.value = value;
    }
  }
}

export async function render(main) {
  main.append(title(w("register")));
  let campaign = null;
  try {
    campaign = await api("GET", "/v1/campaigns/current", { auth: false });
  } catch (error) {
    if (error instanceof ApiError && error.code === "no_open_campaign") {
      main.append(notice("warn", w("closed")), h("p", {}, h("a", { href: "#/track" }, w("track"))), helpLine());
      ready("register");
      return;
    }
    throw error;
  }
  let draft = loadDraft();
  if (draft?.status === "sending") {
    showSending(main, draft);
    ready("register");
    return;
  }
  const restored = Boolean(draft && Object.keys(draft.values || {}).length);
  draft = draft || newDraft();
  const regions = await places("/v1/places/regions");

  const schoolBox = h("div", { class: "field", dataset: { field: "school_code" } });
  const residenceCheck = h("p", { class: "check", role: "status" });
  const ageCheck = h("p", { class: "check", role: "status" });
  const hijriWords = h("p", { class: "hint" });
  const photoStatus = h("p", { class: "check", role: "status" });
  const photoPreview = h("img", { class: "photo-preview", alt: w("photo"), hidden: true });
  const siblingsBox = h("div", {});
  const savedLine = h("p", { class: "muted", role: "status" });
  const guardianBlock = personBlock("guardian", w("guardian"));
  const submit = h("button", { type: "submit", class: "primary" }, w("submit"));

  const form = h("form", { novalidate: true, class: "registration" },
    h("p", {}, w("intro")),
    notice("info", w("campaign", { year: campaign.school_year, opens: dateText(campaign.opens_on), closes: dateText(campaign.closes_on), from: dateText(campaign.birth_date_from), to: dateText(campaign.birth_date_to) })),
    restored ? notice("info", w("draft_restored")) : null,
    h("fieldset", {}, h("legend", {}, w("residence")),
      // Région and province only lead to the commune: the application carries the commune's
      // (or arrondissement's) official code, which tells the rest.
      h("div", { class: "row" },
        field("place.region", w("region"), { required: true, options: regions.items.sort(byName).map((r) => [r.code, nameOf(r)]) }),
        field("place.province", w("province"), { required: true, options: [] })),
      field("residence.commune", w("commune"), { required: true, hint: w("commune_hint"), options: [] }),
      field("residence.address", w("address"), { type: "textarea", required: true }),
      schoolBox, residenceCheck),
    h("fieldset", {}, h("legend", {}, w("child")),
      nameFields("child"),
      choice("child.gender", w("gender"), [["F", w("girl")], ["M", w("boy")]]),
      h("div", { class: "row" },
        field("child.birth_date", w("birth_date"), { type: "date", required: true }),
        field("child.birth_date_hijri", w("birth_date_hijri"), { required: true, hint: w("hijri_hint"), attrs: { dir: "ltr", inputmode: "numeric", placeholder: "1442-05-20" } })),
      hijriWords, ageCheck,
      field("child.birth_place", w("birth_place"), { required: true }),
      h("div", { class: "row" },
        field("child.birth_certificate_number", w("certificate_number"), { required: true, attrs: { dir: "ltr" } }),
        field("child.birth_certificate_date", w("certificate_date"), { type: "date", required: true })),
      h("div", { class: "field", dataset: { field: "photo_key" } },
        h("label", { for: "photo-input" }, w("photo"), h("span", { class: "opt" }, ` (${w("optional")})`)),
        h("p", { class: "hint", id: "photo-hint" }, w("photo_hint")),
        h("input", { id: "photo-input", type: "file", accept: "image/jpeg,image/png", "aria-describedby": "photo-hint" }),
        photoPreview, photoStatus,
        h("p", { class: "error", role: "alert", hidden: true }))),
    personBlock("father", w("father")),
    personBlock("mother", w("mother")),
    choice("guardian_role", w("guardian_role"), [["father", w("father")], ["mother", w("mother")], ["guardian", w("guardian")]], "father"),
    h("p", { class: "hint" }, w("guardian_contact")),
    guardianBlock,
    h("fieldset", {}, h("legend", {}, w("siblings")), siblingsBox,
      h("button", { type: "button", class: "secondary", onclick: () => { addSibling(); persist(); } }, w("add_sibling"))),
    privacyNotice(),
    h("div", { class: "actions" }, submit,
      h("button", { type: "button", class: "secondary", onclick: discard }, w("discard"))),
    savedLine);

  // --- Siblings
  function addSibling() {
    const index = siblingsBox.children.length;
    siblingsBox.append(siblingBlock(index, () => removeSibling(index)));
    siblingsBox.lastChild.querySelector("input").focus();
  }
  function removeSibling(index) {
    const values = (formValues(form).siblings || []).filter((_, i) => i !== index);
    clear(siblingsBox);
    values.forEach((_, i) => siblingsBox.append(siblingBlock(i, () => removeSibling(i))));
    setValues(form, { siblings: values });
    persist();
  }

  // --- The guardian block only when the responsible person is another guardian
  function syncGuardian() {
    const isGuardian = formValues(form).guardian_role === "guardian";
    guardianBlock.hidden = !isGuardian;
    guardianBlock.disabled = !isGuardian;
  }

  // --- Live checks
  function checkAge() {
    const born = form.elements["child.birth_date"].value;
    const hijriInput = form.elements["child.birth_date_hijri"];
    if (!born) {
      ageCheck.textContent = "";
      hijriWords.textContent = "";
      return;
    }
    if (!hijriInput.value || hijriInput.dataset.auto === "1") {
      hijriInput.value = hijriIso(born);
      hijriInput.dataset.auto = "1";
    }
    hijriWords.replaceChildren(bothCalendars(born));
    const eligible = born >= campaign.birth_date_from && born <= campaign.birth_date_to;
    ageCheck.className = `check ${eligible ? "good" : "bad"}`;
    ageCheck.textContent = eligible ? w("age_ok") : w("age_bad", { from: dateText(campaign.birth_date_from), to: dateText(campaign.birth_date_to) });
  }

  // --- Where the family lives: région → province → commune or arrondissement, by name in the
  // reader's language; a province's communes are asked for only once it is chosen (small page).
  function offer(select, items, value = "") {
    select.replaceChildren(h("option", { value: "" }, "—"), ...items);
    select.value = value;
    if (select.value !== value) select.value = "";
  }
  const option = (place, commune) => h("option", { value: place.code, dataset: commune ? { commune } : undefined }, nameOf(place));
  async function loadProvinces(region, value) {
    const provinces = form.elements["place.province"];
    offer(provinces, []);
    offer(form.elements["residence.commune"], []);
    if (!region) return;
    const answer = await places(`/v1/places/regions/${encodeURIComponent(region)}/provinces`);
    if (form.elements["place.region"].value !== region) return; // another région chosen meanwhile
    offer(provinces, answer.items.sort(byName).map(option), value);
  }
  async function loadCommunes(province, value) {
    const communes = form.elements["residence.commune"];
    offer(communes, []);
    if (!province) return;
    const answer = await places(`/v1/places/provinces/${encodeURIComponent(province)}/communes`);
    if (form.elements["place.province"].value !== province) return;
    // A city divided into arrondissements is a group of them: families live in one.
    offer(communes, answer.items.sort(byName).map((c) => (c.arrondissements
      ? h("optgroup", { label: w("arrondissements", { name: nameOf(c) }) }, c.arrondissements.sort(byName).map((a) => option(a, c.code)))
      : option(c))), value);
  }
  async function choosePlace(load) {
    try {
      await load();
    } catch (error) {
      residenceCheck.className = "check bad";
      residenceCheck.textContent = error instanceof NetworkError ? w("network_error") : error.message;
      return;
    }
    await loadSchools();
  }

  // An arrondissement is sent as its city's commune and the arrondissement (`district`), so a
  // school serving the whole city serves it too.
  function residenceCodes() {
    const picked = form.elements["residence.commune"].selectedOptions[0];
    if (!picked?.value) return {};
    return picked.dataset.commune ? { commune: picked.dataset.commune, district: picked.value } : { commune: picked.value };
  }

  let schoolsAsked = "";
  async function loadSchools() {
    const codes = residenceCodes();
    const areas = [codes.district, codes.commune].filter(Boolean);
    const area = areas.join(",");
    if (area === schoolsAsked) return;
    schoolsAsked = area;
    if (!area) {
      schoolBox.replaceChildren();
      residenceCheck.textContent = "";
      return;
    }
    let schools = [];
    try {
      const answers = await Promise.all(areas.map((code) => api("GET", `/v1/schools?commune=${encodeURIComponent(code)}&cycle=primary`, { auth: false })));
      const byCode = new Map(answers.flatMap((answer) => answer.items).map((s) => [s.code, s]));
      schools = [...byCode.values()];
    } catch (error) {
      schoolsAsked = "";
      residenceCheck.className = "check bad";
      residenceCheck.textContent = error instanceof NetworkError ? w("network_error") : error.message;
      return;
    }
    if (area !== schoolsAsked) return;
    const chosen = draft.values.school_code;
    const options = schools.map((s) => [s.code, `${state.lang === "ar" ? s.name_ar : s.name_fr} (${s.code})`]);
    const select = field("school_code", w("school"), { required: true, options, value: chosen });
    schoolBox.replaceChildren(...select.childNodes);
    if (schools.length === 1 && !chosen) schoolBox.querySelector("select").value = schools[0].code;
    residenceCheck.className = `check ${schools.length ? "good" : "bad"}`;
    residenceCheck.textContent = schools.length ? `${w("schools_found", { count: schools.length })} · ${w("in_catchment")}` : w("schools_none");
  }

  function checkScript(input) {
    const script = input.dataset.script;
    if (!script) return;
    const line = input.closest(".field").querySelector(".error");
    const wrong = scriptOf[script].test(input.value);
    line.hidden = !wrong;
    line.textContent = wrong ? (script === "ar" ? w("arabic_only") : w("latin_only")) : "";
    if (wrong) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }

  // --- Photo: reduced on the phone, then uploaded with the presigned form
  async function sendPhoto(file) {
    const line = photoStatus;
    line.className = "check";
    line.textContent = w("photo_sending");
    try {
      if (!["image/jpeg", "image/png"].includes(file.type)) throw new Error("type");
      const small = await scaled(file, PHOTO_MAX_SIDE, (canvas) => blobOf(canvas, 0.85));
      const upload = await api("POST", "/v1/registrations/photos", { body: {}, auth: false });
      if (!(await postToStorage(upload, small, "photo.jpg"))) throw new Error("upload refused");
      draft.photo = { key: upload.photo_key, preview: await thumbnail(small) };
      showPhoto();
      persist();
    } catch (error) {
      line.className = "check bad";
      line.textContent = error instanceof NetworkError ? w("network_error") : w("photo_bad");
    }
  }
  function showPhoto() {
    if (!draft.photo) return;
    photoPreview.src = draft.photo.preview;
    photoPreview.hidden = false;
    photoStatus.className = "check good";
    photoStatus.textContent = w("photo_ok");
  }

  // --- Draft
  let saveTimer = null;
  function persist() {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => {
      const values = formValues(form);
      draft.values = values;
      draft.siblings = siblingsBox.children.length;
      saveDraft(draft);
      savedLine.textContent = `${w("draft_saved")} · ${new Date().toLocaleTimeString(state.lang === "ar" ? "ar-MA-u-nu-latn" : "fr-MA", { hour: "2-digit", minute: "2-digit" })}`;
    }, 250);
  }
  function discard() {
    localStorage.removeItem(DRAFT_KEY);
    go("#/register");
  }

  form.addEventListener("input", (event) => {
    const input = event.target;
    if (input.name === "child.birth_date_hijri") input.dataset.auto = "0";
    if (input.dataset?.script) checkScript(input);
    if (input.name === "child.birth_date") checkAge();
    persist();
  });
  form.addEventListener("change", (event) => {
    const input = event.target;
    if (input.id === "photo-input" && input.files?.[0]) sendPhoto(input.files[0]);
    if (input.name === "guardian_role") syncGuardian();
    if (input.name === "place.region") choosePlace(() => loadProvinces(input.value));
    if (input.name === "place.province") choosePlace(() => loadCommunes(input.value));
    if (input.name === "residence.commune") loadSchools();
    persist();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    whileBusy(submit, async () => {
      clearTimeout(saveTimer);
      const values = formValues(form);
      draft.values = values;
      draft.siblings = siblingsBox.children.length;
      draft.body = applicationBody(values, draft);
      draft.body.residence = { ...draft.body.residence, ...residenceCodes() }; // a copy: the draft keeps the choice
      draft.child_name = [values.child?.first_name_ar, values.child?.last_name_ar].join(" ");
      draft.sent = sentSummary(form, values); // for the printable receipt, on this device only
      draft.status = "sending";
      saveDraft(draft);
      const status = h("div", {});
      form.querySelector(".actions").after(status);
      clear(status, notice("info", w("sending")));
      try {
        const answer = await sendPending(() => clear(status, notice("warn", w("waiting"))));
        if (answer) go(`#/track/${answer.id}`);
      } catch (error) {
        status.remove();
        draft = loadDraft() || draft;
        showErrors(form, error);
      }
    });
  });

  // --- Restore the draft, then wire the live checks to it
  for (let i = 0; i < (draft.siblings || 0); i += 1) siblingsBox.append(siblingBlock(i, () => removeSibling(i)));
  setValues(form, draft.values);
  const hijri = form.elements["child.birth_date_hijri"];
  hijri.dataset.auto = draft.values?.child?.birth_date_hijri ? "0" : "1";
  syncGuardian();
  checkAge();
  showPhoto();
  main.append(form, helpLine());
  const place = draft.values?.place || {};
  if (place.region) { // the draft's place, level by level
    await choosePlace(async () => {
      await loadProvinces(place.region, place.province);
      if (place.province) await loadCommunes(place.province, draft.values?.residence?.commune);
    });
  }
  await loadSchools();
  ready("register");
}

// The official divisions (HCP codes, Arabic and French names), one level at a time; the API
// lets browsers keep them for a day, and a page asks each level once.
const placesAsked = new Map();
function places(path) {
  if (!placesAsked.has(path)) {
    placesAsked.set(path, api("GET", path, { auth: false, cache: "default" }).catch((error) => {
      placesAsked.delete(path);
      throw error;
    }));
  }
  return placesAsked.get(path);
}
const nameOf = (place) => (state.lang === "ar" ? place.name_ar : place.name_fr);
const byName = (a, b) => nameOf(a).localeCompare(nameOf(b), state.lang);

function applicationBody(values, draft) {
  const body = {
    school_code: values.school_code || "",
    child: values.child || {},
    father: values.father || {},
    mother: values.mother || {},
    guardian_role: values.guardian_role || "father",
    siblings: (values.siblings || []).filter(Boolean),
    residence: values.residence || {},
    language: state.lang,
    // The guardian's explicit consent to the notice (law 09-08): the server refuses without it.
    consent: { data_protection: values.consent?.data_protection === true, version: NOTICE_VERSION },
  };
  if (body.guardian_role === "guardian") body.guardian = values.guardian || {};
  if (draft.photo?.key) body.photo_key = draft.photo.key;
  if (body.residence.commune) body.residence.commune = body.residence.commune.toUpperCase();
  if (body.residence.district) body.residence.district = body.residence.district.toUpperCase();
  return body;
}

// What the receipt lists of the application (no CIN, no contact): the words as chosen.
function sentSummary(form, values) {
  const picked = (name) => {
    const select = form.elements[name];
    return select?.value ? select.selectedOptions[0]?.textContent || "" : "";
  };
  const role = values.guardian_role || "father";
  const responsible = values[role] || {};
  const child = values.child || {};
  return {
    child_ar: [child.first_name_ar, child.last_name_ar].filter(Boolean).join(" "),
    child_lat: [child.first_name_lat, child.last_name_lat].filter(Boolean).join(" "),
    gender: child.gender || "",
    birth_date: child.birth_date || "",
    birth_place: child.birth_place || "",
    certificate: child.birth_certificate_number || "",
    guardian_role: role,
    guardian_ar: [responsible.first_name_ar, responsible.last_name_ar].filter(Boolean).join(" "),
    guardian_lat: [responsible.first_name_lat, responsible.last_name_lat].filter(Boolean).join(" "),
    commune: picked("residence.commune"),
    address: values.residence?.address || "",
    school: picked("school_code"),
    siblings: (values.siblings || []).filter(Boolean).length,
    consent: NOTICE_VERSION,
  };
}

// The data-protection notice (law 09-08) and the guardian's consent box, required.
function privacyNotice() {
  const id = "consent-box";
  return h("fieldset", { class: "choice privacy", dataset: { field: "consent.data_protection" } },
    h("legend", {}, w("privacy")),
    h("ul", {}, ["privacy_what", "privacy_why", "privacy_who", "privacy_rights"].map((key) => h("li", {}, w(key)))),
    h("p", { class: "consent" },
      h("input", { type: "checkbox", id, name: "consent.data_protection", value: "yes", required: true, "aria-describedby": "consent-error" }),
      h("label", { for: id }, w("consent"), h("span", { class: "req", "aria-hidden": "true" }, " *"))),
    h("p", { class: "error", id: "consent-error", role: "alert", hidden: true }));
}

// A waiting application (the page was closed mid-submit): say so and keep sending.
function showSending(main, draft) {
  const status = h("div", {}, notice("info", w("sending")));
  main.append(h("p", {}, draft.child_name || ""), status);
  sendPending(() => clear(status, notice("warn", w("waiting"))))
    .then((answer) => answer && go(`#/track/${answer.id}`))
    .catch((error) => {
      clear(status, notice("bad", error.message));
      setTimeout(() => go("#/register"), 4000);
    });
}

/** The image drawn at most `maxSide` pixels on its longer side, then `finish(canvas)`. */
async function scaled(image, maxSide, finish) {
  const bitmap = await createImageBitmap(image);
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  return finish(canvas);
}

function blobOf(canvas, quality) {
  return new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", quality));
}

// A small preview kept in the draft (a data URL survives closing the page).
function thumbnail(blob) {
  return scaled(blob, 120, (canvas) => canvas.toDataURL("image/jpeg", 0.7));
}
