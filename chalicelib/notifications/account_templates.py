"""Messages about an account: its initial code, a recovery password, a new contact's
confirmation code, and the security alerts (contact or password changed). All urgent."""

from __future__ import annotations

from chalicelib.notifications.template_types import AR, FR, Template, Texts

ACCOUNT_TEMPLATES: list[Template] = [
    Template(
        name="staff_initial_code",
        label={FR: "Code initial", AR: "الرمز الأولي"},
        params=("username", "first_name", "school_code"),
        secret_params=("initial_code",),
        urgent=True,
        texts={
            FR: Texts(
                subject="Votre compte Massar",
                text=(
                    "Bonjour {first_name},\n\n"
                    "Un compte Massar a été créé pour vous (établissement {school_code}).\n"
                    "Identifiant : {username}\n"
                    "Code initial : {initial_code}\n\n"
                    "Ce code ne permet pas de se connecter : activez votre compte et choisissez "
                    "votre mot de passe. Ne communiquez jamais ce code.\n"
                ),
                sms="Massar: compte {username}, code initial {initial_code}. A activer; ne le "
                "communiquez pas.",
            ),
            AR: Texts(
                subject="حسابكم في منظومة مسار",
                text=(
                    "مرحبا {first_name}،\n\n"
                    "تم إحداث حساب لكم في منظومة مسار (المؤسسة {school_code}).\n"
                    "اسم المستخدم: {username}\n"
                    "الرمز الأولي: {initial_code}\n\n"
                    "هذا الرمز لا يسمح بالولوج: يرجى تفعيل الحساب واختيار كلمة مرور. "
                    "لا تطلعوا أحدا على هذا الرمز.\n"
                ),
                sms="مسار: حساب {username} رمزه الأولي {initial_code}. لا تعطوه لأحد",
            ),
        },
    ),
    Template(
        name="recovery_password",
        label={FR: "Mot de passe provisoire", AR: "كلمة المرور المؤقتة"},
        params=("username", "minutes"),
        secret_params=("recovery_password",),
        urgent=True,
        texts={
            FR: Texts(
                subject="Massar : votre mot de passe provisoire",
                text=(
                    "Bonjour,\n\n"
                    "Vous avez demandé à récupérer l'accès au compte Massar {username}.\n"
                    "Mot de passe provisoire : {recovery_password}\n\n"
                    "Il est valable {minutes_text}, une seule fois : à la connexion, "
                    "choisissez un nouveau mot de passe (lettres, chiffres et symboles).\n"
                    "Si vous n'avez rien demandé, ignorez ce message : votre mot de passe "
                    "actuel reste valable.\n"
                ),
                sms="Massar: mot de passe provisoire du compte {username}: "
                "{recovery_password} (valable {minutes} min, une fois). Ne le communiquez "
                "à personne.",
            ),
            AR: Texts(
                subject="مسار: كلمة المرور المؤقتة",
                text=(
                    "مرحبا،\n\n"
                    "طلبتم استرجاع الولوج إلى حساب مسار {username}.\n"
                    "كلمة المرور المؤقتة: {recovery_password}\n\n"
                    "صالحة لمدة {minutes_text} ولمرة واحدة: عند الولوج اختاروا كلمة مرور "
                    "جديدة (حروف وأرقام ورموز).\n"
                    "إذا لم تطلبوا ذلك فتجاهلوا هذه الرسالة: تبقى كلمة مروركم الحالية صالحة.\n"
                ),
                sms="مسار: كلمة مرور مؤقتة {recovery_password} صالحة {minutes_text}. لا تعطوها "
                "لأحد",
            ),
        },
    ),
    Template(
        name="contact_changed",
        label={FR: "Changement de coordonnées", AR: "تغيير معطيات الاتصال"},
        params=("username", "changed"),
        urgent=True,
        texts={
            FR: Texts(
                subject="Massar : les coordonnées de votre compte ont changé",
                text=(
                    "Bonjour,\n\n"
                    "Le compte Massar {username} a changé {changed_text}. Ce message est "
                    "envoyé à l'ancienne adresse ou à l'ancien numéro.\n\n"
                    "Si vous n'êtes pas à l'origine de ce changement, contactez sans attendre "
                    "votre établissement scolaire.\n"
                ),
                sms="Massar: le compte {username} a changé {changed_text}. Si ce n'est pas "
                "vous, contactez votre établissement.",
            ),
            AR: Texts(
                subject="مسار: تغيير معطيات الاتصال بحسابكم",
                text=(
                    "مرحبا،\n\n"
                    "تم تغيير {changed_text} الخاص بحساب مسار {username}. تُرسل هذه الرسالة "
                    "إلى العنوان أو الرقم السابق.\n\n"
                    "إذا لم تقوموا بهذا التغيير فاتصلوا بمؤسستكم التعليمية دون تأخير.\n"
                ),
                sms="مسار: تغيير {changed_text} في حسابكم. إن لم تفعلوا فاتصلوا بالمؤسسة",
            ),
        },
    ),
    Template(
        name="contact_confirmation",
        label={FR: "Confirmation de coordonnées", AR: "تأكيد معطيات الاتصال"},
        params=("username", "minutes"),
        # The code proves the new address or number is the holder's: until it comes back,
        # recovery keeps using the old one.
        secret_params=("code",),
        urgent=True,
        texts={
            FR: Texts(
                subject="Massar : confirmez votre nouvelle adresse",
                text=(
                    "Bonjour,\n\n"
                    "Pour utiliser cette adresse avec le compte Massar {username}, saisissez "
                    "ce code dans votre profil : {code}\n\n"
                    "Il est valable {minutes_text}. Si vous n'avez rien demandé, ignorez ce "
                    "message : rien ne change.\n"
                ),
                sms="Massar: code {code} pour confirmer ce numéro sur le compte {username} "
                "(valable {minutes} min). Sinon, ignorez.",
            ),
            AR: Texts(
                subject="مسار: أكدوا عنوانكم الجديد",
                text=(
                    "مرحبا،\n\n"
                    "لاستعمال هذا العنوان مع حساب مسار {username}، أدخلوا هذا الرمز في ملفكم: "
                    "{code}\n\n"
                    "صالح لمدة {minutes_text}. إذا لم تطلبوا ذلك فتجاهلوا هذه الرسالة.\n"
                ),
                sms="مسار: رمز تأكيد هذا الرقم {code}، صالح {minutes_text}. إن لم تطلبوه فتجاهلوه",
            ),
        },
    ),
    Template(
        name="password_changed",
        label={FR: "Mot de passe modifié", AR: "تغيير كلمة المرور"},
        params=("username",),
        # A security alert: if it was not the owner, every hour counts.
        urgent=True,
        texts={
            FR: Texts(
                subject="Massar : mot de passe modifié",
                text=(
                    "Bonjour,\n\n"
                    "Le mot de passe du compte Massar {username} vient d'être modifié.\n\n"
                    "Si vous n'êtes pas à l'origine de ce changement, utilisez « Mot de passe "
                    "oublié » sur la page de connexion et contactez votre établissement.\n"
                ),
                sms="Massar: le mot de passe du compte {username} a été modifié. Si ce n'est "
                "pas vous, contactez votre établissement.",
            ),
            AR: Texts(
                subject="مسار: تم تغيير كلمة المرور",
                text=(
                    "مرحبا،\n\n"
                    "تم تغيير كلمة مرور حساب مسار {username}.\n\n"
                    "إذا لم تقوموا بذلك فاستعملوا «نسيت كلمة المرور» في صفحة الولوج "
                    "واتصلوا بمؤسستكم.\n"
                ),
                sms="مسار: تم تغيير كلمة مرور حسابكم. إن لم تكونوا أنتم فاتصلوا بمؤسستكم",
            ),
        },
    ),
]
