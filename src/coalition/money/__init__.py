"""Edge adapters for money and burden-sharing: ECB rates, demo data, charts, exports."""
