from . import complaint_portal
from . import helpdesk_routes
