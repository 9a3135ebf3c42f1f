from . import test_iso10002_rules
from . import test_complaint_receipt
from . import test_complaint_lifecycle
from . import test_acknowledgement
from . import test_access_rights
from . import test_non_iso_team
from . import test_policy
from . import test_performance
