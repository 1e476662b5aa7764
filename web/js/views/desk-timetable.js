// Desk · the week timetable of a class: one day at a time (a phone's width), its sessions
// added and removed, then the whole week saved at once (PUT replaces the class's grid).
// The API has no read of a class's grid: it is read through one of its pupils' week.
// "#/desk/timetable" picks a class; "#/desk/timetable/<class_id>" edits its week.
import { api, field, go, h, notice, ready, showErrors, state, title, whileBusy, words } from "../core.js";
import { classesAndSubjects, subjectOptions, tryLoad, w as dw } from "./desk.js";

const w = words({
  ar: {
    hint: "اختر القسم ثم اليوم، وأضف حصصه. يُحفظ الأسبوع كله دفعة واحدة.",
    choose: "القسم",
    open: "عرض استعمال الزمن",
    day: "اليوم",
    sessions: { zero: "لا حصة", one: "حصة واحدة", two: "حصتان", few: "# حصص", many: "# حصة", other: "# حصة" },
    day_count: "{day} ({n#sessions})",
    none: "لا توجد أي حصة في هذا اليوم.",
    start: "البداية",
    clock_hint: "بصيغة 24 ساعة، مثال: \u206608:30\u2069",
    end: "النهاية",
    subject: "المادة",
    room: "القاعة",
    add: "إضافة حصة",
    remove: "حذف حصة {from}–{to}",
    save: "حفظ الأسبوع",
    saved: "تم حفظ استعمال الزمن: {n#sessions}.",
    no_subjects: "لا توجد أي مادة لهذا المستوى: أضيفوا المواد أولا.",
    to_subjects: "المواد والمعاملات",
    no_read: "لا تلاميذ في هذا القسم بعد: لا يمكن قراءة استعمال الزمن المحفوظ، وما تحفظونه هنا يحل محله.",
    unknown_class: "هذا القسم غير موجود.",
  },
  fr: {
    hint: "Choisissez la classe puis le jour, et ajoutez ses séances. La semaine entière est enregistrée d'un coup.",
    choose: "Classe",
    open: "Afficher l'emploi du temps",
    day: "Jour",
    sessions: { one: "# séance", other: "# séances" },
    day_count: "{day} ({n#sessions})",
    none: "Aucune séance ce jour-là.",
    start: "Début",
    clock_hint: "Sur 24 heures, par exemple : 08:30",
    end: "Fin",
    subject: "Matière",
    room: "Salle",
    add: "Ajouter une séance",
    remove: "Retirer la séance {from}–{to}",
    save: "Enregistrer la semaine",
    saved: "Emploi du temps enregistré : {n#sessions}.",
    no_subjects: "Aucune matière pour ce niveau : ajoutez d'abord les matières.",
    to_subjects: "Matières et coefficients",
    no_read: "Cette classe n'a pas encore d'élève : l'emploi du temps enregistré ne peut pas être relu, et celui que vous enregistrez ici le remplace.",
    unknown_class: "Cette classe n'existe pas.",
  },
});

const DAYS = [1, 2, 3, 4, 5, 6];
const CLOCK = { dir: "ltr", inputmode: "numeric", maxlength: 5, autocomplete: "off", class: "clock" };

/** "8:30", "8h30", "0830" → "08:30" (what the API takes); anything else is left as typed. */
function clockValue(text) {
  const m = /^(\d{1,2})\s*[:hH.]?\s*(\d{2})$/.exec(text.trim());
  return m ? `${m[1].padStart(2, "0")}:${m[2]}` : text.trim();
}

/** "lundi"/"الاثنين": 1 January 2024 was a Monday. */
function dayName(day) {
  const name = new Intl.DateTimeFormat(state.lang === "ar" ? "ar-MA" : "fr-MA", { weekday: "long", timeZone: "UTC" })
    .format(new Date(Date.UTC(2024, 0, day)));
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function clock(text) {
  return h("bdi", { dir: "ltr" }, text);
}

function plusHour(text) {
  const [hours, minutes] = text.split(":").map(Number);
  return `${String(Math.min(hours + 1, 23)).padStart(2, "0")}:${String(minutes).padStart(2, "0")}`;
}

export async function render(section, { code, params }) {
  const loaded = await classesAndSubjects(section, code, dw("timetable"), "desk-timetable");
  if (!loaded) return;
  const { box, classes, subjects } = loaded;
  const classId = params[0] || (classes.items.length === 1 ? classes.items[0].class_id : null);
  box.append(h("p", { class: "hint" }, w("hint")), chooser(classes.items, classId));
  if (!classId) {
    ready("desk-timetable");
    return;
  }
  const klass = classes.items.find((c) => c.class_id === classId);
  if (!klass) {
    box.append(notice("bad", w("unknown_class")));
    ready("desk-timetable");
    return;
  }
  const options = subjectOptions(subjects.items, klass.level);
  if (!options.length) {
    box.append(notice("warn", w("no_subjects"), " ", h("a", { href: "#/desk/subjects" }, w("to_subjects"))));
    ready("desk-timetable");
    return;
  }
  const week = await currentWeek(code, classId, box);
  if (week === null) {
    ready("desk-timetable");
    return;
  }
  box.append(editor(code, klass, options, week.slots, week.unread));
  ready("desk-timetable");
}

function chooser(classes, classId) {
  const form = h("form", { novalidate: true, class: "timetable-class" },
    field("class_id", w("choose"), { required: true, value: classId, options: classes.map((c) => [c.class_id, c.label || c.class_id]) }),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "secondary" }, w("open"))));
  const open = () => {
    const id = form.querySelector("select").value;
    if (id) go(`#/desk/timetable/${encodeURIComponent(id)}`);
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    open();
  });
  form.querySelector("select").addEventListener("change", open);
  return form;
}

/** The class's saved week, read through its first pupil (null when the read failed). */
async function currentWeek(code, classId, box) {
  const pupils = await tryLoad(`/v1/schools/${code}/classes/${encodeURIComponent(classId)}/pupils`, box);
  if (!pupils) return null;
  if (!pupils.items.length) return { slots: [], unread: true };
  const week = await tryLoad(`/v1/students/${encodeURIComponent(pupils.items[0].massar_code)}/timetable`, box);
  return week && { slots: week.slots, unread: false };
}

function editor(code, klass, options, saved, unread) {
  let slots = saved.map((s) => ({ ...s }));
  let day = slots.length ? slots[0].day : 1;
  const dayBox = h("fieldset", { class: "choice days" });
  const list = h("div", { class: "slots" });
  const done = h("div", { "aria-live": "polite" });
  const addButton = h("button", { type: "button", class: "secondary" }, w("add"));
  const form = h("form", { novalidate: true, class: "timetable" },
    h("h2", {}, dw("class"), " ", h("bdi", {}, klass.label || klass.class_id)),
    unread ? notice("info", w("no_read")) : null,
    dayBox, h("p", { class: "hint" }, w("clock_hint")), list,
    h("div", { class: "actions" }, addButton, h("button", { type: "submit", class: "primary" }, w("save"))),
    done);

  const sync = () => {
    for (const set of list.querySelectorAll("fieldset[data-index]")) {
      const slot = slots[Number(set.dataset.index)];
      for (const n of ["start", "end", "subject", "room"]) slot[n] = set.querySelector(`[data-name=${n}]`).value.trim();
      slot.start = clockValue(slot.start);
      slot.end = clockValue(slot.end);
    }
  };
  const drawDays = () => {
    dayBox.replaceChildren(h("legend", {}, w("day")), ...DAYS.map((d) => {
      const id = `day-${d}`;
      const input = h("input", { type: "radio", id, name: "day", value: String(d), checked: d === day });
      input.addEventListener("change", () => {
        sync();
        day = d;
        draw();
      });
      return h("span", { class: "radio" }, input, h("label", { for: id }, w("day_count", { day: dayName(d), n: slots.filter((s) => s.day === d).length })));
    }));
  };
  const slotEl = (slot, index) => {
    const name = (n) => `slots.${index}.${n}`;
    const mark = (el, n) => {
      el.querySelector("input, select").dataset.name = n;
      return el;
    };
    const remove = h("button", { type: "button", class: "link remove" }, w("remove", { from: slot.start, to: slot.end }));
    remove.addEventListener("click", () => {
      sync();
      slots.splice(index, 1);
      draw();
      addButton.focus();
    });
    return h("fieldset", { class: "slot", dataset: { index: String(index) } },
      h("legend", {}, clock(`${slot.start}–${slot.end}`), " · ", h("bdi", {}, options.find(([v]) => v === slot.subject)?.[1] || slot.subject || "—")),
      h("div", { class: "row clocks" },
        mark(field(name("start"), w("start"), { required: true, value: slot.start, attrs: CLOCK }), "start"),
        mark(field(name("end"), w("end"), { required: true, value: slot.end, attrs: CLOCK }), "end")),
      h("div", { class: "row" },
        mark(field(name("subject"), w("subject"), { required: true, value: slot.subject, options }), "subject"),
        mark(field(name("room"), w("room"), { value: slot.room || "", attrs: { maxlength: 40, dir: "auto" } }), "room")),
      h("div", { class: "actions" }, remove));
  };
  const draw = () => {
    drawDays();
    const today = slots.map((s, i) => [s, i]).filter(([s]) => s.day === day).sort((a, b) => a[0].start.localeCompare(b[0].start));
    list.replaceChildren(...(today.length ? today.map(([s, i]) => slotEl(s, i)) : [notice("info", w("none"))]));
  };
  addButton.addEventListener("click", () => {
    sync();
    const ofDay = slots.filter((s) => s.day === day).sort((a, b) => a.end.localeCompare(b.end));
    const start = ofDay.length ? ofDay[ofDay.length - 1].end : "08:00";
    slots.push({ day, start, end: plusHour(start), subject: "", room: "" });
    draw();
    done.replaceChildren();
    list.querySelector(`fieldset[data-index="${slots.length - 1}"] [data-name=subject]`)?.focus();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    whileBusy(form.querySelector("button[type=submit]"), async () => {
      done.replaceChildren();
      sync();
      const missing = {};
      slots.forEach((s, i) => {
        for (const n of ["start", "end", "subject"]) if (!s[n]) missing[`slots.${i}.${n}`] = dw("required");
      });
      try {
        if (Object.keys(missing).length) throw Object.assign(new Error(dw("required")), { fields: missing });
        const answer = await api("PUT", `/v1/schools/${code}/classes/${encodeURIComponent(klass.class_id)}/timetable`, {
          body: { slots: slots.map(({ day: d, start, end, subject, room }) => ({ day: d, start, end, subject, room: room || "" })) },
        });
        slots = answer.slots.map((s) => ({ ...s }));
        draw();
        form.querySelector(".form-error")?.remove();
        done.replaceChildren(notice("good", w("saved", { n: slots.length })));
      } catch (error) {
        if (!error.fields) return showErrors(form, error);
        // A wrong session may be on another day: show that day, then its message.
        const first = Object.keys(error.fields).map((k) => Number(k.split(".")[1])).find((i) => slots[i]);
        if (first !== undefined && slots[first].day !== day) {
          day = slots[first].day;
          draw();
        }
        showErrors(form, error);
      }
    });
  });
  draw();
  return form;
}
