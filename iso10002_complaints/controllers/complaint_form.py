"""Validation of the public complaint form (ISO 10002 Annex B), as plain
functions: what the complainant typed comes in, field errors come out. The
messages are translated by the caller (``translate``)."""

import mimetypes
import re
import unicodedata
from datetime import date

from odoo.tools import email_normalize

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
    "earlier_reference": 40,
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
# all attachments of one submission together, in multiples of the per-file cap
MAX_TOTAL_FILES_FACTOR = 2
# free texts where line breaks and tabs are part of what was typed
MULTILINE = frozenset({"description", "remedy_text", "product_description"})
FIELDS = (
    *MAX_LENGTHS,
    "country_id",
    "problem_date",
    "consent",
    "consent_share",
    "about",
)
# what a complaint is about: our products and services, or how we handled an
# earlier complaint (ISO 10002: complaints about the process are complaints)
ABOUT = ("product", "process")


def control_characters(value, multiline=False):
    """The control characters (NUL, escape, ...) in ``value``: nobody types
    them, PostgreSQL refuses NUL, and mail headers must not carry them."""
    allowed = "\t\n\r" if multiline else ""
    return {
        char
        for char in value
        if unicodedata.category(char) == "Cc" and char not in allowed
    }


def strip_control_characters(value, multiline=False):
    bad = control_characters(value, multiline)
    return "".join(char for char in value if char not in bad) if bad else value


def mailbox(email):
    """The one mailbox an address stands for (case, spaces, a display name
    and list separators folded), or False when it is not exactly one."""
    if not email or any(sep in email for sep in ",;"):
        return False
    return email_normalize(email, strict=True) or False


def clean(form):
    """The form's text values, stripped, and nothing else. Control
    characters are taken out (the form shows the rest again) and the fields
    where they were are returned, to be refused."""
    values = {}
    tainted = set()
    for key in FIELDS:
        value = form.get(key)
        if isinstance(value, str):
            multiline = key in MULTILINE
            if control_characters(value, multiline):
                tainted.add(key)
                value = strip_control_characters(value, multiline)
            value = value.strip()
        values[key] = value
    remedy = form.get("remedy_requested")
    if isinstance(remedy, str) and control_characters(remedy):
        tainted.add("remedy_requested")
    values["remedy_requested"] = remedy == "yes"
    return values, tainted


def validate(values, files, max_file_bytes, translate, tainted=()):
    """Field name -> message, for each problem in the submission."""
    _ = translate
    errors = {}
    for key in tainted:
        errors[key] = _(
            "Please remove the invisible control characters from this field."
        )
    # one sentence per field: a label that is a question reads badly in
    # "Please fill in: What happened?."
    missing = {
        "name": _("Please give your name or the name of your organisation."),
        "email": _("Please give your e-mail address."),
        "title": _("Please say in a few words what your complaint is about."),
        "description": _("Please tell us what happened."),
        "consent": _("Please agree that we use your details to handle your complaint."),
    }
    for key in REQUIRED:
        if not values.get(key):
            errors[key] = missing[key]
    for key, limit in MAX_LENGTHS.items():
        if values.get(key) and len(values[key]) > limit:
            errors[key] = _("Please shorten this to at most %(limit)s characters.") % {
                "limit": limit
            }
    email = values.get("email")
    if (
        email
        and "email" not in errors
        and (not EMAIL_RE.match(email) or not mailbox(email))
    ):
        errors["email"] = _(
            "Please give a valid e-mail address, like name@example.com."
        )
    if values.get("remedy_requested") and not values.get("remedy_text"):
        errors["remedy_text"] = _("Please tell us what you would like us to do.")
    problem_date = values.get("problem_date")
    if problem_date and "problem_date" not in errors:
        try:
            if not re.match(r"^\d{4}-\d{2}-\d{2}$", problem_date):
                raise ValueError(problem_date)
            date.fromisoformat(problem_date)
        except ValueError:
            errors["problem_date"] = _("Please give the date as YYYY-MM-DD.")
    if values.get("about") and values["about"] not in ABOUT:
        errors["about"] = _("Please choose what your complaint is about.")
    country = values.get("country_id")
    if country and not (country.isascii() and country.isdigit()):
        values["country_id"] = False
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
    total = MAX_TOTAL_FILES_FACTOR * max_file_bytes
    if sum(size for _name, size, _mimetype in files) > total:
        return _("Your files are too large together: at most %(size)s MB.") % {
            "size": total // (1024 * 1024),
        }
    for filename, size, mimetype in files:
        if control_characters(filename) or len(filename) > 200:
            return _("Please rename the file %(file)s: its name is not valid.") % {
                "file": strip_control_characters(filename)[:200],
            }
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
