"""Read-only questions the console asks of the river: filters, time series, breakdowns."""
