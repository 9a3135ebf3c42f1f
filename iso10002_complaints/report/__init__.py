from . import report_iso10002_layout
from . import report_iso10002_audit
from . import report_iso10002_review
from . import report_iso10002_complaint
from . import report_iso10002_register
from . import report_iso10002_registers
from . import report_iso10002_policy
