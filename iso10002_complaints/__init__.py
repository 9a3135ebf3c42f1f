from . import controllers
from . import models
from . import report
from . import wizards


def post_init_hook(env):
    """Give every existing company its complaint sequence."""
    for company in env["res.company"].search([]):
        company._iso10002_complaint_sequence()
