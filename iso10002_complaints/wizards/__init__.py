from . import iso10002_complainant_response_wizard
from . import iso10002_escalate_wizard
from . import iso10002_acknowledgement_wizard
from . import iso10002_kpi_dashboard
from . import iso10002_kpi_dashboard_line
from . import iso10002_erasure_wizard
from . import iso10002_reopen_wizard
from . import helpdesk_ticket_duplicate_wizard
