"""Error texts in French and Arabic, picked from the request's Accept-Language (default fr)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "invalid_json": {
        "fr": "Le corps de la requête n'est pas un JSON lisible.",
        "ar": "محتوى الطلب ليس بصيغة JSON مقروءة.",
    },
    "validation_failed": {
        "fr": "Certains champs sont invalides.",
        "ar": "بعض الحقول غير صالحة.",
    },
    "payload_too_large": {
        "fr": "La requête est trop volumineuse.",
        "ar": "حجم الطلب كبير جدا.",
    },
    "not_found": {"fr": "Ressource introuvable.", "ar": "المورد غير موجود."},
    "method_not_allowed": {
        "fr": "Méthode non autorisée pour cette ressource.",
        "ar": "هذه الطريقة غير مسموح بها لهذا المورد.",
    },
    "not_signed_in": {
        "fr": "Veuillez vous connecter.",
        "ar": "يرجى تسجيل الدخول.",
    },
    "forbidden": {"fr": "Action non autorisée.", "ar": "هذا الإجراء غير مسموح به."},
    "invalid_credentials": {
        "fr": "Identifiant ou mot de passe incorrect.",
        "ar": "اسم المستخدم أو كلمة المرور غير صحيحة.",
    },
    "activation_required": {
        "fr": "Ce code initial doit d'abord servir à activer le compte.",
        "ar": "يجب أولا تفعيل الحساب بهذا الرمز الأولي.",
    },
    "password_expired": {
        "fr": "Mot de passe expiré : veuillez le changer.",
        "ar": "انتهت صلاحية كلمة المرور، يرجى تغييرها.",
    },
    "account_disabled": {"fr": "Ce compte est désactivé.", "ar": "هذا الحساب معطل."},
    "invalid_token": {
        "fr": "Jeton invalide ou expiré.",
        "ar": "الرمز غير صالح أو منتهي الصلاحية.",
    },
    "already_exists": {"fr": "Cet élément existe déjà.", "ar": "هذا العنصر موجود مسبقا."},
    "weak_password": {
        "fr": "Le mot de passe ne respecte pas les règles.",
        "ar": "كلمة المرور لا تحترم القواعد المطلوبة.",
    },
    "too_many_attempts": {
        "fr": "Trop de tentatives : réessayez plus tard.",
        "ar": "محاولات كثيرة، يرجى إعادة المحاولة لاحقا.",
    },
    "internal_error": {
        "fr": "Erreur interne, veuillez réessayer.",
        "ar": "خطأ داخلي، يرجى إعادة المحاولة.",
    },
}

# pydantic error types → what a person should read next to the field.
FIELD_MESSAGES: dict[str, dict[str, str]] = {
    "missing": {"fr": "champ obligatoire", "ar": "حقل إلزامي"},
    "extra_forbidden": {"fr": "champ non autorisé", "ar": "حقل غير مسموح به"},
    "string_type": {"fr": "texte attendu", "ar": "يجب أن يكون نصا"},
    "string_too_short": {"fr": "trop court", "ar": "قصير جدا"},
    "string_too_long": {"fr": "trop long", "ar": "طويل جدا"},
    "string_pattern_mismatch": {"fr": "format invalide", "ar": "صيغة غير صالحة"},
    "value_error": {"fr": "valeur invalide", "ar": "قيمة غير صالحة"},
    "literal_error": {"fr": "valeur non prévue", "ar": "قيمة غير متوقعة"},
    "enum": {"fr": "valeur non prévue", "ar": "قيمة غير متوقعة"},
    "model_type": {"fr": "objet JSON attendu", "ar": "يجب أن يكون كائن JSON"},
    "int_type": {"fr": "nombre entier attendu", "ar": "يجب أن يكون عددا صحيحا"},
    "bool_type": {"fr": "booléen attendu", "ar": "يجب أن تكون القيمة صحيحة أو خاطئة"},
    "date_from_datetime_parsing": {
        "fr": "date AAAA-MM-JJ attendue",
        "ar": "تاريخ بصيغة YYYY-MM-DD",
    },
    "date_parsing": {"fr": "date AAAA-MM-JJ attendue", "ar": "تاريخ بصيغة YYYY-MM-DD"},
    "value_error.email": {"fr": "adresse e-mail invalide", "ar": "بريد إلكتروني غير صالح"},
    "not_a_moroccan_mobile": {
        "fr": "numéro de mobile marocain attendu (06…, 07…, +212…)",
        "ar": "يجب إدخال رقم هاتف محمول مغربي (06… أو 07… أو ‎+212…)",
    },
    "not_a_cin": {"fr": "CIN invalide (ex. AB123456)", "ar": "رقم البطاقة الوطنية غير صالح"},
    "email_or_phone_required": {
        "fr": "un e-mail ou un téléphone est nécessaire pour récupérer le compte",
        "ar": "يلزم بريد إلكتروني أو هاتف لاسترجاع الحساب",
    },
}


def language_of(accept_language: str | None) -> str:
    """`ar` when the client asks for Arabic before French, else `fr` (API.md)."""
    if accept_language:
        for part in accept_language.split(","):
            primary = part.split(";")[0].strip().lower().split("-")[0]
            if primary in ("ar", "fr"):
                return primary
    return "fr"


def message(code: str, language: str) -> str:
    texts = MESSAGES.get(code) or MESSAGES["forbidden"]
    return texts.get(language, texts["fr"])


def field_message(error_type: str, fallback: str, language: str) -> str:
    texts = FIELD_MESSAGES.get(error_type)
    if texts is None:
        return fallback
    return texts.get(language, texts["fr"])


# Why a password is refused, one text per reason code of chalicelib.domain.passwords.
REASONS_FR = {
    "too_short": "au moins 12 caractères",
    "too_long": "au plus 128 caractères",
    "needs_letters": "doit contenir des lettres",
    "needs_digits": "doit contenir des chiffres",
    "needs_symbols": "doit contenir des symboles",
    "contains_name": "ne doit pas contenir votre nom ou prénom",
    "contains_identifier": "ne doit pas contenir votre identifiant, CIN ou code Massar",
    "contains_birth_date": "ne doit pas contenir votre date de naissance",
    "contains_school_name": "ne doit pas contenir le nom de l'établissement",
    "common_password": "mot de passe trop courant",
}
REASONS_AR = {
    "too_short": "12 حرفا على الأقل",
    "too_long": "128 حرفا على الأكثر",
    "needs_letters": "يجب أن تحتوي على حروف",
    "needs_digits": "يجب أن تحتوي على أرقام",
    "needs_symbols": "يجب أن تحتوي على رموز",
    "contains_name": "يجب ألا تحتوي على اسمك العائلي أو الشخصي",
    "contains_identifier": "يجب ألا تحتوي على اسم المستخدم أو رقم البطاقة أو رمز مسار",
    "contains_birth_date": "يجب ألا تحتوي على تاريخ الازدياد",
    "contains_school_name": "يجب ألا تحتوي على اسم المؤسسة",
    "common_password": "كلمة مرور شائعة جدا",
}


def password_reasons(fields: dict[str, str], language: str) -> dict[str, str]:
    """`{"new_password": "too_short,needs_digits"}` → one entry per reason:
    `{"new_password.too_short": "au moins 12 caractères", ...}` (machine code and text)."""
    table = REASONS_AR if language == "ar" else REASONS_FR
    expanded = {}
    for field, codes in fields.items():
        for code in codes.split(","):
            expanded[f"{field}.{code}"] = table.get(code, code)
    return expanded
