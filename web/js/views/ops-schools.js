// Console · schools: those serving an area (a province, or a commune or arrondissement),
// one created by hand (its places chosen région → province → commune, the areas it serves
// ticked), or many from a CSV/XLSX file with the report of every row.
import { api, choice, clearErrors, field, formValues, h, newKey, notice, ready, showErrors, state, title, whileBusy, words } from "../core.js";
import { byName, codeEl, errorNotice, nameOf, places, schoolName, w as ow, wirePlaces } from "./ops.js";

const w = words({
  ar: {
    title: "المؤسسات",
    list: "لائحة المؤسسات",
    new: "مؤسسة جديدة",
    import: "استيراد ملف",
    sub: "مهام المؤسسات",
    list_intro: "مؤسسات إقليم، أو المؤسسات التي تغطي جماعة أو مقاطعة (مكان سكن الأسر).",
    cycle: "السلك",
    any_cycle: "كل الأسلاك",
    show: "عرض المؤسسات",
    found: "{n#schools} تغطي {place}",
    found_province: "{n#schools} في {place}",
    schools: { zero: "لا توجد أي مؤسسة", one: "مؤسسة واحدة", two: "مؤسستان", few: "# مؤسسات", many: "# مؤسسة", other: "# مؤسسة" },
    located: "الموقع: {place}",
    director: "حساب المدير",
    accounts: "إصدار الحسابات",
    board: "لوحة التسجيل",
    choose_province: "اختر الإقليم أولا.",
    new_title: "إنشاء مؤسسة",
    code: "رمز المؤسسة",
    code_hint: "من 4 إلى 12 حرفا لاتينيا أو رقما، مثال: EP0008",
    name_ar: "الاسم بالعربية",
    name_fr: "الاسم بالفرنسية",
    sector: "القطاع",
    place: "مكان المؤسسة",
    catchment: "المناطق التي تغطيها",
    catchment_hint: "أماكن سكن الأسر التي تستقبلها المؤسسة. إن لم تختر شيئا: جماعة المؤسسة.",
    whole_city: "كل مدينة {name}",
    pick_province: "اختر الإقليم لعرض جماعاته.",
    create: "إنشاء المؤسسة",
    created: "أُنشئت المؤسسة",
    then: "بعد ذلك:",
    see_list: "مؤسسات {name}",
    import_title: "استيراد المؤسسات من ملف",
    import_intro: "ملف CSV (UTF-8، الفاصل , أو ;) أو XLSX، السطر الأول للعناوين، 500 سطر على الأكثر. تُنشأ المؤسسات الجديدة وتُحدّث الموجودة؛ كل سطر به خطأ يُذكر ولا يُكتب.",
    columns: "الأعمدة:",
    columns_note: "academy وprovince وcommune رموز المندوبية السامية للتخطيط؛ catchment رموز مفصولة بـ ;",
    file: "الملف",
    dry_run: "تحقق فقط (لا يُكتب أي شيء)",
    send_file: "إرسال الملف",
    no_file: "اختر ملفا.",
    checked: "تحقق فقط: لم يُكتب أي شيء.",
    report: "{created#made}، {updated#changed}، {unchanged#same}، {failed#bad}.",
    made: { zero: "لم تُنشأ أي مؤسسة", one: "أُنشئت مؤسسة واحدة", two: "أُنشئت مؤسستان", few: "أُنشئت # مؤسسات", many: "أُنشئت # مؤسسة", other: "أُنشئت # مؤسسة" },
    changed: { zero: "لم تُحدّث أي مؤسسة", one: "حُدّثت مؤسسة واحدة", two: "حُدّثت مؤسستان", few: "حُدّثت # مؤسسات", many: "حُدّثت # مؤسسة", other: "حُدّثت # مؤسسة" },
    same: { zero: "لا مؤسسة بدون تغيير", one: "مؤسسة واحدة بدون تغيير", two: "مؤسستان بدون تغيير", few: "# مؤسسات بدون تغيير", many: "# مؤسسة بدون تغيير", other: "# مؤسسة بدون تغيير" },
    bad: { zero: "لا سطر به خطأ", one: "سطر واحد به خطأ", two: "سطران بهما خطأ", few: "# أسطر بها أخطاء", many: "# سطرا به خطأ", other: "# سطر به خطأ" },
    row: "السطر",
    result: "النتيجة",
    errors: "الأخطاء",
    checking: "تحقق:",
    created_row: "أُنشئت",
    updated_row: "حُدّثت",
    unchanged_row: "بدون تغيير",
    error_row: "خطأ",
    created_dry: "ستُنشأ",
    updated_dry: "ستُحدّث",
    unchanged_dry: "بدون تغيير",
    error_dry: "خطأ",
  },
  fr: {
    title: "Écoles",
    list: "Liste des écoles",
    new: "Nouvelle école",
    import: "Importer un fichier",
    sub: "Tâches des écoles",
    list_intro: "Les écoles d'une province, ou celles qui desservent une commune ou un arrondissement (là où vivent les familles).",
    cycle: "Cycle",
    any_cycle: "Tous les cycles",
    show: "Afficher les écoles",
    found: "{n#schools} desservant {place}",
    found_province: "{n#schools} à {place}",
    schools: { one: "# école", other: "# écoles" },
    located: "Située à {place}",
    director: "Compte du directeur",
    accounts: "Émettre les comptes",
    board: "Tableau de bord",
    choose_province: "Choisissez d'abord la province.",
    new_title: "Créer une école",
    code: "Code de l'école",
    code_hint: "4 à 12 lettres latines ou chiffres, par exemple EP0008",
    name_ar: "Nom en arabe",
    name_fr: "Nom en français",
    sector: "Secteur",
    place: "Lieu de l'école",
    catchment: "Zone desservie",
    catchment_hint: "Les lieux de résidence des familles que l'école accueille. Sans choix : la commune de l'école.",
    whole_city: "Toute la ville de {name}",
    pick_province: "Choisissez la province pour voir ses communes.",
    create: "Créer l'école",
    created: "École créée",
    then: "Ensuite :",
    see_list: "Écoles de {name}",
    import_title: "Importer des écoles depuis un fichier",
    import_intro: "Un fichier CSV (UTF-8, séparateur , ou ;) ou XLSX, les titres en première ligne, 500 lignes au plus. Les nouvelles écoles sont créées, les autres mises à jour ; chaque ligne en erreur est signalée et rien n'en est écrit.",
    columns: "Colonnes :",
    columns_note: "academy, province et commune sont les codes du HCP ; catchment des codes séparés par ;",
    file: "Fichier",
    dry_run: "Vérifier seulement (rien n'est écrit)",
    send_file: "Envoyer le fichier",
    no_file: "Choisissez un fichier.",
    checked: "Vérification seulement : rien n'a été écrit.",
    report: "{created#made}, {updated#changed}, {unchanged#same}, {failed#bad}.",
    made: { one: "# école créée", other: "# écoles créées" },
    changed: { one: "# école mise à jour", other: "# écoles mises à jour" },
    same: { one: "# école inchangée", other: "# écoles inchangées" },
    bad: { one: "# ligne en erreur", other: "# lignes en erreur" },
    row: "Ligne",
    result: "Résultat",
    errors: "Erreurs",
    checking: "Vérification :",
    created_row: "créée",
    updated_row: "mise à jour",
    unchanged_row: "inchangée",
    error_row: "erreur",
    created_dry: "à créer",
    updated_dry: "à mettre à jour",
    unchanged_dry: "inchangée",
    error_dry: "erreur",
  },
});

const SUBPAGES = [["", "list"], ["new", "new"], ["import", "import"]];
const CYCLES = ["primary", "middle", "high"];

export async function render(section, { params }) {
  const sub = params[0] === "new" || params[0] === "import" ? params[0] : "";
  section.append(h("nav", { "aria-label": w("sub") }, h("ul", { class: "switch" }, SUBPAGES.map(([path, key]) =>
    h("li", {}, h("a", { href: `#/ops/schools${path ? "/" + path : ""}`, "aria-current": path === sub ? "page" : null }, w(key)))))));
  if (sub === "new") return renderNew(section);
  if (sub === "import") return renderImport(section);
  return renderList(section, params[0] === "in" ? params[1] || "" : "");
}

// --- The list ---------------------------------------------------------------------------
async function renderList(section, area) {
  section.append(title(w("list")), h("p", {}, w("list_intro")));
  const form = h("form", { novalidate: true },
    field("region", ow("region"), { required: true, options: [] }),
    field("province", ow("province"), { required: true, options: [] }),
    field("commune", ow("commune"), { options: [] }),
    field("cycle", w("cycle"), { options: CYCLES.map((c) => [c, ow(c)]) }),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, w("show"))));
  form.elements.cycle.options[0].textContent = w("any_cycle");
  const results = h("div", { class: "results", "aria-live": "polite" });
  section.append(form, results);
  const preset = /^\d{2}\.\d{3}$/.test(area) ? { province: area } : /^\d{2}\.\d{3}\./.test(area) ? { province: area.slice(0, 6), commune: area } : {};
  try {
    await wirePlaces(form, { region: "region", province: "province", commune: "commune" }, { preset });
  } catch (error) {
    results.append(errorNotice(error));
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    whileBusy(form.querySelector("button[type=submit]"), () => show(form, results));
  });
  if (form.elements.province.value) await show(form, results);
  ready("ops-schools");
}

async function show(form, results) {
  clearErrors(form);
  results.replaceChildren();
  const { province, commune, cycle } = formValues(form);
  if (!province) {
    showErrors(form, { message: w("choose_province"), fields: { province: w("choose_province") } });
    return;
  }
  const picked = (name) => form.elements[name].selectedOptions[0]?.textContent || "";
  const place = commune ? picked("commune") : picked("province");
  const base = { ...(commune ? { commune } : { province }), ...(cycle ? { cycle } : {}), limit: "50" };
  const list = h("ul", { class: "school-list" });
  const count = h("h2", {});
  let total = 0;
  results.append(count, list);
  async function page(cursor) {
    let answer;
    try {
      answer = await api("GET", `/v1/schools?${new URLSearchParams({ ...base, ...(cursor ? { cursor } : {}) })}`);
    } catch (error) {
      results.append(errorNotice(error));
      return;
    }
    total += answer.items.length;
    count.textContent = w(commune ? "found" : "found_province", { n: total, place });
    list.append(...answer.items.map(schoolItem));
    results.querySelector("button.more")?.remove();
    if (answer.next_cursor) {
      const more = h("button", { type: "button", class: "secondary more" }, ow("more"));
      more.addEventListener("click", () => whileBusy(more, () => page(answer.next_cursor)));
      results.append(more);
    }
  }
  await page(null);
}

function schoolItem(school) {
  const located = state.lang === "ar" ? school.commune_name_ar : school.commune_name_fr;
  const [name, other, lang] = state.lang === "ar" ? [school.name_ar, school.name_fr, "fr"] : [school.name_fr, school.name_ar, "ar"];
  return h("li", { class: "school" },
    h("h3", {}, h("bdi", {}, name || other), " ", codeEl(school.code)),
    name && other ? h("p", { class: "muted other-name", lang }, h("bdi", {}, other)) : null,
    h("p", { class: "muted" }, [ow(school.cycle), ow(school.sector)].join(" · "), located ? [" · ", w("located", { place: located })] : null),
    h("ul", { class: "links" },
      h("li", {}, h("a", { href: `#/ops/staff/${encodeURIComponent(school.code)}` }, w("director"))),
      h("li", {}, h("a", { href: `#/ops/batches/for/${encodeURIComponent(school.code)}` }, w("accounts"))),
      h("li", {}, h("a", { href: `#/ops/dashboard/${encodeURIComponent("school:" + school.code)}` }, w("board")))));
}

// --- A new school -----------------------------------------------------------------------
async function renderNew(section) {
  const catchment = h("fieldset", { class: "catchment", dataset: { field: "catchment" } },
    h("legend", {}, w("catchment")), h("p", { class: "hint" }, w("catchment_hint")),
    h("div", { class: "areas" }, h("p", { class: "muted" }, w("pick_province"))),
    h("p", { class: "error", role: "alert", hidden: true }));
  const form = h("form", { novalidate: true },
    field("code", w("code"), { required: true, hint: w("code_hint"), attrs: { dir: "ltr", autocomplete: "off", autocapitalize: "characters", spellcheck: "false", maxlength: 12 } }),
    field("name_ar", w("name_ar"), { required: true, attrs: { dir: "rtl", lang: "ar", maxlength: 120 } }),
    field("name_fr", w("name_fr"), { required: true, attrs: { dir: "ltr", lang: "fr", maxlength: 120 } }),
    field("cycle", w("cycle"), { required: true, options: CYCLES.map((c) => [c, ow(c)]) }),
    choice("sector", w("sector"), [["public", ow("public")], ["private", ow("private")]], "public"),
    h("fieldset", {}, h("legend", {}, w("place")),
      field("academy", ow("region"), { required: true, options: [] }),
      field("province", ow("province"), { required: true, options: [] }),
      field("commune", ow("commune"), { required: true, options: [] })),
    catchment,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, w("create"))));
  const result = h("div", { "aria-live": "polite" });
  section.append(title(w("new_title")), form, result);

  const areas = catchment.querySelector(".areas");
  async function offerAreas(province) {
    areas.replaceChildren(h("p", { class: "muted" }, w("pick_province")));
    if (!province) return;
    const answer = await places(`/v1/places/provinces/${encodeURIComponent(province)}/communes`);
    if (form.elements.province.value !== province) return;
    const box = (place, label) => {
      const id = `area-${place.code}`;
      return h("li", {}, h("input", { type: "checkbox", id, value: place.code, class: "area" }), h("label", { for: id }, label || nameOf(place)));
    };
    areas.replaceChildren(h("ul", { class: "area-list" }, answer.items.sort(byName).map((c) => (c.arrondissements
      ? [box(c, w("whole_city", { name: nameOf(c) })), h("li", {}, h("ul", {}, c.arrondissements.sort(byName).map((a) => box(a))))]
      : box(c)))));
  }
  const onChange = (level, error) => {
    if (error) return result.replaceChildren(errorNotice(error));
    if (level === "region") return offerAreas("");
    if (level === "province") return offerAreas(form.elements.province.value).catch((e) => result.replaceChildren(errorNotice(e)));
    if (level === "commune") { // the school's own commune is served unless told otherwise
      const ticked = [...areas.querySelectorAll("input.area:checked")];
      if (!ticked.length) {
        const own = areas.querySelector(`input[value="${CSS.escape(form.elements.commune.value)}"]`);
        if (own) own.checked = true;
      }
    }
    return null;
  };
  try {
    await wirePlaces(form, { region: "academy", province: "province", commune: "commune" }, { onChange });
    if (form.elements.province.value) await offerAreas(form.elements.province.value);
  } catch (error) {
    result.append(errorNotice(error));
  }

  let sent = null; // the Idempotency-Key goes with one body: a changed form is a new request
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    whileBusy(form.querySelector("button[type=submit]"), async () => {
      const values = formValues(form);
      const body = {
        code: (values.code || "").toUpperCase(),
        name_ar: values.name_ar,
        name_fr: values.name_fr,
        cycle: values.cycle,
        sector: values.sector,
        academy: values.academy,
        province: values.province,
        commune: values.commune,
        catchment: [...areas.querySelectorAll("input.area:checked")].map((input) => input.value),
      };
      const json = JSON.stringify(body);
      if (sent?.json !== json) sent = { json, key: newKey() };
      let school;
      try {
        school = await api("POST", "/v1/schools", { body, key: sent.key });
      } catch (error) {
        showErrors(form, error);
        return;
      }
      clearErrors(form);
      const province = state.lang === "ar" ? school.province_name_ar : school.province_name_fr;
      result.replaceChildren(notice("good", h("strong", {}, w("created")), " ", schoolName(school), " ", codeEl(school.code), "."),
        h("p", {}, w("then")),
        h("ul", { class: "links" },
          h("li", {}, h("a", { href: `#/ops/staff/${encodeURIComponent(school.code)}` }, w("director"))),
          h("li", {}, h("a", { href: `#/ops/schools/in/${encodeURIComponent(school.province)}` }, w("see_list", { name: province || school.province })))));
      result.querySelector("a")?.focus();
    });
  });
  ready("ops-schools-new");
}

// --- Import from a file -----------------------------------------------------------------
const COLUMNS = ["code", "name_ar", "name_fr", "cycle", "sector", "academy", "province", "commune", "catchment"];

function renderImport(section) {
  const form = h("form", { novalidate: true },
    field("file", w("file"), { type: "file", required: true, attrs: { accept: ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" } }),
    h("p", { class: "check-line" }, h("input", { type: "checkbox", id: "dry-run", name: "dry_run" }), h("label", { for: "dry-run" }, w("dry_run"))),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, w("send_file"))));
  const report = h("div", { class: "report", "aria-live": "polite" });
  section.append(title(w("import_title")), h("p", {}, w("import_intro")),
    h("p", {}, w("columns"), " ", h("bdi", { dir: "ltr", class: "columns" }, COLUMNS.join(", "))),
    h("p", { class: "hint" }, w("columns_note")), form, report);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    whileBusy(form.querySelector("button[type=submit]"), async () => {
      report.replaceChildren();
      const file = form.elements.file.files[0];
      if (!file) {
        showErrors(form, { message: w("no_file"), fields: { file: w("no_file") } });
        return;
      }
      const body = {
        format: /\.xlsx$/i.test(file.name) ? "xlsx" : "csv",
        content_base64: await base64Of(file),
        dry_run: form.elements.dry_run.checked,
      };
      let answer;
      try {
        answer = await api("POST", "/v1/schools/import", { body, timeout: 60000 });
      } catch (error) {
        showErrors(form, error);
        return;
      }
      clearErrors(form);
      report.append(importReport(answer));
      report.querySelector("h2")?.focus();
    });
  });
  ready("ops-schools-import");
}

function base64Of(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ""));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

function importReport(answer) {
  const badge = { created: "good", updated: "good", unchanged: "", error: "bad" };
  return h("section", { "aria-labelledby": "report-h2" },
    h("h2", { id: "report-h2", tabindex: "-1" }, answer.dry_run ? `${w("checking")} ` : null, w("report", { created: answer.created, updated: answer.updated, unchanged: answer.unchanged, failed: answer.failed })),
    answer.dry_run ? notice("info", w("checked")) : null,
    h("div", { class: "table-wrap" }, h("table", { class: "stack" },
      h("thead", {}, h("tr", {}, [w("row"), ow("school_code"), w("result"), w("errors")].map((text) => h("th", { scope: "col" }, text)))),
      h("tbody", {}, answer.rows.map((row) => h("tr", { class: row.status === "error" ? "bad-row" : null },
        h("td", { "data-label": w("row") }, String(row.row)),
        h("td", { "data-label": ow("school_code") }, row.code ? codeEl(row.code) : "—"),
        h("td", { "data-label": w("result") }, h("span", { class: `badge ${badge[row.status] || ""}` }, w(`${row.status}_${answer.dry_run ? "dry" : "row"}`))),
        h("td", { "data-label": w("errors") }, row.errors ? h("ul", { class: "row-errors" }, Object.entries(row.errors).map(([key, message]) =>
          h("li", {}, h("bdi", { dir: "ltr", class: "muted" }, key), state.lang === "ar" ? ": " : " : ", message))) : "—")))))));
}
