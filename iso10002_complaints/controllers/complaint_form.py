"""Validation of the public complaint form (ISO 10002 Annex B), as plain
functions: what the complainant typed comes in, field errors come out. The
messages are translated by the caller (``translate``)."""

import mimetypes
import re

EMAIL_RE = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")

MAX_LENGTHS = {
    "name": 200,
    "street": 200,
    "zip": 20,
    "city": 100,
    "phone": 40,
    "email": 200,
    "representative": 200,
    "contact_person": 200,
    "product_reference": 100,
    "product_description": 500,
    "title": 200,
    "description": 10000,
    "remedy_text": 2000,
}
REQUIRED = ("name", "email", "title", "description", "consent")
ALLOWED_EXTENSIONS = {
    ".pdf",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".webp",
    ".txt",
    ".odt",
    ".docx",
}
MAX_FILES = 5


def clean(form):
    """The form's text values, stripped, and nothing else."""
    values = {}
    for key in (*MAX_LENGTHS, "country_id", "problem_date", "consent", "consent_share"):
        value = form.get(key)
        values[key] = value.strip() if isinstance(value, str) else value
    values["remedy_requested"] = form.get("remedy_requested") == "yes"
    return values


def validate(values, files, max_file_bytes, translate):
    """Field name -> message, for each problem in the submission."""
    _ = translate
    errors = {}
    labels = {
        "name": _("Your name or organisation"),
        "email": _("E-mail"),
        "title": _("What is your complaint about?"),
        "description": _("What happened?"),
    }
    for key in REQUIRED:
        if not values.get(key):
            if key == "consent":
                errors[key] = _(
                    "Please agree that we use your details to handle your complaint."
                )
            else:
                errors[key] = _("Please fill in: %(field)s.") % {"field": labels[key]}
    for key, limit in MAX_LENGTHS.items():
        if values.get(key) and len(values[key]) > limit:
            errors[key] = _("Please shorten this to at most %(limit)s characters.") % {
                "limit": limit
            }
    email = values.get("email")
    if email and "email" not in errors and not EMAIL_RE.match(email):
        errors["email"] = _(
            "Please give a valid e-mail address, like name@example.com."
        )
    if values.get("remedy_requested") and not values.get("remedy_text"):
        errors["remedy_text"] = _("Please tell us what you would like us to do.")
    date = values.get("problem_date")
    if date and not re.match(r"^\d{4}-\d{2}-\d{2}$", date):
        errors["problem_date"] = _("Please give the date as YYYY-MM-DD.")
    file_error = validate_files(files, max_file_bytes, translate)
    if file_error:
        errors["attachments"] = file_error
    return errors


def validate_files(files, max_file_bytes, translate):
    """A message for the first attachment problem, or None.

    ``files`` is a list of (filename, size in bytes, mimetype)."""
    _ = translate
    if len(files) > MAX_FILES:
        return _("Please attach at most %(count)s files.") % {"count": MAX_FILES}
    for filename, size, mimetype in files:
        extension = (
            ("." + filename.rsplit(".", 1)[-1].lower()) if "." in filename else ""
        )
        guessed = mimetypes.guess_type(filename)[0] or ""
        if extension not in ALLOWED_EXTENSIONS or guessed.startswith(
            ("text/html", "application/x-")
        ):
            return _(
                "%(file)s cannot be attached: please send PDF, image, text or "
                "office documents."
            ) % {"file": filename}
        if size > max_file_bytes:
            return _("%(file)s is too large: files may be at most %(size)s MB.") % {
                "file": filename,
                "size": max_file_bytes // (1024 * 1024),
            }
        if mimetype and mimetype.startswith("text/html"):
            return _("%(file)s cannot be attached.") % {"file": filename}
    return None
