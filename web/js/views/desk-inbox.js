// Desk · messages: the school inbox (a thread per pupil), one thread, the school's reply.
import { api, dateTimeText, field, formValues, h, notice, ready, showErrors, title, whileBusy, words } from "../core.js";
import { add, codeEl, pupilNames, tryLoad, w as dw } from "./desk.js";

const w = words({
  ar: {
    title: "رسائل الأولياء والتلاميذ",
    empty: "لا توجد أي رسالة.",
    unread: "{n} غير مقروءة",
    last: "آخر رسالة",
    thread: "المحادثة حول التلميذ(ة)",
    back: "الرجوع إلى الرسائل",
    reply: "الرد",
    sent: "تم إرسال الرد.",
    school: "المؤسسة",
    parent: "الولي",
    student: "التلميذ(ة)",
    staff: "المؤسسة",
    no_messages: "لا توجد رسائل في هذه المحادثة.",
  },
  fr: {
    title: "Messages des parents et des élèves",
    empty: "Aucun message.",
    unread: "{n} non lu(s)",
    last: "Dernier message",
    thread: "Échanges au sujet de l'élève",
    back: "Retour aux messages",
    reply: "Réponse",
    sent: "Réponse envoyée.",
    school: "École",
    parent: "Parent",
    student: "Élève",
    staff: "École",
    no_messages: "Aucun message dans cet échange.",
  },
});

export async function render(section, { code, params }) {
  if (params[0]) return renderThread(section, params[0]);
  return renderInbox(section, code);
}

async function renderInbox(section, code) {
  const box = h("div", {});
  section.append(title(w("title")), box);
  const inbox = await tryLoad(`/v1/schools/${code}/messages`, box);
  if (inbox) {
    if (!inbox.items.length) box.append(h("p", {}, w("empty")));
    else box.append(h("ul", { class: "threads" }, inbox.items.map((thread) => h("li", {},
      h("a", { href: `#/desk/inbox/${encodeURIComponent(thread.massar_code)}` }, named(thread.pupil, thread.massar_code)),
      thread.unread ? [" ", h("span", { class: "badge warn" }, w("unread", { n: thread.unread }))] : null,
      h("p", { class: "last" }, h("span", { class: "muted" }, `${w("last")} · ${dateTimeText(thread.last_at)} : `), h("bdi", { dir: "auto" }, thread.last_body))))));
  }
  ready("desk-inbox");
}

// The pupil's names (from the record) beside the Massar code, the code alone without them.
function named(pupil, massar) {
  return pupil ? [pupilNames(pupil), " · ", codeEl(massar)] : codeEl(massar);
}

function messageItem(message) {
  const who = message.from_school ? w("school") : w(message.author_role);
  return h("li", { class: message.from_school ? "school" : "family" },
    h("p", { class: "body", dir: "auto" }, message.body),
    h("p", { class: "muted" }, who, " · ", h("bdi", {}, message.author), " · ", h("time", { datetime: message.sent_at }, dateTimeText(message.sent_at))));
}

async function renderThread(section, massar) {
  const box = h("div", {});
  const who = h("p", { class: "pupil" }, dw("massar_code"), " : ", codeEl(massar));
  section.append(h("p", {}, h("a", { href: "#/desk/inbox" }, w("back"))), title(w("thread")), who, box);
  const thread = await tryLoad(`/v1/students/${encodeURIComponent(massar)}/messages`, box);
  if (thread?.pupil) who.replaceChildren(pupilNames(thread.pupil), " · ", dw("massar_code"), " : ", codeEl(massar));
  if (!thread) {
    ready("desk-thread");
    return;
  }
  const list = h("ul", { class: "thread" }, thread.items.map(messageItem));
  const empty = thread.items.length ? null : h("p", { class: "empty" }, w("no_messages"));
  const form = h("form", { novalidate: true, class: "reply" },
    field("body", w("reply"), { type: "textarea", required: true, attrs: { maxlength: 2000 } }),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, dw("send"))));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    whileBusy(form.querySelector("button[type=submit]"), async () => {
      form.querySelector(".notice")?.remove();
      const { body } = formValues(form);
      if (!body) {
        showErrors(form, { message: dw("required"), fields: { body: dw("required") } });
        return;
      }
      try {
        const message = await api("POST", `/v1/students/${encodeURIComponent(massar)}/messages`, { body: { body } });
        empty?.remove();
        list.append(messageItem(message));
        form.querySelector("textarea").value = "";
        form.prepend(notice("good", w("sent")));
      } catch (error) {
        showErrors(form, error);
      }
    });
  });
  add(box, empty, list, form);
  ready("desk-thread");
}
