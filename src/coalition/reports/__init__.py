"""Reports rendered offline from service figures: burden-sharing charts and exports."""
