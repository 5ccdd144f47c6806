"""What is changing in the river: emerging terms and spikes, for the dashboard and alerts."""
